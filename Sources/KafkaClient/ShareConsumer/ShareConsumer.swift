import KafkaProtocol
import SystemIO
import Synchronization

/// A share-group consumer (KIP-932, "queues"): any number of members of a share group read the
/// same partitions; the broker locks every record it hands out to one member until that member
/// acknowledges it (accept, release, reject) or the lock expires.
///
/// Protocol: `ShareGroupHeartbeat` v1 to the group coordinator (member id chosen here: 22
/// characters of URL-safe base64, as Kafka's clients do; epoch 0 joins, -1 leaves), one share
/// session per partition leader (`ShareFetch` v1–2, epoch 0 opens it, -1 closes it) and
/// `ShareAcknowledge` v1–2 for acknowledgements sent without a fetch.
///
/// Acknowledgement: in `.implicit` mode every record a `poll` returned is accepted by the next
/// `poll`, `commitSync`, `commitAsync` or `close`. In `.explicit` mode call
/// `acknowledge(_:type:)` per record; records never acknowledged stay locked until the broker's
/// acquisition lock (`share.record.lock.duration.ms`) expires, then are delivered again.
/// Acknowledgements travel with the next ShareFetch, or at once with `commitSync()`.
///
/// Threads and connections: `poll` blocks (call it from an OS thread, not Swift's cooperative
/// pool). A background OS thread heartbeats the coordinator at the coordinator's interval while
/// the consumer is a member (so the application may work longer than the session timeout
/// between polls); it rejoins after UNKNOWN_MEMBER_ID or FENCED_MEMBER_EPOCH. ShareFetch and
/// ShareAcknowledge use one "share-fetch" connection per leader (leaders are asked one after
/// another, each waiting at most its share of `fetchMaxWaitMs`), heartbeats their own
/// coordinator connection.
///
/// Thread-safety: `Sendable`. State sits behind a mutex never held during I/O; the requests
/// that move share-session epochs (`poll`, `commitSync`, `close`) run one at a time — a second
/// caller waits for the first. `acknowledge` and `commitAsync` never block on the network.
/// Call `close()` when done; dropping the consumer only stops its heartbeats (the broker then
/// releases its records after the session timeout).
///
/// ```swift
/// var settings = ShareConsumerConfig(client: config, groupId: "brewers")
/// settings.acknowledgementMode = .explicit
/// let consumer = try ShareConsumer(config: settings)
/// defer { consumer.close() }
/// try consumer.subscribe(["brew-requests"])
/// for record in try consumer.poll(timeoutMs: 1_000) {
///     // deliveryCount > 1: an earlier delivery was released or its lock expired
///     try consumer.acknowledge(record, type: brew(record) ? .accept : .release)
/// }
/// _ = try consumer.commitSync()   // per-partition failures, empty when all were taken
/// ```
public final class ShareConsumer: Sendable {
    /// The connection purpose of ShareFetch/ShareAcknowledge (one connection per leader).
    static let fetchPurpose = "share-fetch"

    /// The settings this consumer was created with.
    public let config: ShareConsumerConfig
    /// The member id this consumer uses in its group (fixed for its lifetime).
    public let memberId: String

    /// Metadata and pooled connections.
    let cluster: KafkaCluster
    /// The coordinator connections (heartbeats use `.heartbeat`).
    let group: ConsumerGroupClient
    /// All mutable state; never held during I/O.
    let state: Mutex<ShareConsumerState>
    /// Serializes the requests that move session epochs.
    let sessionSection = ExclusiveSection()
    /// Serializes heartbeats (the background thread and `poll`'s join).
    let heartbeatSection = ExclusiveSection()
    let clock = SystemTimeSource()

    /// A share consumer for `config.groupId`; connects lazily (the first `poll`). Throws
    /// `invalidArgument` for inconsistent settings.
    public init(config: ShareConsumerConfig) throws(KafkaClientError) {
        try config.validate()
        self.config = config
        memberId = Self.newMemberId()
        let cluster = KafkaCluster(config: config.client)
        self.cluster = cluster
        group = ConsumerGroupClient(cluster: cluster, groupId: config.groupId)
        state = Mutex(ShareConsumerState(heartbeatIntervalMs: config.heartbeatIntervalMs))
    }

    deinit {
        state.withLock { $0.heartbeat }?.stop()
        cluster.close()
    }

    /// A random member id: 16 random bytes in URL-safe base64 without padding (22 characters).
    static func newMemberId() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return TopicIdFormat.base64URL(bytes)
    }

    // MARK: subscription

    /// Shares `topics`' partitions with the group's other members from the next `poll` on
    /// (replacing an earlier subscription; the coordinator reassigns). An empty list
    /// unsubscribes. Throws `invalidArgument` for empty topic names, `closed` after `close()`.
    public func subscribe(_ topics: [String]) throws(KafkaClientError) {
        guard topics.allSatisfy({ !$0.isEmpty }) else { throw .invalidArgument("topic names must not be empty") }
        try state.withLock { state throws(KafkaClientError) in
            guard !state.closed else { throw .closed }
            state.topics = Set(topics)
            if topics.isEmpty { state.assignment = [] }
        }
    }

    /// The subscribed topics.
    public var subscription: Set<String> { state.withLock { $0.topics } }

    /// The partitions the coordinator assigned to this member now.
    public var assignment: Set<TopicPartition> { state.withLock { $0.assignment } }

    /// The member epoch (0 before joining or while rejoining).
    public var memberEpoch: Int32 { state.withLock { $0.memberEpoch } }

    // MARK: acknowledgement

    /// Acknowledges one record delivered by the last polls (explicit mode; in implicit mode it
    /// overrides the implicit accept for that record). Sent with the next `poll`, `commitSync`,
    /// `commitAsync` or `close`. Throws `invalidArgument` for a record not delivered to this
    /// consumer or already acknowledged, `closed` after `close()`.
    public func acknowledge(_ record: ShareRecord, type: AcknowledgeType = .accept) throws(KafkaClientError) {
        try state.withLock { state throws(KafkaClientError) in
            guard !state.closed else { throw .closed }
            let partition = record.topicPartition
            guard state.delivered[partition]?.remove(record.offset) != nil else {
                throw .invalidArgument("record \(partition)@\(record.offset) is not awaiting acknowledgement by this consumer")
            }
            if state.delivered[partition]?.isEmpty == true { state.delivered[partition] = nil }
            state.pending.add(partition, offset: record.offset, type: type)
        }
    }

    /// Queues the acknowledgements (in implicit mode, accepting every delivered record) to
    /// travel with the next ShareFetch — the next `poll` — or `close()`. Never blocks.
    public func commitAsync() {
        state.withLock { state in
            if config.acknowledgementMode == .implicit { state.acceptDelivered() }
        }
    }

    /// Sends the acknowledgements now (in implicit mode, accepting every delivered record) with
    /// ShareAcknowledge to each leader and waits for the answers.
    ///
    /// - Returns: the partitions whose acknowledgements failed and why (e.g.
    ///   `broker(.invalidRecordState, ...)` when a record's lock expired first); empty when all
    ///   were applied.
    /// - Throws: `closed` after `close()`; connection failures (those acknowledgements are then
    ///   lost, and the broker delivers their records again after the lock expires).
    @discardableResult
    public func commitSync() throws(KafkaClientError) -> [TopicPartition: KafkaClientError] {
        try sessionSection.run { () throws(KafkaClientError) -> [TopicPartition: KafkaClientError] in
            try state.withLock { state throws(KafkaClientError) in
                guard !state.closed else { throw .closed }
                if config.acknowledgementMode == .implicit { state.acceptDelivered() }
            }
            return try sendAcknowledgements(closing: false)
        }
    }

    // MARK: close

    /// Sends pending acknowledgements (implicit mode: accepting what was delivered), closes every
    /// share session (epoch -1; the broker releases records still held), leaves the group
    /// (ShareGroupHeartbeat epoch -1), stops the heartbeat thread and closes connections.
    /// Idempotent; best effort (network errors are ignored).
    public func close() {
        let first = state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        guard first else { return }
        sessionSection.enter()
        state.withLock { state in
            if config.acknowledgementMode == .implicit { state.acceptDelivered() }
        }
        _ = try? sendAcknowledgements(closing: true)
        sessionSection.leave()
        state.withLock { $0.heartbeat }?.stop()
        leaveGroup()
        cluster.close()
    }

    // MARK: helpers

    /// The monotonic clock.
    func nowNanos() -> UInt64 { clock.monotonicNanos() }

    /// Sleeps `milliseconds` (bounded waits between retries).
    func pause(milliseconds: Int) {
        KafkaCluster.sleep(milliseconds: max(0, milliseconds))
    }
}
