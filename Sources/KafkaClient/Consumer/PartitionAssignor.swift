/// The partition assignment strategies this client implements, named as on the wire (the
/// JoinGroup protocol names Kafka clients use, so mixed groups agree on one).
///
/// Both are *eager*: every member gives up all partitions before a rebalance. Thread-safe
/// (stateless).
public enum PartitionAssignor: String, Sendable, CaseIterable {
    /// Per topic, consecutive ranges of partitions (`RangeAssignor`).
    case range = "range"
    /// All partitions of all topics dealt out in turn (`RoundRobinAssignor`).
    case roundRobin = "roundrobin"

    /// The JoinGroup protocol name.
    public var protocolName: String { rawValue }

    /// The assignor for a protocol name chosen by the coordinator; nil if not implemented here.
    public init?(protocolName: String) {
        self.init(rawValue: protocolName)
    }

    /// Every member id of `members` → its partitions (sorted; empty for members that get none).
    /// `partitionCounts` gives the partition count of each topic; topics missing from it (or
    /// with no partitions) are not assigned.
    public func assign(members: [GroupMemberSubscription], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        switch self {
        case .range: RangeAssignor.assign(members: members, partitionCounts: partitionCounts)
        case .roundRobin: RoundRobinAssignor.assign(members: members, partitionCounts: partitionCounts)
        }
    }
}
