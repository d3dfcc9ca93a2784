import KafkaProtocol
import KafkaRecords
import SystemIO
import Synchronization

/// A Kafka producer: batches records per partition and sends them from a background thread,
/// reporting each record's fate through a callback.
///
/// - Partitioning: an explicit partition wins; keyed records go where ``Murmur2Partitioner``
///   says (Java-compatible); unkeyed records use a sticky partition per topic that changes
///   whenever that partition's batch is sent or fills up.
/// - Batching and pipelining: one open batch per partition; it is sent once it holds
///   `batchSize` bytes, once its first record is `lingerMs` old, or at once during
///   `flush`/`close` and for the blocking `send`. One Produce request per leader broker carries
///   at most one batch per partition, and up to `maxInFlightRequestsPerConnection` requests per
///   broker are outstanding at once (pipelined on one connection, answered in order), so the
///   next batches go out while earlier ones are still with the broker.
/// - Ordering and delivery reports: every record gets exactly one report, and the reports of a
///   partition run in `send` order. With idempotence the records of a partition are also stored
///   in that order, retries included; without it, and with retries and more than one request in
///   flight, a retried batch may be stored after later ones (as with the Java client; set
///   `maxInFlightRequestsPerConnection` to 1 to prevent it).
/// - Idempotence (default, with acks all): one InitProducerId gives a producer id; each batch
///   gets its partition's next sequence when it is first sent and keeps it on every retry, so
///   the broker drops a retried batch it already holds (and answers with the original offset).
///   When a batch fails with a retriable error, the later batches of its partition already in
///   flight come back with OUT_OF_ORDER_SEQUENCE_NUMBER; that is only a consequence, not
///   reported: they are re-sent after it, one batch at a time in sequence order, with the same
///   producer id. A batch that fails for good gives its sequence numbers back (the later ones
///   are re-numbered) when the broker definitely did not append it; when it may have (no
///   definite answer), the producer starts over with a new producer id. A real sequence error
///   (OUT_OF_ORDER_SEQUENCE_NUMBER for the batch the broker expects next, INVALID_PRODUCER_EPOCH)
///   fails the batch and the later ones of its partition rather than reordering, and the
///   producer starts over with a new producer id. After a new producer id, a batch waiting for
///   a retry is re-sent under it, which the broker cannot deduplicate against an earlier
///   lost-but-appended attempt.
/// - Retries: retriable failures (connection errors, timeouts, NOT_LEADER_OR_FOLLOWER,
///   LEADER_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION, KAFKA_STORAGE_ERROR, ...) are retried
///   with exponential backoff (`ClientConfig.retryBackoffMs` doubling up to
///   `maxRetryBackoffMs`), refreshing metadata in between, until `ClientConfig.retries` retries
///   have failed or `deliveryTimeoutMs` has passed since `send` — whichever comes first; then
///   the records fail with the last error. Other errors fail at once, naming the error code and
///   the topic-partition.
/// - Unknown topics: metadata is fetched lazily by the sender thread with auto-creation
///   allowed (as the Java producer does); a topic the cluster still does not know fails its
///   records with `unknownTopic`.
/// - Compression: none; batches are sent uncompressed.
/// - Transactions: with `ProducerConfig.transactionalId` the producer is transactional (see
///   the transaction methods: `initTransactions()`, `beginTransaction()`,
///   `sendOffsetsToTransaction`, `commitTransaction()`, `abortTransaction()`); records may only
///   be sent inside a transaction, each partition is added to the transaction before its first
///   batch is sent, and its producer id comes from `initTransactions()`.
///
/// Thread-safety: every method may be called from any thread, concurrently. Delivery callbacks
/// run on the producer's sender thread; they must not block for long, and must not call the
/// blocking `send`, `flush` or `close` of the same producer (those calls detect it and fail
/// with `invalidArgument` — `close` merely stops without waiting).
///
/// Blocking calls (`send(_:)` without a callback, `flush`, `close`, the transaction methods)
/// block an OS thread: call them from a thread of your own, not from Swift's cooperative pool.
///
/// ```swift
/// let config = ClientConfig(bootstrapServers: ClientConfig.parseBrokers("localhost:9092")!)
/// let producer = try KafkaProducer(config: config)   // idempotent, acks = all
/// defer { producer.close() }                          // sends what is buffered, then stops
/// let metadata = try producer.send(ProducerRecord(topic: "orders", key: Array("k1".utf8), value: Array("hello".utf8)))
/// producer.send(ProducerRecord(topic: "orders", value: Array("async".utf8))) { result in
///     if case .failure(let error) = result { print("not delivered: \(error)") }
/// }
/// try producer.flush()
/// ```
public final class KafkaProducer: Sendable {
    /// The connection settings.
    public let config: ClientConfig
    /// The producer settings, as given (see ``ProducerConfig/isIdempotent``).
    public let producerConfig: ProducerConfig

    let cluster: KafkaCluster
    let accumulator: ProducerAccumulator
    let sender: ProducerSender
    let clock = SystemTimeSource()
    private let closed = Mutex(false)
    /// The transaction state machine and coordinator client (nil unless transactional).
    let transactions: ProducerTransactions?

    /// Creates a producer and starts its sender thread. Nothing is fetched from the cluster
    /// until the first record is sent. Throws `invalidArgument` for an unusable configuration.
    public init(config: ClientConfig, producerConfig: ProducerConfig = .init()) throws(KafkaClientError) {
        try producerConfig.validate()
        guard !config.bootstrapServers.isEmpty else { throw .invalidArgument("no bootstrap servers configured") }
        self.config = config
        self.producerConfig = producerConfig
        let cluster = KafkaCluster(config: config)
        self.cluster = cluster
        var settings = ProducerAccumulator.Settings(
            // A batch must leave early enough for a request to finish before its deadline.
            lingerNanos: min(ProducerRetryPolicy.nanos(milliseconds: producerConfig.lingerMs),
                             ProducerRetryPolicy.nanos(milliseconds: producerConfig.deliveryTimeoutMs - min(producerConfig.deliveryTimeoutMs, max(0, config.requestTimeoutMs)))),
            batchSize: producerConfig.batchSize,
            maxRequestSize: producerConfig.maxRequestSize,
            deliveryTimeoutMs: producerConfig.deliveryTimeoutMs,
            retry: ProducerRetryPolicy(config),
            idempotent: producerConfig.isIdempotent,
            maxInFlight: producerConfig.maxInFlightRequestsPerConnection,
            maxBuffered: producerConfig.maxBufferedRecords)
        settings.transactional = producerConfig.isTransactional
        accumulator = ProducerAccumulator(settings: settings)
        transactions = producerConfig.transactionalId.map { id in
            ProducerTransactions(manager: TransactionManager(transactionalId: id),
                                 coordinator: TransactionCoordinatorClient(cluster: cluster, key: id, keyType: KafkaCluster.transactionKeyType,
                                                                           retry: ProducerRetryPolicy(config)))
        }
        sender = ProducerSender(cluster: cluster, accumulator: accumulator, acks: producerConfig.acks, transactions: transactions)
        do {
            try sender.start()
        } catch {
            accumulator.stop()
            closed.withLock { $0 = true }
            throw .invalidArgument("cannot start the producer's sender thread: \(error)")
        }
    }

    /// Closes the producer (see ``close()``) if that has not happened yet.
    deinit { close() }

    /// Queues `record` without blocking and reports its fate to `completion`, which runs on the
    /// sender thread once the record is acknowledged or has failed. A record rejected before
    /// queueing (closed producer, invalid topic name or partition, record larger than
    /// `maxRequestSize`) is reported on the calling thread before `send` returns.
    public func send(_ record: ProducerRecord, completion: @escaping @Sendable (Result<RecordMetadata, KafkaClientError>) -> Void) {
        enqueue(record, urgent: false, completion)
    }

    /// Sends `record` and waits for its delivery report (the record's batch is sent without
    /// waiting for the linger time). Returns where the record was stored; throws why it failed.
    /// Blocks the calling thread (at most about `deliveryTimeoutMs`): do not call it from Swift
    /// concurrency's cooperative pool without care.
    public func send(_ record: ProducerRecord) throws(KafkaClientError) -> RecordMetadata {
        guard !sender.isCurrentThread else {
            throw .invalidArgument("the blocking send cannot be called from a delivery callback (it would deadlock the sender thread)")
        }
        let waiter = ProducerDeliveryWaiter()
        enqueue(record, urgent: true) { waiter.fulfill($0) }
        return try waiter.wait().get()
    }

    /// Sends every buffered record at once and waits until every record accepted before this
    /// call has been acknowledged or has failed, and its callback has run. Throws `timedOut`
    /// when `timeoutMs` passes first (nil: no limit beyond the records' own delivery timeout);
    /// records sent concurrently with the flush are not waited for.
    public func flush(timeoutMs: Int? = nil) throws(KafkaClientError) {
        guard !sender.isCurrentThread else {
            throw .invalidArgument("flush cannot be called from a delivery callback (it would deadlock the sender thread)")
        }
        let epoch = accumulator.beginFlush()
        defer { accumulator.endFlush() }
        sender.wake()
        let start = clock.monotonicNanos()
        let limit = timeoutMs.map { ProducerRetryPolicy.nanos(milliseconds: $0) }
        while true {
            let seen = sender.progress.generation
            if accumulator.isFlushed(through: epoch) { return }
            let elapsed = clock.monotonicNanos() &- start
            if let limit, elapsed >= limit { throw .timedOut(operation: "flush", milliseconds: timeoutMs ?? 0) }
            sender.progress.wait(after: seen, timeoutNanos: min(limit.map { $0 - elapsed } ?? 1_000_000_000, 1_000_000_000))
        }
    }

    /// Stops accepting records, waits for the buffered ones to be delivered or to fail (at most
    /// their delivery timeout plus one request timeout), stops the sender thread (anything left
    /// fails with `closed`) and closes the connections. Idempotent; later sends fail with `closed`.
    /// A transactional producer first aborts its open transaction (best effort).
    public func close() {
        guard !closed.withLock({ $0 }) else { return }
        abortOpenTransactionBeforeClose()
        guard closed.withLock({ done in defer { done = true }; return !done }) else { return }
        accumulator.beginClose()
        sender.wake()
        if sender.isCurrentThread {
            // Inside a callback: the sender cannot wait for itself; it stops after this turn.
            accumulator.stop()
            return
        }
        let bound = ProducerRetryPolicy.nanos(milliseconds: producerConfig.deliveryTimeoutMs)
            + ProducerRetryPolicy.nanos(milliseconds: config.requestTimeoutMs) + 1_000_000_000
        let start = clock.monotonicNanos()
        while !accumulator.isIdle {
            let seen = sender.progress.generation
            let elapsed = clock.monotonicNanos() &- start
            guard elapsed < bound, !accumulator.isIdle else { break }
            sender.progress.wait(after: seen, timeoutNanos: min(bound - elapsed, 100_000_000))
        }
        accumulator.stop()
        sender.wake()
        _ = sender.waitForExit(timeoutNanos: ProducerRetryPolicy.nanos(milliseconds: config.requestTimeoutMs) + 1_000_000_000)
        cluster.close()
    }

    // MARK: internals

    private func enqueue(_ record: ProducerRecord, urgent: Bool, _ completion: @escaping ProducerCallback) {
        if let problem = check(record) {
            completion(.failure(problem))
            return
        }
        // Backpressure: at `maxBufferedRecords` wait until the buffer has drained to 7/8 of it
        // (never on the sender thread, which is the one that drains it).
        if !sender.isCurrentThread && accumulator.outstandingCount >= producerConfig.maxBufferedRecords {
            let deadline = clock.monotonicNanos() &+ ProducerRetryPolicy.nanos(milliseconds: producerConfig.deliveryTimeoutMs)
            sender.wake()
            while accumulator.outstandingCount >= accumulator.settings.resumeBelow {
                let seen = sender.progress.generation
                if accumulator.outstandingCount < accumulator.settings.resumeBelow { break }
                let now = clock.monotonicNanos()
                guard now < deadline else {
                    completion(.failure(.timedOut(operation: "waiting for buffer space", milliseconds: producerConfig.deliveryTimeoutMs)))
                    return
                }
                sender.progress.wait(after: seen, timeoutNanos: min(deadline - now, 100_000_000))
            }
        }
        let timestamp = record.timestamp ?? clock.wallMillis()
        switch accumulator.add(record, timestamp: timestamp, callback: completion, urgent: urgent, now: clock.monotonicNanos()) {
        case .queued(let wakeSender):
            if wakeSender { sender.wake() }
        case .rejected(let error):
            completion(.failure(error))
        }
    }

    /// Why `record` cannot be sent at all, or nil.
    private func check(_ record: ProducerRecord) -> KafkaClientError? {
        if let transactions, let problem = transactions.manager.sendError() { return problem }
        if let problem = Self.topicNameProblem(record.topic) {
            return .invalidArgument("invalid topic name \"\(record.topic)\": \(problem)")
        }
        if let partition = record.partition, partition < 0 {
            return .invalidArgument("partition must be >= 0, got \(partition) (topic \(record.topic))")
        }
        let input = RecordInput(key: record.key, value: record.value, headers: record.headers, timestamp: 0)
        let size = RecordBatchHeader.size + ProducerBatch.estimatedSize(of: input)
        if size > producerConfig.maxRequestSize {
            return .invalidArgument("a record of about \(size) bytes (topic \(record.topic)) is larger than maxRequestSize \(producerConfig.maxRequestSize)")
        }
        return nil
    }

    /// Kafka's topic name rules (`org.apache.kafka.common.internals.Topic.validate`).
    static func topicNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name == "." || name == ".." { return "\".\" and \"..\" are not allowed" }
        if name.utf8.count > 249 { return "it is longer than 249 characters" }
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        return allowed ? nil : "only ASCII letters, digits, '.', '_' and '-' are allowed"
    }
}
