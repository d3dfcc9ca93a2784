/// The hot path of event JSON: a hand-written decoder and encoder for `CoffeeEvent`, used by
/// `CoffeeEvent.decode(json:)` and `encodeThrowing()` before (decoding) or instead of
/// (encoding) Foundation's `JSONDecoder`/`JSONEncoder`, which cost the services more than all
/// of their own event handling.
///
/// Decoding is a fast path, not a second definition of the contract: it returns an event only
/// for input it fully understands — well-formed JSON (RFC 8259), valid UTF-8, every object
/// free of duplicate keys, a known type and version, every required field present with its
/// exact JSON type, integers written as plain integers — and nil for anything else, after
/// which the caller decodes with `JSONDecoder` and reports exactly the error it always did.
/// Wherever it returns a value, that value equals what `JSONDecoder` decodes from the same bytes
/// (unknown fields ignored, a `null` optional read as absent); the tests hold the two side by side.
///
/// Encoding produces the same bytes as `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes`: keys in byte order, no whitespace, nil optionals omitted, `"` and
/// `\` escaped, control characters as `\b \t \n \f \r` or `\u00xx`, everything else as UTF-8.
enum FastEventJSON {
    // MARK: decoding

    /// The event in `bytes`, or nil when the fast path does not accept them (see the type).
    static func decode(_ bytes: [UInt8]) -> CoffeeEvent? {
        bytes.withUnsafeBufferPointer { buffer -> CoffeeEvent? in
            guard case .object(let envelope)? = StrictJSON.parse(buffer) else { return nil }
            return event(from: envelope)
        }
    }

    private static func event(from envelope: StrictJSON.Object) -> CoffeeEvent? {
        guard let type = envelope.string("type"), let version = envelope.int("schemaVersion") else { return nil }
        switch type {
        case MemberRegistered.eventType:
            return envelopeOf(envelope, version: version, payload: memberRegistered).map(CoffeeEvent.memberRegistered)
        case OrderPlaced.eventType:
            return envelopeOf(envelope, version: version, payload: orderPlaced).map(CoffeeEvent.orderPlaced)
        case OrderCancellationRequested.eventType:
            return envelopeOf(envelope, version: version) { p in
                orderIdAnd(p, optional: "reason") { OrderCancellationRequested(orderId: $0, reason: $1) }
            }.map(CoffeeEvent.orderCancellationRequested)
        case OrderPickedUp.eventType:
            return envelopeOf(envelope, version: version) { $0.string("orderId").map(OrderPickedUp.init) }
                .map(CoffeeEvent.orderPickedUp)
        case OrderBrewingStarted.eventType:
            return envelopeOf(envelope, version: version) { p in
                orderIdAnd(p, optional: "barista") { OrderBrewingStarted(orderId: $0, barista: $1) }
            }.map(CoffeeEvent.orderBrewingStarted)
        case OrderReady.eventType:
            return envelopeOf(envelope, version: version) { $0.string("orderId").map(OrderReady.init) }
                .map(CoffeeEvent.orderReady)
        case OrderCancelled.eventType:
            return envelopeOf(envelope, version: version) { $0.string("orderId").map(OrderCancelled.init) }
                .map(CoffeeEvent.orderCancelled)
        case CancellationRejected.eventType:
            return envelopeOf(envelope, version: version) { p in
                orderIdAnd(p, required: "reason") { CancellationRejected(orderId: $0, reason: $1) }
            }.map(CoffeeEvent.cancellationRejected)
        case OrderFailed.eventType:
            return envelopeOf(envelope, version: version) { p in
                orderIdAnd(p, required: "reason") { OrderFailed(orderId: $0, reason: $1) }
            }.map(CoffeeEvent.orderFailed)
        case DrinkRequested.eventType:
            return envelopeOf(envelope, version: version) { p in
                guard let orderId = p.string("orderId"), let ticketId = p.string("ticketId"), let drink = p.string("drink"),
                      let sizeText = p.string("size"), let size = DrinkSize(rawValue: sizeText) else { return nil }
                return DrinkRequested(orderId: orderId, ticketId: ticketId, drink: drink, size: size)
            }.map(CoffeeEvent.drinkRequested)
        case DrinkStarted.eventType:
            return envelopeOf(envelope, version: version) { p in
                drinkProgress(p) { DrinkStarted(orderId: $0, ticketId: $1, worker: $2, attempt: $3) }
            }.map(CoffeeEvent.drinkStarted)
        case DrinkBrewed.eventType:
            return envelopeOf(envelope, version: version) { p in
                drinkProgress(p) { DrinkBrewed(orderId: $0, ticketId: $1, worker: $2, attempt: $3) }
            }.map(CoffeeEvent.drinkBrewed)
        case DrinkFailed.eventType:
            return envelopeOf(envelope, version: version) { p in
                guard let orderId = p.string("orderId"), let ticketId = p.string("ticketId"), let worker = p.string("worker"),
                      let attempts = p.int("attempts"), let reason = p.string("reason") else { return nil }
                return DrinkFailed(orderId: orderId, ticketId: ticketId, worker: worker, attempts: attempts, reason: reason)
            }.map(CoffeeEvent.drinkFailed)
        default:
            return nil
        }
    }

    private static func envelopeOf<P: EventPayload>(
        _ fields: StrictJSON.Object, version: Int, payload decodePayload: (StrictJSON.Object) -> P?
    ) -> EventEnvelope<P>? {
        guard version == P.schemaVersion,
              let eventId = fields.string("eventId"),
              let occurredAt = fields.string("occurredAt"),
              let aggregateId = fields.string("aggregateId"),
              let correlationId = fields.optionalString("correlationId"),
              case .object(let payloadFields)? = fields["payload"],
              let payload = decodePayload(payloadFields)
        else { return nil }
        return EventEnvelope(
            eventId: eventId, type: P.eventType, schemaVersion: version, occurredAt: occurredAt,
            aggregateId: aggregateId, correlationId: correlationId, payload: payload)
    }

    /// A payload of `orderId` and one more string, required or optional.
    private static func orderIdAnd<P>(_ p: StrictJSON.Object, required key: String, _ make: (String, String) -> P) -> P? {
        guard let orderId = p.string("orderId"), let other = p.string(key) else { return nil }
        return make(orderId, other)
    }

    private static func orderIdAnd<P>(_ p: StrictJSON.Object, optional key: String, _ make: (String, String?) -> P) -> P? {
        guard let orderId = p.string("orderId"), let other = p.optionalString(key) else { return nil }
        return make(orderId, other)
    }

    /// A payload of `orderId`, `ticketId`, `worker` and `attempt` (`DrinkStarted`, `DrinkBrewed`).
    private static func drinkProgress<P>(_ p: StrictJSON.Object, _ make: (String, String, String, Int) -> P) -> P? {
        guard let orderId = p.string("orderId"), let ticketId = p.string("ticketId"), let worker = p.string("worker"),
              let attempt = p.int("attempt") else { return nil }
        return make(orderId, ticketId, worker, attempt)
    }

    private static func memberRegistered(_ p: StrictJSON.Object) -> MemberRegistered? {
        guard let memberId = p.string("memberId"), let name = p.string("name"), let email = p.string("email"),
              let phone = p.optionalString("phone")
        else { return nil }
        return MemberRegistered(memberId: memberId, name: name, email: email, phone: phone)
    }

    private static func orderPlaced(_ p: StrictJSON.Object) -> OrderPlaced? {
        guard let orderId = p.string("orderId"), let memberId = p.string("memberId"),
              let placedAt = p.string("placedAt"), case .array(let itemValues)? = p["items"]
        else { return nil }
        guard let items = orderItems(itemValues) else { return nil }
        return OrderPlaced(orderId: orderId, memberId: memberId, items: items, placedAt: placedAt)
    }

    /// Order lines from parsed array elements; nil unless every element is a valid line.
    static func orderItems(_ values: [StrictJSON.Value]) -> [OrderItem]? {
        var items: [OrderItem] = []
        items.reserveCapacity(values.count)
        for value in values {
            guard case .object(let item) = value, let drink = item.string("drink"),
                  let sizeText = item.string("size"), let size = DrinkSize(rawValue: sizeText),
                  let quantity = item.int("quantity")
            else { return nil }
            items.append(OrderItem(drink: drink, size: size, quantity: quantity))
        }
        return items
    }

    // MARK: encoding

    /// `event` as `JSONEncoder` (sorted keys, slashes unescaped) encodes it.
    static func encode(_ event: CoffeeEvent) -> [UInt8] {
        var out = Writer()
        switch event {
        case .memberRegistered(let e):
            out.envelope(e) { out, p in
                out.object {
                    $0.field("email", p.email)
                    $0.field("memberId", p.memberId)
                    $0.field("name", p.name)
                    $0.field("phone", p.phone)
                }
            }
        case .orderPlaced(let e):
            out.envelope(e) { out, p in
                out.object {
                    $0.key("items")
                    $0.items(p.items)
                    $0.field("memberId", p.memberId)
                    $0.field("orderId", p.orderId)
                    $0.field("placedAt", p.placedAt)
                }
            }
        case .orderCancellationRequested(let e):
            out.envelope(e) { out, p in out.orderIdAndReason(p.orderId, p.reason) }
        case .orderPickedUp(let e):
            out.envelope(e) { out, p in out.orderIdAndReason(p.orderId, nil) }
        case .orderBrewingStarted(let e):
            out.envelope(e) { out, p in
                out.object {
                    $0.field("barista", p.barista)
                    $0.field("orderId", p.orderId)
                }
            }
        case .orderReady(let e):
            out.envelope(e) { out, p in out.orderIdAndReason(p.orderId, nil) }
        case .orderCancelled(let e):
            out.envelope(e) { out, p in out.orderIdAndReason(p.orderId, nil) }
        case .cancellationRejected(let e):
            out.envelope(e) { out, p in out.orderIdAndReason(p.orderId, p.reason) }
        case .orderFailed(let e):
            out.envelope(e) { out, p in out.orderIdAndReason(p.orderId, p.reason) }
        case .drinkRequested(let e):
            out.envelope(e) { out, p in
                out.object {
                    $0.field("drink", p.drink)
                    $0.field("orderId", p.orderId)
                    $0.field("size", p.size.rawValue)
                    $0.field("ticketId", p.ticketId)
                }
            }
        case .drinkStarted(let e):
            out.envelope(e) { out, p in out.drinkProgress(p.orderId, p.ticketId, p.worker, p.attempt) }
        case .drinkBrewed(let e):
            out.envelope(e) { out, p in out.drinkProgress(p.orderId, p.ticketId, p.worker, p.attempt) }
        case .drinkFailed(let e):
            out.envelope(e) { out, p in
                out.object {
                    $0.field("attempts", p.attempts)
                    $0.field("orderId", p.orderId)
                    $0.field("reason", p.reason)
                    $0.field("ticketId", p.ticketId)
                    $0.field("worker", p.worker)
                }
            }
        }
        return out.bytes
    }

    /// Compact JSON output. Callers write object members in byte order of their keys.
    struct Writer {
        var bytes: [UInt8] = []
        /// Whether the object or array being written has a member already (a comma comes next).
        private var needsComma = false

        init() { bytes.reserveCapacity(384) }

        /// The envelope's members in key order, with `payload` written by `payload`.
        mutating func envelope<P>(_ e: EventEnvelope<P>, payload: (inout Writer, P) -> Void) {
            object {
                $0.field("aggregateId", e.aggregateId)
                $0.field("correlationId", e.correlationId)
                $0.field("eventId", e.eventId)
                $0.field("occurredAt", e.occurredAt)
                $0.key("payload")
                payload(&$0, e.payload)
                $0.field("schemaVersion", e.schemaVersion)
                $0.field("type", e.type)
            }
        }

        /// `{"orderId":…}` or `{"orderId":…,"reason":…}`: the payload of most order events.
        mutating func orderIdAndReason(_ orderId: String, _ reason: String?) {
            object {
                $0.field("orderId", orderId)
                $0.field("reason", reason)
            }
        }

        /// `{"attempt":…,"orderId":…,"ticketId":…,"worker":…}`: a drink's progress.
        mutating func drinkProgress(_ orderId: String, _ ticketId: String, _ worker: String, _ attempt: Int) {
            object {
                $0.field("attempt", attempt)
                $0.field("orderId", orderId)
                $0.field("ticketId", ticketId)
                $0.field("worker", worker)
            }
        }

        /// Order lines: `[{"drink":…,"quantity":…,"size":…},…]`.
        mutating func items(_ items: [OrderItem]) {
            array(items) { out, item in
                out.object {
                    $0.field("drink", item.drink)
                    $0.field("quantity", item.quantity)
                    $0.field("size", item.size.rawValue)
                }
            }
        }

        mutating func object(_ members: (inout Writer) -> Void) {
            bytes.append(UInt8(ascii: "{"))
            needsComma = false
            members(&self)
            bytes.append(UInt8(ascii: "}"))
            needsComma = true
        }

        mutating func array<T>(_ elements: [T], _ element: (inout Writer, T) -> Void) {
            bytes.append(UInt8(ascii: "["))
            needsComma = false
            for value in elements {
                if needsComma { bytes.append(UInt8(ascii: ",")) }
                element(&self, value)
                needsComma = true
            }
            bytes.append(UInt8(ascii: "]"))
            needsComma = true
        }

        /// `"key":` (after a comma when needed); the value must follow.
        mutating func key(_ name: StaticString) {
            if needsComma { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: ":"))
            needsComma = false
        }

        /// A string member; omitted when nil (as `encodeIfPresent`).
        mutating func field(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            key(name)
            string(value)
            needsComma = true
        }

        mutating func field(_ name: StaticString, _ value: Int) {
            key(name)
            bytes.append(contentsOf: String(value).utf8)
            needsComma = true
        }

        private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

        mutating func string(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
                case 0x0a: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
                case 0x0c: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
                case 0x0d: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
                case 0x00..<0x20:
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xf)]])
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}

extension OrderItem {
    /// Order lines as a compact JSON array with sorted keys, e.g.
    /// `[{"drink":"latte","quantity":2,"size":"small"}]` (slashes not escaped); what services
    /// store when they keep an order's lines as text.
    public static func jsonArray(_ items: [OrderItem]) -> String {
        var out = FastEventJSON.Writer()
        out.items(items)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// The lines of a JSON array of order lines (`drink` string, `size` one of the sizes,
    /// `quantity` integer; other members ignored), or nil when `json` is anything else — or
    /// well-formed JSON this strict reader leaves to `JSONDecoder` (duplicate keys, a quantity
    /// written `2.0`). Accepts what `jsonArray` and `JSONEncoder` write.
    public static func fromJSONArray(_ json: String) -> [OrderItem]? {
        var json = json
        return json.withUTF8 { bytes -> [OrderItem]? in
            guard case .array(let values)? = StrictJSON.parse(bytes) else { return nil }
            return FastEventJSON.orderItems(values)
        }
    }
}
