/// Everything a `KafkaConsumer` changes at run time, kept in one value behind the consumer's
/// mutex. Only short, non-blocking critical sections touch it; network I/O happens outside the
/// lock with a snapshot, and results are applied afterwards only if the state they were based
/// on still holds (same assignment and position, same generation and member id).
struct ConsumerState: Sendable {
    /// How partitions are chosen.
    enum Mode: Sendable, Equatable {
        /// Neither `subscribe` nor `assign` yet (or after `unsubscribe`).
        case none
        /// Group-managed assignment of these topics.
        case subscribed(Set<String>)
        /// Manual assignment (`assign`); no group membership.
        case assigned
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

    /// Forgets the current generation's assignment (eager rebalance) without touching the member id.
    mutating func dropAssignment() {
        assignment = []
        positions = [:]
        isJoined = false
    }
}
