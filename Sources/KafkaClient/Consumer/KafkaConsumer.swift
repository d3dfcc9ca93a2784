import KafkaProtocol
import SystemIO
import Synchronization

/// A Kafka consumer: reads records from manually assigned partitions (`assign`) or from the
/// partitions a consumer group hands it (`subscribe`; `subscribe(pattern:)` for a regular
/// expression under the consumer protocol), tracks a position per partition and
/// commits offsets. Groups speak Kafka 4's consumer protocol (KIP-848: server-side assignment,
/// incremental rebalances, member epochs) when the coordinator serves it, else the classic
/// protocol with the eager `range`/`roundrobin` assignors (`ConsumerConfig.groupProtocol`).
///
/// Threads and connections:
/// - `poll` does all the work that depends on polling (joins and rebalances, auto-commits,
///   position lookups, fetches) on the caller's thread; it blocks, so call it from an OS thread
///   (e.g. one started with `SystemThread.spawn`), never from Swift's cooperative pool.
/// - A background OS thread heartbeats the group coordinator every `heartbeatIntervalMs` while
///   the consumer is a group member; it only flags a needed rejoin, which the next `poll` does.
/// - Connections by purpose: fetches go over "fetch" connections to each leader (one request per
///   leader per round, in parallel), ListOffsets over "offsets" connections, group requests and
///   heartbeats over two separate coordinator connections. A long-poll fetch therefore never
///   delays a heartbeat or a commit.
///
/// Thread-safety: `Sendable`; all state sits behind one mutex that is never held during I/O.
/// `poll` must not run on two threads at once (the second throws `invalidArgument`); the other
/// methods may be called from any thread, including from rebalance callbacks (except `poll`,
/// `close` and `unsubscribe`). Call `close()` when done: it commits (with auto-commit), leaves
/// the group and closes connections; dropping the consumer only stops the heartbeat thread and
/// closes connections, and the group notices after `sessionTimeoutMs`.
///
/// A consumer group member, committing by hand after processing (at-least-once):
/// ```swift
/// var settings = ConsumerConfig(groupId: "billing")
/// settings.enableAutoCommit = false
/// settings.autoOffsetReset = .earliest
/// let consumer = try KafkaConsumer(config: config, consumerConfig: settings)
/// defer { consumer.close() }
/// try consumer.subscribe(["orders"])
/// while running {
///     for record in try consumer.poll(timeoutMs: 1_000) { handle(record) }
///     try consumer.commitSync()   // the positions after the records polled
/// }
/// ```
/// Manual assignment (no group; `groupId` may be nil) and seeking:
/// ```swift
/// let reader = try KafkaConsumer(config: config, consumerConfig: ConsumerConfig())
/// let partition = TopicPartition(topic: "orders", partition: 0)
/// try reader.assign([partition])
/// try reader.seek(partition, to: 42)   // or seekToBeginning / seekToEnd / seek(_:toTimestamp:)
/// let records = try reader.poll(timeoutMs: 500)
/// ```
public final class KafkaConsumer: Sendable {
    /// The client settings this consumer was created with.
    public let clientConfig: ClientConfig
    /// The consumer settings this consumer was created with.
    public let config: ConsumerConfig

    /// This consumer's own metadata cache and connection pool.
    let cluster: KafkaCluster
    /// nil when `config.groupId` is nil.
    let group: ConsumerGroupClient?
    /// Fetch requests per leader.
    let fetcher: ConsumerFetcher
    /// ListOffsets for resets and seeks.
    let lookup: OffsetLookup
    /// All mutable state; never held during I/O.
    let state: Mutex<ConsumerState>
    /// Serializes consumer-protocol heartbeats (the heartbeat thread's and `poll`'s).
    let heartbeatSection = ExclusiveSection()
    /// Wakes a waiting `poll` (rejoin flagged, close, new assignment or seek).
    let wake = ConditionSignal()
    let clock = SystemTimeSource()

    /// A consumer for the cluster at `config.bootstrapServers`. Connects lazily (the first
    /// `poll` or offset call); throws `invalidArgument` for inconsistent settings.
    public init(config: ClientConfig, consumerConfig: ConsumerConfig) throws(KafkaClientError) {
        try consumerConfig.validate()
        guard !config.bootstrapServers.isEmpty else { throw .invalidArgument("no bootstrap servers configured") }
        clientConfig = config
        self.config = consumerConfig
        state = Mutex(ConsumerState(heartbeatIntervalMs: consumerConfig.heartbeatIntervalMs))
        let cluster = KafkaCluster(config: config)
        self.cluster = cluster
        group = consumerConfig.groupId.map { ConsumerGroupClient(cluster: cluster, groupId: $0) }
        fetcher = ConsumerFetcher(cluster: cluster, config: consumerConfig, requestTimeoutMs: config.requestTimeoutMs)
        lookup = OffsetLookup(cluster: cluster, isolationLevel: consumerConfig.isolationLevel.rawValue)
    }

    deinit {
        state.withLock { $0.heartbeat }?.stop()
        cluster.close()
    }

    // MARK: subscription and assignment

    /// Joins `config.groupId` (at the next `poll`) to share `topics`' partitions with the
    /// group's other members; replaces an earlier subscription (the group rebalances).
    /// An empty list unsubscribes. Every topic must exist when the group is joined, otherwise
    /// `poll` throws `unknownTopic`.
    ///
    /// Throws `invalidArgument` without a group id, for empty topic names, or while partitions
    /// are assigned manually (`unsubscribe()` first).
    public func subscribe(_ topics: [String], listener: ConsumerRebalanceListener? = nil) throws(KafkaClientError) {
        guard group != nil else {
            throw .invalidArgument("subscribe needs ConsumerConfig.groupId; use assign(_:) without a group")
        }
        guard !topics.isEmpty else { return unsubscribe() }
        guard topics.allSatisfy({ !$0.isEmpty }) else { throw .invalidArgument("topic names must not be empty") }
        try replaceSubscription(with: .topics(Set(topics)), listener: listener)
    }

    /// Joins `config.groupId` (at the next `poll`) to share the partitions of every topic whose
    /// whole name matches `pattern` (Java's `subscribe(SubscriptionPattern)`, KIP-848/KIP-1099).
    /// The group coordinator resolves the pattern (RE2J syntax, e.g. `"orders-.*"` matches
    /// `orders-eu` but not `old-orders-eu`) and re-resolves it as topics are created or
    /// deleted, so a matching topic created later is assigned without subscribing again.
    /// No topic has to exist when the group is joined. Replaces an earlier subscription by
    /// names or by another pattern (the group rebalances); `unsubscribe()` ends it.
    ///
    /// Needs the consumer group protocol: throws `invalidArgument` at once when
    /// `config.groupProtocol` is `.classic` or the consumer already speaks the classic protocol;
    /// with `.auto` the protocol is chosen at the first `poll`, which throws
    /// `unsupported(.consumerGroupHeartbeat, ...)` when the coordinator serves only the classic
    /// protocol (or only ConsumerGroupHeartbeat v0, which has no regex field). An invalid
    /// pattern is found by the coordinator: `poll` throws
    /// `broker(.invalidRegularExpression, ...)` with its message, until the next `subscribe` or
    /// `unsubscribe`. Also throws `invalidArgument` without a group id, for an empty pattern or
    /// while partitions are assigned manually.
    ///
    /// Thread-safety: as `subscribe(_:listener:)`; may be called from any thread, between polls.
    ///
    /// ```swift
    /// try consumer.subscribe(pattern: "orders-.*", listener: listener)
    /// while running {
    ///     for record in try consumer.poll(timeoutMs: 500) { handle(record) }
    /// }
    /// ```
    public func subscribe(pattern: String, listener: ConsumerRebalanceListener? = nil) throws(KafkaClientError) {
        guard group != nil else {
            throw .invalidArgument("subscribe(pattern:) needs ConsumerConfig.groupId")
        }
        guard !pattern.isEmpty else { throw .invalidArgument("the subscription pattern must not be empty") }
        guard config.groupProtocol != .classic, state.withLock({ $0.activeProtocol }) != .classic else {
            throw Self.patternNeedsConsumerProtocol
        }
        try replaceSubscription(with: .pattern(pattern), listener: listener)
    }

    /// The error for a pattern subscription in a classic-protocol consumer.
    static let patternNeedsConsumerProtocol = KafkaClientError.invalidArgument(
        "subscribe(pattern:) needs the consumer group protocol (KIP-848): set ConsumerConfig.groupProtocol to .consumer or .auto, or subscribe to topic names")

    /// Installs `subscription` (rejoining if it changed) for `subscribe`.
    private func replaceSubscription(with subscription: ConsumerState.Subscription,
                                     listener: ConsumerRebalanceListener?) throws(KafkaClientError) {
        try state.withLock { state throws(KafkaClientError) in
            guard !state.closed else { throw .closed }
            if state.mode == .assigned && !state.assignment.isEmpty {
                throw .invalidArgument("subscribe and assign are mutually exclusive; call unsubscribe() first")
            }
            state.clearSubscriptionError()
            state.listener = listener
            state.membership.left = false
            if state.mode == .subscribed(subscription) { return }
            state.membership.heartbeatSoon = true
            if state.mode == .assigned { state.dropAssignment() }
            state.mode = .subscribed(subscription)
            if state.isJoined { state.rejoinReason = "subscription changed" }
        }
        wake.signal()
    }

    /// Reads exactly `partitions` from now on, without group membership (commits still go to
    /// `config.groupId` when set). Positions of partitions kept are kept; new ones start at the
    /// committed offset or per `autoOffsetReset`. Throws `invalidArgument` while subscribed.
    public func assign(_ partitions: [TopicPartition]) throws(KafkaClientError) {
        for partition in partitions where partition.topic.isEmpty || partition.partition < 0 {
            throw .invalidArgument("invalid partition \(partition)")
        }
        let wanted = Set(partitions)
        try state.withLock { state throws(KafkaClientError) in
            guard !state.closed else { throw .closed }
            if case .subscribed = state.mode {
                throw .invalidArgument("subscribe and assign are mutually exclusive; call unsubscribe() first")
            }
            state.mode = wanted.isEmpty ? .none : .assigned
            state.assignment = wanted
            state.positions = state.positions.filter { wanted.contains($0.key) }
        }
        wake.signal()
    }

    /// Stops consuming: a group member commits (with auto-commit), runs the revoke callback and
    /// leaves the group (dynamic members); a manual assignment is dropped. Best effort: network
    /// errors are ignored. Call it between polls, not from a rebalance callback.
    public func unsubscribe() {
        leaveGroupGracefully(reason: "the consumer unsubscribed")
        state.withLock { state in
            state.mode = .none
            state.listener = nil
            state.dropAssignment()
            state.rejoinReason = nil
            state.clearSubscriptionError()
        }
    }

    /// The partitions this consumer reads now (after a rebalance, the new assignment).
    public var assignment: Set<TopicPartition> {
        state.withLock { $0.assignment }
    }

    /// The topics subscribed to by name (empty without a subscription and for a pattern
    /// subscription: see `subscriptionPattern` and `assignment`).
    public var subscription: Set<String> {
        state.withLock { state in
            if case .subscribed(.topics(let topics)) = state.mode { return topics }
            return []
        }
    }

    /// The pattern of `subscribe(pattern:)`, nil without a pattern subscription.
    public var subscriptionPattern: String? {
        state.withLock { state in
            if case .subscribed(.pattern(let pattern)) = state.mode { return pattern }
            return nil
        }
    }

    /// The group member id the coordinator gave this consumer ("" before the first join).
    public var memberId: String {
        state.withLock { $0.memberId }
    }

    /// The next offset `poll` will return for `partition`, looking it up (committed offset, else
    /// `autoOffsetReset`) if it is not known yet. Throws `invalidArgument` if not assigned.
    public func position(_ partition: TopicPartition) throws(KafkaClientError) -> Int64 {
        if let known = try knownPosition(partition) { return known }
        try resolveMissingPositions([partition])
        guard let resolved = try knownPosition(partition) else {
            throw .invalidArgument("partition \(partition) was unassigned while its position was looked up")
        }
        return resolved
    }

    private func knownPosition(_ partition: TopicPartition) throws(KafkaClientError) -> Int64? {
        try state.withLock { state throws(KafkaClientError) -> Int64? in
            guard state.assignment.contains(partition) else { throw Self.notAssigned(partition) }
            return state.positions[partition]
        }
    }

    // MARK: close

    /// Wakes a `poll` waiting between fetch rounds so it returns early (with what it has, often
    /// nothing); a fetch request already at the broker still finishes first. Thread-safe.
    public func wakeup() { wake.signal() }

    /// Commits positions (with auto-commit and a group), runs the revoke callback, leaves the
    /// group (dynamic members only: static members keep their assignment until the session
    /// times out), stops the heartbeat thread and closes every connection. A `poll` running on
    /// another thread returns early (after its current request). Idempotent; best effort.
    public func close() {
        let first = state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        guard first else { return }
        wake.signal()
        waitForPollToEnd(timeoutMs: clientConfig.requestTimeoutMs + config.fetchMaxWaitMs)
        leaveGroupGracefully(reason: "the consumer is closing")
        state.withLock { $0.heartbeat }?.stop()
        cluster.close()
    }

    /// Auto-commits, revokes and sends LeaveGroup as `close`/`unsubscribe` require.
    func leaveGroupGracefully(reason: String) {
        let snapshot = state.withLock { state in
            (mode: state.mode, joined: state.isJoined, assignment: state.assignment, positions: state.positions,
             memberId: state.memberId, generation: state.generationId, listener: state.listener)
        }
        let subscribed = if case .subscribed = snapshot.mode { true } else { false }
        if config.enableAutoCommit, group != nil, snapshot.mode == .assigned || (subscribed && snapshot.joined) {
            let offsets = snapshot.positions.filter { snapshot.assignment.contains($0.key) }
            try? commitOffsets(offsets)
        }
        guard subscribed else { return }
        if !snapshot.assignment.isEmpty { snapshot.listener?.partitionsRevoked(self, snapshot.assignment) }
        if state.withLock({ $0.activeProtocol }) == .consumer {
            leaveConsumerGroup()
            return
        }
        if let group, !snapshot.memberId.isEmpty, config.groupInstanceId == nil {
            let request = LeaveGroupRequest(groupId: group.groupId, memberId: snapshot.memberId,
                                            members: [LeaveGroupRequest.MemberIdentity(memberId: snapshot.memberId, reason: reason)])
            _ = try? group.send(request, purpose: .group)
        }
        state.withLock { state in
            guard state.memberId == snapshot.memberId else { return }
            if config.groupInstanceId == nil { state.memberId = "" }
            state.generationId = -1
            state.dropAssignment()
        }
    }

    // MARK: helpers

    /// The error for using a partition that is not assigned.
    static func notAssigned(_ partition: TopicPartition) -> KafkaClientError {
        .invalidArgument("partition \(partition) is not assigned to this consumer")
    }

    /// The monotonic clock.
    func nowNanos() -> UInt64 { clock.monotonicNanos() }

    /// The monotonic time `milliseconds` after `now` (negative = now), saturating instead of
    /// overflowing.
    static func deadline(afterMs milliseconds: Int, from now: UInt64) -> UInt64 {
        let (nanos, overflow) = UInt64(max(0, milliseconds)).multipliedReportingOverflow(by: 1_000_000)
        let (sum, carry) = now.addingReportingOverflow(nanos)
        return overflow || carry ? UInt64.max : sum
    }

    /// Sleeps up to `milliseconds`, returning early when `wake` is signalled (after generation
    /// `seen`, when given).
    func waitForWake(milliseconds: Int, seen: UInt64? = nil) {
        guard milliseconds > 0 else { return }
        wake.wait(after: seen ?? wake.generation, timeoutNanos: Self.deadline(afterMs: milliseconds, from: 0))
    }

    private func waitForPollToEnd(timeoutMs: Int) {
        let deadline = Self.deadline(afterMs: timeoutMs, from: nowNanos())
        while true {
            let seen = wake.generation
            guard state.withLock({ $0.polling }) else { return }
            let now = nowNanos()
            guard now < deadline else { return }
            wake.wait(after: seen, timeoutNanos: min(deadline - now, 50_000_000))
        }
    }
}
