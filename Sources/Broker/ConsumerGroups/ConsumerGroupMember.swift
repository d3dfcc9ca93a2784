/// One member of a consumer-protocol group (KIP-848), as the coordinator keeps it.
///
/// Invariants (kept by `ConsumerGroupCoordinator` and `ConsumerReconciler`):
/// - `assigned` and `pendingRevocation` are disjoint; together they are the partitions the
///   member owns, and no partition is owned by two members of a group;
/// - `state == .unrevokedPartitions` exactly when `pendingRevocation` is not empty, and then
///   `rebalanceDeadline` is set;
/// - `memberEpoch` is -2 only for a static member that left temporarily (it keeps `assigned`
///   until it rejoins or its session expires).
/// A value type: thread-safety is the owner's (the coordinator's lock).
struct ConsumerGroupMember: Sendable, Equatable {
    /// Kafka's `MemberState` of the reconciliation.
    enum State: String, Sendable, Equatable {
        /// At its epoch with everything of its target it can have.
        case stable
        /// Must give up `pendingRevocation` before it moves to the next epoch.
        case unrevokedPartitions
        /// At the target epoch, waiting for partitions that other members still own.
        case unreleasedPartitions
    }

    var memberId: String
    var instanceId: String? = nil
    var rackId: String? = nil
    var memberEpoch: Int32 = 0
    var previousMemberEpoch: Int32 = 0
    var state: State = .stable
    /// Partitions the member owns and may use.
    var assigned: ConsumerAssignment = [:]
    /// Partitions the member still owns but must revoke (acknowledged by a heartbeat whose
    /// owned partitions no longer hold them).
    var pendingRevocation: ConsumerAssignment = [:]
    /// Sorted, without duplicates.
    var subscribedTopicNames: [String] = []
    /// The regular expression (Kafka's syntax, matched against whole topic names) the member
    /// subscribes with besides its names; nil = none.
    var subscribedTopicRegex: String? = nil
    /// The existing topics `subscribedTopicRegex` matched at the last resolution, sorted.
    var regexTopics: [String] = []

    /// Every topic the member subscribes to: its names and what its regex matches.
    var subscribedTopics: Set<String> { Set(subscribedTopicNames).union(regexTopics) }
    /// The `ServerAssignor` the member asked for; nil = the group's default.
    var serverAssignor: String? = nil
    var rebalanceTimeoutMs: Int32 = 300_000
    var clientId: String = ""
    var clientHost: String = ""
    /// Wall-clock millis after which the member is removed without a heartbeat.
    var sessionDeadline: Int64 = 0
    /// Wall-clock millis after which a member still in `.unrevokedPartitions` is fenced.
    var rebalanceDeadline: Int64? = nil

    /// Whether the member is at `epoch` with nothing left to do.
    func isReconciled(to epoch: Int32) -> Bool { state == .stable && memberEpoch == epoch }

    /// Whether the member owns `partition` of `topic` (assigned or pending revocation).
    func owns(_ topic: String, _ partition: Int32) -> Bool {
        assigned[topic]?.contains(partition) == true || pendingRevocation[topic]?.contains(partition) == true
    }
}
