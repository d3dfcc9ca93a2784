/// Settings of a `KafkaConsumer` (the Java client's names in camel case, same defaults unless
/// noted). A value type; `Sendable`. `KafkaConsumer.init` validates it.
public struct ConsumerConfig: Sendable {
    /// Where to start reading a partition that has no committed offset, or whose position fell
    /// outside the log (OFFSET_OUT_OF_RANGE). A value type; `Sendable`.
    public enum AutoOffsetReset: Sendable, Equatable {
        /// The log start offset (the oldest record still kept).
        case earliest
        /// The log end offset (only records produced from now on).
        case latest
        /// No automatic reset: `poll` throws until the application seeks.
        case none
    }

    /// Which records of transactional producers `poll` returns (Java's `isolation.level`).
    /// A value type; `Sendable`.
    public enum IsolationLevel: Int8, Sendable, Equatable {
        /// Every record, including those of open and aborted transactions (Fetch isolation 0).
        case readUncommitted = 0
        /// Only committed records: fetches stop at the last stable offset, aborted
        /// transactions are dropped, and "latest" means the last stable offset (isolation 1).
        case readCommitted = 1
    }

    /// Which consumer group protocol a subscribed consumer speaks (Java's `group.protocol`).
    /// A value type; `Sendable`.
    public enum GroupProtocol: String, Sendable, Equatable {
        /// JoinGroup/SyncGroup/Heartbeat with client-side assignors and eager rebalances.
        /// No regular-expression subscriptions (`subscribe(pattern:)` throws at once).
        case classic
        /// Kafka 4's protocol (KIP-848): ConsumerGroupHeartbeat, server-side assignment and
        /// incremental reconciliation; the coordinator must support it.
        case consumer
        /// `.consumer` when the group coordinator advertises ConsumerGroupHeartbeat (API key
        /// 68), `.classic` otherwise (e.g. Tansu, Redpanda, Kafka before 4.0). Decided at the
        /// first `poll` of a subscription, so a `subscribe(pattern:)` that meets a classic-only
        /// coordinator fails there (`unsupported`), not at `subscribe`.
        case auto
    }

    /// The consumer group; nil = no group (manual `assign` only, no commits).
    public var groupId: String?
    /// Static membership (KIP-345): a stable id per consumer instance; such members keep their
    /// assignment across restarts within the session timeout and never send LeaveGroup (with
    /// the consumer protocol they leave "for now", epoch -2). A replacement that starts while
    /// the coordinator still holds the id for a previous process that did not leave (killed)
    /// gets UNRELEASED_INSTANCE_ID with the consumer protocol; this client keeps retrying the
    /// join (no records meanwhile) until that member's session expires.
    public var groupInstanceId: String?
    /// Where to start without a committed offset. Default `.latest`.
    public var autoOffsetReset: AutoOffsetReset = .latest
    /// Commit positions periodically from `poll`, before each rebalance and on `close`.
    public var enableAutoCommit = true
    /// How often `poll` auto-commits.
    public var autoCommitIntervalMs = 5_000
    /// The coordinator drops a member that has not heartbeated for this long.
    public var sessionTimeoutMs = 10_000
    /// How often the background thread heartbeats (must be below `sessionTimeoutMs`).
    public var heartbeatIntervalMs = 3_000
    /// How long the coordinator waits for every member to rejoin during a rebalance; a member
    /// that does not call `poll` within it is dropped from the group.
    public var rebalanceTimeoutMs = 60_000
    /// The group protocol. Default `.auto`: the consumer protocol where the coordinator offers
    /// it (kaffeed, Kafka 4), classic elsewhere (Tansu, Redpanda, older Kafka). Java and
    /// librdkafka still default to classic. With the consumer protocol the session timeout is
    /// the group's (`consumer.session.timeout.ms`, set by the broker or with
    /// IncrementalAlterConfigs), not `sessionTimeoutMs`.
    public var groupProtocol: GroupProtocol = .auto
    /// With the consumer protocol: the server-side assignor to ask for (e.g. "uniform",
    /// "range"); nil = the coordinator's default (Java's `group.remote.assignor`).
    public var groupRemoteAssignor: String?
    /// Assignment strategies offered to the group, in preference order.
    public var assignors: [PartitionAssignor] = [.range, .roundRobin]
    /// How long a fetch may wait at the broker for `fetchMinBytes` to accumulate.
    public var fetchMaxWaitMs = 500
    /// The broker answers a fetch once this many bytes are available (or the wait expires).
    public var fetchMinBytes = 1
    /// Per-partition size limit of one fetch (a larger first batch is still returned whole).
    public var maxPartitionFetchBytes = 1 << 20
    /// Size limit of one fetch response.
    public var fetchMaxBytes = 50 << 20
    /// Whether records of aborted (and still open) transactions are skipped. Default
    /// `.readUncommitted`, as in Java.
    public var isolationLevel: IsolationLevel = .readUncommitted

    /// A configuration for `groupId` (nil = manual assignment only) with default settings.
    public init(groupId: String? = nil) {
        self.groupId = groupId
    }

    /// Throws `invalidArgument` naming the first inconsistent setting.
    func validate() throws(KafkaClientError) {
        func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(KafkaClientError) {
            if !condition { throw .invalidArgument("invalid consumer config: \(message())") }
        }
        let int32Max = Int(Int32.max)
        try check(groupId.map { !$0.isEmpty } ?? true, "groupId must not be empty (use nil for no group)")
        try check(groupInstanceId.map { !$0.isEmpty } ?? true, "groupInstanceId must not be empty (use nil for a dynamic member)")
        try check(groupInstanceId == nil || groupId != nil, "groupInstanceId needs a groupId")
        try check(sessionTimeoutMs > 0 && sessionTimeoutMs <= int32Max, "sessionTimeoutMs \(sessionTimeoutMs) must be in 1...\(int32Max)")
        try check(heartbeatIntervalMs > 0 && heartbeatIntervalMs < sessionTimeoutMs,
                  "heartbeatIntervalMs \(heartbeatIntervalMs) must be positive and below sessionTimeoutMs \(sessionTimeoutMs)")
        try check(rebalanceTimeoutMs > 0 && rebalanceTimeoutMs <= int32Max, "rebalanceTimeoutMs \(rebalanceTimeoutMs) must be in 1...\(int32Max)")
        try check(!enableAutoCommit || (autoCommitIntervalMs > 0 && autoCommitIntervalMs <= int32Max),
                  "autoCommitIntervalMs \(autoCommitIntervalMs) must be in 1...\(int32Max)")
        try check(groupRemoteAssignor.map { !$0.isEmpty } ?? true, "groupRemoteAssignor must not be empty (use nil for the coordinator's default)")
        try check(!assignors.isEmpty, "assignors must not be empty")
        try check(Set(assignors).count == assignors.count, "assignors must not repeat")
        try check(fetchMaxWaitMs >= 0 && fetchMaxWaitMs <= int32Max, "fetchMaxWaitMs \(fetchMaxWaitMs) must be in 0...\(int32Max)")
        try check(fetchMinBytes >= 0 && fetchMinBytes <= int32Max, "fetchMinBytes \(fetchMinBytes) must be in 0...\(int32Max)")
        try check(maxPartitionFetchBytes > 0 && maxPartitionFetchBytes <= int32Max, "maxPartitionFetchBytes must be in 1...\(int32Max)")
        try check(fetchMaxBytes > 0 && fetchMaxBytes <= int32Max, "fetchMaxBytes must be in 1...\(int32Max)")
    }
}
