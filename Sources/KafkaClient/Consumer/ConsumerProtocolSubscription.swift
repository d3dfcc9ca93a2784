public import KafkaProtocol

/// The consumer protocol's Subscription: the JoinGroup protocol metadata every consumer sends
/// for each assignor it offers (kafka-protocol.md §5.8, Kafka's
/// `ConsumerProtocolSubscription.json`), opaque to the broker and decoded by the group leader.
///
/// Bytes: classic (non-flexible) encoding, `version INT16`, `topics [STRING]`,
/// `user_data NULLABLE_BYTES`, v1+ `owned_partitions [topic STRING, partitions [INT32]]`,
/// v2+ `generation_id INT32`, v3+ `rack_id NULLABLE_STRING`. Readers accept any version ≥ 0 and
/// ignore bytes after the fields they know (later versions only append fields).
/// A plain value; `Sendable`.
public struct ConsumerProtocolSubscription: Sendable, Equatable {
    /// The newest version this type reads and writes field by field.
    public static let latestVersion: Int16 = 3

    /// The subscribed topics.
    public var topics: [String]
    /// Assignor-specific data; nil = none.
    public var userData: [UInt8]?
    /// Partitions the member owns now (v1+), grouped by topic on the wire in order of first
    /// appearance; `[]` when absent.
    public var ownedPartitions: [TopicPartition]
    /// The generation the owned partitions belong to (v2+); -1 = unknown or absent.
    public var generationId: Int32
    /// The member's rack (v3+); nil = unknown or absent.
    public var rackId: String?

    /// A subscription to `topics`.
    public init(topics: [String], userData: [UInt8]? = nil, ownedPartitions: [TopicPartition] = [],
                generationId: Int32 = -1, rackId: String? = nil) {
        self.topics = topics
        self.userData = userData
        self.ownedPartitions = ownedPartitions
        self.generationId = generationId
        self.rackId = rackId
    }

    /// The bytes at `version` (clamped to 0...`latestVersion`); fields the version lacks are
    /// left out.
    public func encoded(version: Int16 = 1) -> [UInt8] {
        let version = min(max(version, 0), Self.latestVersion)
        var writer = ProtocolWriter(flexible: false)
        writer.writeInt16(version)
        writer.writeArray(topics) { w, topic in w.writeString(topic) }
        writer.writeNullableBytes(userData)
        if version >= 1 { ConsumerProtocolAssignment.writePartitions(ownedPartitions, to: &writer) }
        if version >= 2 { writer.writeInt32(generationId) }
        if version >= 3 { writer.writeNullableString(rackId) }
        return writer.encoded
    }

    /// Decodes a subscription of any version ≥ 0; throws on a negative version or bytes that end
    /// inside a field the version declares.
    public init(decoding bytes: [UInt8]) throws(ProtocolError) {
        var reader = ProtocolReader(bytes, flexible: false)
        let version = try reader.readInt16()
        guard version >= 0 else { throw .invalidValue("consumer protocol subscription version \(version)") }
        self.init(topics: try reader.readArray("subscription topics") { (r: inout ProtocolReader) throws(ProtocolError) in
            try r.readString("subscription topic")
        })
        userData = try reader.readNullableBytes("subscription user_data")
        if version >= 1 { ownedPartitions = try ConsumerProtocolAssignment.readPartitions(&reader, field: "owned_partitions") }
        if version >= 2 { generationId = try reader.readInt32() }
        if version >= 3 { rackId = try reader.readNullableString("rack_id") }
    }
}
