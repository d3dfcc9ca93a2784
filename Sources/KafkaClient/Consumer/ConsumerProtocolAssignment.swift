public import KafkaProtocol

/// The consumer protocol's Assignment: the bytes the group leader's SyncGroup carries for each
/// member (kafka-protocol.md §5.8, Kafka's `ConsumerProtocolAssignment.json`).
///
/// Bytes: classic encoding, `version INT16`, `assigned_partitions [topic STRING,
/// partitions [INT32]]`, `user_data NULLABLE_BYTES`; versions 0–3 share this layout. Readers
/// accept any version ≥ 0, ignore trailing bytes, and read zero bytes as "nothing assigned"
/// (what the coordinator hands a member the leader left out). A plain value; `Sendable`.
public struct ConsumerProtocolAssignment: Sendable, Equatable {
    /// The assigned partitions, grouped by topic on the wire in order of first appearance.
    public var partitions: [TopicPartition]
    /// Assignor-specific data; nil = none.
    public var userData: [UInt8]?

    /// An assignment of `partitions`.
    public init(partitions: [TopicPartition], userData: [UInt8]? = nil) {
        self.partitions = partitions
        self.userData = userData
    }

    /// The bytes at `version` (clamped to 0...3; the layout is the same).
    public func encoded(version: Int16 = 0) -> [UInt8] {
        var writer = ProtocolWriter(flexible: false)
        writer.writeInt16(min(max(version, 0), 3))
        Self.writePartitions(partitions, to: &writer)
        writer.writeNullableBytes(userData)
        return writer.encoded
    }

    /// Decodes an assignment of any version ≥ 0; empty bytes are an empty assignment.
    public init(decoding bytes: [UInt8]) throws(ProtocolError) {
        self.init(partitions: [])
        guard !bytes.isEmpty else { return }
        var reader = ProtocolReader(bytes, flexible: false)
        let version = try reader.readInt16()
        guard version >= 0 else { throw .invalidValue("consumer protocol assignment version \(version)") }
        partitions = try Self.readPartitions(&reader, field: "assigned_partitions")
        // user_data is absent from some minimal encoders' output; treat a missing field as nil.
        if reader.remaining > 0 { userData = try reader.readNullableBytes("assignment user_data") }
    }

    /// Writes `[topic STRING, partitions [INT32]]`, grouping partitions by topic in order of first appearance.
    static func writePartitions(_ partitions: [TopicPartition], to writer: inout ProtocolWriter) {
        var order: [String] = []
        var byTopic: [String: [Int32]] = [:]
        for partition in partitions {
            if byTopic[partition.topic] == nil { order.append(partition.topic) }
            byTopic[partition.topic, default: []].append(partition.partition)
        }
        writer.writeArray(order) { w, topic in
            w.writeString(topic)
            w.writeArray(byTopic[topic] ?? []) { w, index in w.writeInt32(index) }
        }
    }

    /// Reads `[topic STRING, partitions [INT32]]` into a flat list in wire order.
    static func readPartitions(_ reader: inout ProtocolReader, field: String) throws(ProtocolError) -> [TopicPartition] {
        let groups = try reader.readArray(field) { (r: inout ProtocolReader) throws(ProtocolError) -> [TopicPartition] in
            let topic = try r.readString("\(field) topic")
            return try r.readArray("\(field) partitions") { (r: inout ProtocolReader) throws(ProtocolError) in
                TopicPartition(topic: topic, partition: try r.readInt32())
            }
        }
        return groups.flatMap { $0 }
    }
}
