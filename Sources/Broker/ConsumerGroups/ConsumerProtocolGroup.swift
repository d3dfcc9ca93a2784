/// A consumer-protocol group (KIP-848): its members, the group epoch (bumped on every change of
/// membership, subscriptions or subscribed topics' partition counts), and the target assignment
/// computed at `assignmentEpoch`.
///
/// Invariants: `assignmentEpoch <= groupEpoch` (the coordinator recomputes the target in the
/// same step as the bump, so they are equal between calls); `targetAssignment` has an entry for
/// every member and no partition in two entries; member epochs are at most `assignmentEpoch`
/// (or -2). A value type: thread-safety is the owner's (the coordinator's lock).
struct ConsumerProtocolGroup: Sendable, Equatable {
    /// Kafka's `ConsumerGroup.ConsumerGroupState`, as DescribeGroups and ListGroups show it.
    enum State: String, Sendable {
        case empty = "Empty"
        case assigning = "Assigning"
        case reconciling = "Reconciling"
        case stable = "Stable"
    }

    let groupId: String
    var groupEpoch: Int32 = 0
    var assignmentEpoch: Int32 = 0
    var members: [String: ConsumerGroupMember] = [:]
    /// Member id → the partitions the assignor intends it to own.
    var targetAssignment: [String: ConsumerAssignment] = [:]
    /// Partition counts of the subscribed topics that exist, when the target was computed.
    var partitionCounts: [String: Int] = [:]
    /// The assignor the target was computed with.
    var assignorName: String

    init(groupId: String, assignorName: String) {
        self.groupId = groupId
        self.assignorName = assignorName
    }

    var state: State {
        if members.isEmpty { return .empty }
        if groupEpoch > assignmentEpoch { return .assigning }
        return members.values.allSatisfy { $0.isReconciled(to: assignmentEpoch) } ? .stable : .reconciling
    }

    /// The member id that holds `instanceId`, if any.
    func memberId(instanceId: String) -> String? {
        members.values.first { $0.instanceId == instanceId }?.memberId
    }

    /// Every subscribed topic name, sorted.
    var subscribedTopics: [String] {
        Set(members.values.flatMap(\.subscribedTopics)).sorted()
    }

    /// The member that owns `partition` of `topic` (assigned or pending revocation), if any.
    func owner(_ topic: String, _ partition: Int32) -> String? {
        members.values.first { $0.owns(topic, partition) }?.memberId
    }
}
