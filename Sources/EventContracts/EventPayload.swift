/// The payload of one versioned coffee-shop event type (one `Topics/*/events/<Type>.v<N>.schema.json`).
public protocol EventPayload: Codable, Sendable, Equatable {
    /// The contract name carried in the envelope's `type` and the `type` header.
    static var eventType: String { get }
    /// The `vN` of the schema file, carried in `schemaVersion` and its header.
    static var schemaVersion: Int { get }
    /// The topic that carries this event type.
    static var topic: CoffeeTopic { get }
    /// The aggregate id (member id or order id): the record key and the envelope's `aggregateId`.
    var recordKey: String { get }
}
