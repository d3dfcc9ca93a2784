/// Topic name → partition ids: a member's assigned, pending-revocation or target partitions.
typealias ConsumerAssignment = [String: Set<Int32>]

/// One member as an assignor sees it.
struct AssignorMember: Sendable, Equatable {
    /// The topics the member subscribes to.
    var subscribedTopics: Set<String>
    /// The member's target assignment before this computation (empty for a new member); a
    /// sticky assignor keeps as much of it as balance allows.
    var previousTarget: ConsumerAssignment
}

/// A server-side assignor of the consumer group protocol (KIP-848): turns the members'
/// subscriptions and the subscribed topics' partition counts into each member's target
/// assignment. The coordinator picks one per group by the members' `ServerAssignor`.
///
/// Contract: every partition of a subscribed, existing topic goes to exactly one member that
/// subscribes to it (none when no member does); no partition goes to two members; every member
/// appears in the result (possibly with an empty assignment). Deterministic for equal input;
/// stateless, so safe to call from any thread.
protocol ConsumerGroupAssignor: Sendable {
    /// The name clients send in `ServerAssignor` (`uniform`, `range`).
    var name: String { get }
    /// `members`: member id → subscription and previous target. `partitionCounts`: topic →
    /// partition count, only for topics that exist. Returns member id → target assignment.
    func assign(members: [String: AssignorMember], partitionCounts: [String: Int]) -> [String: ConsumerAssignment]
}
