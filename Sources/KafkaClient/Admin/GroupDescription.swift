import KafkaProtocol

/// A group as `KafkaAdmin.describeGroup` reports it. A value type; `Sendable`.
public struct GroupDescription: Sendable, Equatable {
    /// The group id.
    public var groupId: String
    /// The group's state; `.dead` when the group does not exist.
    public var state: GroupState
    /// `consumer` for consumer groups, empty for offset-only groups.
    public var protocolType: String
    /// The chosen assignment strategy (e.g. `range`); empty unless the group is Stable.
    public var protocolName: String
    /// The current members.
    public var members: [GroupMemberDescription]

    /// A group description.
    public init(groupId: String, state: GroupState, protocolType: String, protocolName: String, members: [GroupMemberDescription]) {
        self.groupId = groupId
        self.state = state
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.members = members
    }

    /// The member a partition is assigned to, if any.
    public func owner(of partition: TopicPartition) -> GroupMemberDescription? {
        members.first { $0.assignment.contains(partition) }
    }

    /// Decodes the consumer protocol's Assignment bytes (kafka-protocol.md §5.8): INT16 version,
    /// `[topic STRING, partitions [INT32]]`, then `user_data` (ignored, as are fields of later
    /// versions). Empty bytes mean nothing assigned; nil when the bytes are malformed.
    static func decodeConsumerAssignment(_ bytes: [UInt8]) -> [TopicPartition]? {
        guard !bytes.isEmpty else { return [] }
        var reader = ProtocolReader(bytes, flexible: false)
        do {
            let version = try reader.readInt16()
            guard version >= 0 else { return nil }
            let topics = try reader.readArray("assigned_partitions") { (r: inout ProtocolReader) throws(ProtocolError) -> [TopicPartition] in
                let topic = try r.readString("topic")
                let partitions = try r.readArray("partitions") { (p: inout ProtocolReader) throws(ProtocolError) -> Int32 in try p.readInt32() }
                return partitions.map { TopicPartition(topic: topic, partition: $0) }
            }
            return topics.flatMap { $0 }.sorted()
        } catch {
            return nil
        }
    }
}
