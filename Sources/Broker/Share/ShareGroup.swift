/// One member of a share group, as the coordinator knows it.
struct ShareGroupMember: Sendable, Equatable {
    var memberId: String
    /// The group epoch of the member's current assignment (0 before its first heartbeat is done).
    var memberEpoch: Int32 = 0
    var clientId: String = ""
    var clientHost: String = ""
    var rackId: String? = nil
    var subscribedTopics: Set<String> = []
    /// Topic → partitions the member fetches from.
    var assignment: [String: [Int32]] = [:]
    /// Wall-clock ms of the last heartbeat.
    var lastHeardMillis: Int64 = 0
}

/// A share group's membership state (KIP-932). A value type owned by `ShareGroupCoordinator`.
///
/// Invariants: `assignmentEpoch == groupEpoch` after every rebalance (the assignment is
/// computed at once); `partitionCounts` holds the partition counts of the subscribed topics the
/// current assignment was computed from.
struct ShareGroup: Sendable, Equatable {
    /// Kafka's share-group states (ShareGroupDescribe, ListGroups).
    enum State: String, Sendable {
        case empty = "Empty"
        case stable = "Stable"
        case dead = "Dead"
    }

    var groupId: String
    var groupEpoch: Int32 = 0
    var assignmentEpoch: Int32 = 0
    var members: [String: ShareGroupMember] = [:]
    var partitionCounts: [String: Int32] = [:]

    var state: State { members.isEmpty ? .empty : .stable }

    /// Every topic some member subscribes to.
    var subscribedTopics: Set<String> { Set(members.values.flatMap(\.subscribedTopics)) }

    /// The current partition counts of the subscribed topics that exist.
    func subscribedPartitionCounts(_ partitionCount: (String) -> Int32?) -> [String: Int32] {
        var counts: [String: Int32] = [:]
        for topic in subscribedTopics {
            if let count = partitionCount(topic) { counts[topic] = count }
        }
        return counts
    }
}
