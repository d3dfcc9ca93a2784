/// Everything a `KafkaConsumer` changes at run time, kept in one value behind the consumer's
/// mutex. Only short, non-blocking critical sections touch it; network I/O happens outside the
/// lock with a snapshot, and results are applied afterwards only if the state they were based
/// on still holds (same assignment and position, same generation and member id).
struct ConsumerState: Sendable {
    /// How partitions are chosen.
    enum Mode: Sendable, Equatable {
        /// Neither `subscribe` nor `assign` yet (or after `unsubscribe`).
        case none
        /// Group-managed assignment of the subscription's topics.
        case subscribed(Subscription)
        /// Manual assignment (`assign`); no group membership.
        case assigned
    }

    /// What a group member subscribes to.
    enum Subscription: Sendable, Equatable {
        /// These topics by name (each must exist when the member joins).
        case topics(Set<String>)
        /// Every topic whose whole name matches this regular expression, resolved by the
        /// coordinator (consumer protocol only: KIP-848's `SubscribedTopicRegex`).
        case pattern(String)
    }

    /// The group protocol in use, chosen at the first join (`ConsumerConfig.groupProtocol`).
    enum ActiveProtocol: Sendable, Equatable {
        case classic
        case consumer
    }

    /// Membership in a consumer-protocol group (KIP-848). The member id is `memberId` (chosen
    /// by the client, kept across rejoins) and the member epoch is mirrored in `generationId`
    /// (OffsetCommit v9 sends it as GenerationIdOrMemberEpoch).
    struct ConsumerMembership: Sendable {
        /// 0 = not a member (join next), > 0 = the epoch of the last answer.
        var epoch: Int32 = 0
        /// From the coordinator's last answer.
        var heartbeatIntervalMs: Int
        var lastHeartbeatNanos: UInt64 = 0
        /// The latest assignment the coordinator sent that `poll` has not reconciled yet.
        var target: Set<TopicPartition>?
        /// Fenced (FENCED_MEMBER_EPOCH / UNKNOWN_MEMBER_ID): `poll` drops every partition
        /// (listener `partitionsLost`) before the member rejoins at epoch 0.
        var lost = false
        /// The member left (close/unsubscribe): no heartbeats until `subscribe` again.
        var left = false
        /// What the last acknowledged heartbeat reported (nil = send the full fields).
        var sentSubscription: Subscription?
        /// A heartbeat carried a regex that may still be set at the coordinator: the next full
        /// heartbeat of a topic subscription clears it (`SubscribedTopicRegex` "").
        var regexMaySurvive = false
        var sentOwned: Set<TopicPartition>?
        /// Heartbeat at the next check (subscription changed).
        var heartbeatSoon = false
    }

    /// nil until the first join resolves `.auto`.
    var activeProtocol: ActiveProtocol?
    /// Consumer-protocol membership (unused by classic members).
    var membership: ConsumerMembership

    init(heartbeatIntervalMs: Int) {
        membership = ConsumerMembership(heartbeatIntervalMs: heartbeatIntervalMs)
    }

    /// Subscription, manual assignment or neither.
    var mode: Mode = .none
    /// The subscription's rebalance callbacks.
    var listener: ConsumerRebalanceListener?
    /// The partitions this consumer reads now.
    var assignment: Set<TopicPartition> = []
    /// Next offset to read per assigned partition; missing = not yet known (committed offset
    /// or `autoOffsetReset` is looked up by the next `poll`).
    var positions: [TopicPartition: Int64] = [:]
    /// The last offsets committed successfully (so auto-commit only sends changes).
    var lastCommitted: [TopicPartition: Int64] = [:]

    /// Member id from the coordinator ("" = none yet).
    var memberId = ""
    /// The generation of the last successful join (-1 = none).
    var generationId: Int32 = -1
    /// True between a successful SyncGroup and the next rejoin; heartbeats only run then.
    var isJoined = false
    /// Non-nil = the next `poll` must rejoin (the reason goes into JoinGroup v8+).
    var rejoinReason: String?
    /// A membership error that ends this consumer (FENCED_INSTANCE_ID); every `poll` throws it.
    var fatalError: KafkaClientError?

    /// A `poll` is running (polls must not overlap).
    var polling = false
    /// `close()` was called; every later call fails with `closed`.
    var closed = false
    /// Started by the first successful join, stopped by `close()` or deinit.
    var heartbeat: HeartbeatThread?
    /// Leaders moved or vanished: refresh metadata before the next fetch.
    var metadataStale = false
    /// Monotonic time of the next auto-commit.
    var nextAutoCommitNanos: UInt64 = 0

    /// Whether the next `poll` has to (re)join the group.
    var needsJoin: Bool { !isJoined || rejoinReason != nil }

    /// Consumer protocol: the member was fenced or forgotten; `poll` drops the partitions
    /// (without committing) before it rejoins at epoch 0 with the same member id.
    mutating func markLost() {
        membership.epoch = 0
        membership.target = nil
        membership.sentSubscription = nil
        membership.sentOwned = nil
        membership.lost = !assignment.isEmpty
        generationId = 0
        isJoined = false
    }

    /// A new subscription (or none) ends the errors of the old one: an invalid regex or a
    /// coordinator without regex support; other fatal errors stay.
    mutating func clearSubscriptionError() {
        switch fatalError {
        case .broker(.invalidRegularExpression, _)?, .unsupported(.consumerGroupHeartbeat, _)?: fatalError = nil
        default: break
        }
    }

    /// Forgets the current generation's assignment (eager rebalance) without touching the member id.
    mutating func dropAssignment() {
        assignment = []
        positions = [:]
        isJoined = false
    }
}
