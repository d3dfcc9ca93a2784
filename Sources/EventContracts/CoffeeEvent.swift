/// Any coffee-shop event, decoded by dispatching on the envelope's `type` and `schemaVersion`.
public enum CoffeeEvent: Sendable, Equatable {
    /// `MemberRegistered` v1 on `coffee.members`.
    case memberRegistered(EventEnvelope<MemberRegistered>)
    /// `OrderPlaced` v1 on `coffee.orders`.
    case orderPlaced(EventEnvelope<OrderPlaced>)
    /// `OrderCancellationRequested` v1 on `coffee.orders`.
    case orderCancellationRequested(EventEnvelope<OrderCancellationRequested>)
    /// `OrderPickedUp` v1 on `coffee.orders`.
    case orderPickedUp(EventEnvelope<OrderPickedUp>)
    /// `OrderBrewingStarted` v1 on `coffee.barista`.
    case orderBrewingStarted(EventEnvelope<OrderBrewingStarted>)
    /// `OrderReady` v1 on `coffee.barista`.
    case orderReady(EventEnvelope<OrderReady>)
    /// `OrderCancelled` v1 on `coffee.barista`.
    case orderCancelled(EventEnvelope<OrderCancelled>)
    /// `CancellationRejected` v1 on `coffee.barista`.
    case cancellationRejected(EventEnvelope<CancellationRejected>)
    /// `OrderFailed` v1 on `coffee.barista`.
    case orderFailed(EventEnvelope<OrderFailed>)
    /// `DrinkRequested` v1 on `coffee.brew-queue`.
    case drinkRequested(EventEnvelope<DrinkRequested>)
    /// `DrinkStarted` v1 on `coffee.brew-results`.
    case drinkStarted(EventEnvelope<DrinkStarted>)
    /// `DrinkBrewed` v1 on `coffee.brew-results`.
    case drinkBrewed(EventEnvelope<DrinkBrewed>)
    /// `DrinkFailed` v1 on `coffee.brew-results`.
    case drinkFailed(EventEnvelope<DrinkFailed>)

    /// Every known payload type, in declaration order.
    public static let payloadTypes: [any EventPayload.Type] = [
        MemberRegistered.self, OrderPlaced.self, OrderCancellationRequested.self, OrderPickedUp.self,
        OrderBrewingStarted.self, OrderReady.self, OrderCancelled.self, CancellationRejected.self,
        OrderFailed.self, DrinkRequested.self, DrinkStarted.self, DrinkBrewed.self, DrinkFailed.self,
    ]

    /// Decodes a record value. Throws `unknownEventType` or `unsupportedSchemaVersion` for
    /// types or versions this module does not know, and the other `ContractError` cases for
    /// malformed JSON, missing or invalid fields. Never traps on bad input. The JSON is parsed
    /// once: the dispatch fields and the typed envelope are read from the same decoder.
    ///
    /// Well-formed events take the hand-written fast path (`FastEventJSON`); anything it does not
    /// accept is decoded by `JSONDecoder`, which also words every error.
    public static func decode(json: [UInt8]) throws(ContractError) -> CoffeeEvent {
        if let event = FastEventJSON.decode(json) { return event }
        return try decodeWithFoundation(json: json)
    }

    /// `decode(json:)` by `JSONDecoder` alone: the reference the fast path is held to.
    static func decodeWithFoundation(json: [UInt8]) throws(ContractError) -> CoffeeEvent {
        try EventJSON.decode(Dispatched.self, from: json).event
    }

    /// An event decoded by dispatching on `type` and `schemaVersion` within one decode.
    private struct Dispatched: Decodable {
        let event: CoffeeEvent
        private enum Keys: String, CodingKey { case type, schemaVersion }

        init(from decoder: any Decoder) throws {
            let head = try decoder.container(keyedBy: Keys.self)
            let type = try head.decode(String.self, forKey: .type)
            let version = try head.decode(Int.self, forKey: .schemaVersion)
            guard let payloadType = CoffeeEvent.payloadTypes.first(where: { $0.eventType == type }) else {
                throw ContractError.unknownEventType(type: type, schemaVersion: version)
            }
            guard payloadType.schemaVersion == version else {
                throw ContractError.unsupportedSchemaVersion(type: type, schemaVersion: version)
            }
            switch type {
            case MemberRegistered.eventType: event = .memberRegistered(try EventEnvelope(from: decoder))
            case OrderPlaced.eventType: event = .orderPlaced(try EventEnvelope(from: decoder))
            case OrderCancellationRequested.eventType: event = .orderCancellationRequested(try EventEnvelope(from: decoder))
            case OrderPickedUp.eventType: event = .orderPickedUp(try EventEnvelope(from: decoder))
            case OrderBrewingStarted.eventType: event = .orderBrewingStarted(try EventEnvelope(from: decoder))
            case OrderReady.eventType: event = .orderReady(try EventEnvelope(from: decoder))
            case OrderCancelled.eventType: event = .orderCancelled(try EventEnvelope(from: decoder))
            case CancellationRejected.eventType: event = .cancellationRejected(try EventEnvelope(from: decoder))
            case OrderFailed.eventType: event = .orderFailed(try EventEnvelope(from: decoder))
            case DrinkRequested.eventType: event = .drinkRequested(try EventEnvelope(from: decoder))
            case DrinkStarted.eventType: event = .drinkStarted(try EventEnvelope(from: decoder))
            case DrinkBrewed.eventType: event = .drinkBrewed(try EventEnvelope(from: decoder))
            case DrinkFailed.eventType: event = .drinkFailed(try EventEnvelope(from: decoder))
            default: throw ContractError.unknownEventType(type: type, schemaVersion: version)
            }
        }
    }

    /// Encodes the event as compact UTF-8 JSON with sorted keys (see `encodeThrowing()`).
    public func encode() -> [UInt8] {
        FastEventJSON.encode(self)
    }

    /// Encodes the event (the bytes `JSONEncoder` with sorted keys and unescaped slashes gives,
    /// written by `FastEventJSON`). Strings and integers always encode, so this never throws;
    /// the signature stays for callers written against the `JSONEncoder` version.
    public func encodeThrowing() throws(ContractError) -> [UInt8] {
        FastEventJSON.encode(self)
    }

    /// The event encoded by `JSONEncoder` (sorted keys, unescaped slashes): the reference the
    /// hand-written encoder is held to.
    func encodeWithFoundation() throws(ContractError) -> [UInt8] {
        switch self {
        case .memberRegistered(let e): try e.encode()
        case .orderPlaced(let e): try e.encode()
        case .orderCancellationRequested(let e): try e.encode()
        case .orderPickedUp(let e): try e.encode()
        case .orderBrewingStarted(let e): try e.encode()
        case .orderReady(let e): try e.encode()
        case .orderCancelled(let e): try e.encode()
        case .cancellationRejected(let e): try e.encode()
        case .orderFailed(let e): try e.encode()
        case .drinkRequested(let e): try e.encode()
        case .drinkStarted(let e): try e.encode()
        case .drinkBrewed(let e): try e.encode()
        case .drinkFailed(let e): try e.encode()
        }
    }

    /// The envelope fields common to every event.
    private var common: (type: String, version: Int, eventId: String, aggregateId: String,
                         correlationId: String?, headers: [(String, [UInt8])], topic: CoffeeTopic) {
        switch self {
        case .memberRegistered(let e): Self.common(e)
        case .orderPlaced(let e): Self.common(e)
        case .orderCancellationRequested(let e): Self.common(e)
        case .orderPickedUp(let e): Self.common(e)
        case .orderBrewingStarted(let e): Self.common(e)
        case .orderReady(let e): Self.common(e)
        case .orderCancelled(let e): Self.common(e)
        case .cancellationRejected(let e): Self.common(e)
        case .orderFailed(let e): Self.common(e)
        case .drinkRequested(let e): Self.common(e)
        case .drinkStarted(let e): Self.common(e)
        case .drinkBrewed(let e): Self.common(e)
        case .drinkFailed(let e): Self.common(e)
        }
    }

    private static func common<P: EventPayload>(_ e: EventEnvelope<P>)
        -> (type: String, version: Int, eventId: String, aggregateId: String,
            correlationId: String?, headers: [(String, [UInt8])], topic: CoffeeTopic) {
        (e.type, e.schemaVersion, e.eventId, e.aggregateId, e.correlationId, e.headers, P.topic)
    }

    /// The envelope's `type`.
    public var type: String { common.type }
    /// The envelope's `schemaVersion`.
    public var schemaVersion: Int { common.version }
    /// The envelope's `eventId` (the inbox de-duplication key).
    public var eventId: String { common.eventId }
    /// The envelope's `aggregateId`, which is also the record key.
    public var aggregateId: String { common.aggregateId }
    /// The envelope's `correlationId`, if any.
    public var correlationId: String? { common.correlationId }
    /// The topic this event type is carried on.
    public var topic: CoffeeTopic { common.topic }
    /// The record key bytes: the UTF-8 of `aggregateId`.
    public var key: [UInt8] { Array(aggregateId.utf8) }
    /// The record headers to send: `type`, `schemaVersion` (decimal text), and `correlationId` when present.
    public var headers: [(String, [UInt8])] { common.headers }
}
