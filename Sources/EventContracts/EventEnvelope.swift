import Foundation

/// The JSON envelope around every coffee-shop event (see `Topics/README.md`, "Envelope").
///
/// `occurredAt` is kept as the RFC 3339 text it was received or produced with (not a `Date`),
/// so decoding and re-encoding reproduces it exactly and no precision or offset is lost.
/// Unknown envelope and payload fields are ignored on decode (additive evolution). When
/// `Payload` conforms to `EventPayload`, decoding also checks that `type` and `schemaVersion`
/// are the ones the payload type declares.
public struct EventEnvelope<Payload: Codable & Sendable>: Sendable {
    /// Unique id of this event (UUID text); consumers de-duplicate on it.
    public var eventId: String
    /// The event type name, e.g. `"OrderPlaced"`.
    public var type: String
    /// The schema version, the `vN` of the schema file.
    public var schemaVersion: Int
    /// When the event happened, as RFC 3339 text, e.g. `"2025-03-14T08:05:42.918Z"`.
    public var occurredAt: String
    /// The member id or order id the event is about; equals the record key.
    public var aggregateId: String
    /// The id of the flow that caused the event, if any.
    public var correlationId: String?
    /// The event type's fields.
    public var payload: Payload

    /// Creates an envelope from all of its fields, as given.
    public init(
        eventId: String, type: String, schemaVersion: Int, occurredAt: String,
        aggregateId: String, correlationId: String?, payload: Payload
    ) {
        self.eventId = eventId
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.aggregateId = aggregateId
        self.correlationId = correlationId
        self.payload = payload
    }

    /// The record headers to send with this event: `type`, `schemaVersion` (decimal text) and,
    /// when present, `correlationId`, all UTF-8.
    public var headers: [(String, [UInt8])] {
        var headers: [(String, [UInt8])] = [
            ("type", Array(type.utf8)),
            ("schemaVersion", Array(String(schemaVersion).utf8)),
        ]
        if let correlationId { headers.append(("correlationId", Array(correlationId.utf8))) }
        return headers
    }

    /// The record key bytes: the UTF-8 of `aggregateId`.
    public var key: [UInt8] { Array(aggregateId.utf8) }

    /// Encodes the envelope as compact UTF-8 JSON with sorted keys.
    public func encode() throws(ContractError) -> [UInt8] {
        try EventJSON.encode(self)
    }

    /// Decodes an envelope from a record value, mapping every failure to a `ContractError`.
    public static func decode(json: [UInt8]) throws(ContractError) -> EventEnvelope<Payload> {
        try EventJSON.decode(EventEnvelope<Payload>.self, from: json)
    }
}

extension EventEnvelope where Payload: EventPayload {
    /// Creates a new event for `payload`: type, version and aggregate id come from the payload
    /// type; `eventId` defaults to a fresh time-ordered UUID (`TimeOrderedUUID`) and `occurredAt` to
    /// now (UTC, milliseconds).
    public init(
        payload: Payload, correlationId: String? = nil,
        eventId: String? = nil, occurredAt: String? = nil
    ) {
        self.init(
            eventId: eventId ?? TimeOrderedUUID.next(), type: Payload.eventType, schemaVersion: Payload.schemaVersion,
            occurredAt: occurredAt ?? EventJSON.now(), aggregateId: payload.recordKey,
            correlationId: correlationId, payload: payload)
    }

    /// The topic that carries this event.
    public var topic: CoffeeTopic { Payload.topic }
}

extension EventEnvelope: Equatable where Payload: Equatable {}

extension EventEnvelope: Codable {
    private enum CodingKeys: String, CodingKey {
        case eventId, type, schemaVersion, occurredAt, aggregateId, correlationId, payload
    }

    /// Decodes the envelope, ignoring unknown fields and checking `type`/`schemaVersion`
    /// against `Payload` when it is an `EventPayload` (throws `ContractError` on mismatch).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        let schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        if let expected = Payload.self as? any EventPayload.Type {
            guard type == expected.eventType else {
                throw ContractError.typeMismatch(expected: expected.eventType, found: type)
            }
            guard schemaVersion == expected.schemaVersion else {
                throw ContractError.versionMismatch(type: type, expected: expected.schemaVersion, found: schemaVersion)
            }
        }
        self.init(
            eventId: try container.decode(String.self, forKey: .eventId),
            type: type,
            schemaVersion: schemaVersion,
            occurredAt: try container.decode(String.self, forKey: .occurredAt),
            aggregateId: try container.decode(String.self, forKey: .aggregateId),
            correlationId: try container.decodeIfPresent(String.self, forKey: .correlationId),
            payload: try container.decode(Payload.self, forKey: .payload))
    }

    /// Encodes the envelope; `correlationId` is omitted when nil.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventId, forKey: .eventId)
        try container.encode(type, forKey: .type)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(occurredAt, forKey: .occurredAt)
        try container.encode(aggregateId, forKey: .aggregateId)
        try container.encodeIfPresent(correlationId, forKey: .correlationId)
        try container.encode(payload, forKey: .payload)
    }
}
