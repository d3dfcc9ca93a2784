/// Settings of a ``KafkaProducer`` (connection-level settings — bootstrap servers, request
/// timeout, retry count and backoff — come from ``ClientConfig``). A value type; `Sendable`.
///
/// Compression is not offered: batches are always sent uncompressed (codec none).
public struct ProducerConfig: Sendable, Equatable {
    /// How many replicas must acknowledge a Produce request before it counts as done.
    /// A value type; `Sendable`.
    public enum Acks: Int16, Sendable, Equatable {
        /// 0: fire and forget. The broker sends no response; delivery reports carry offset −1
        /// and only connection-level failures can be reported.
        case none = 0
        /// 1: the partition leader has appended the batch.
        case leader = 1
        /// −1: every in-sync replica has appended the batch (required for idempotence).
        case all = -1
    }

    /// Acknowledgement level; default `.all`.
    public var acks: Acks = .all
    /// How long a partition's first buffered record may wait for more records before its batch
    /// is sent anyway; default 5 ms (Java 4.x). 0 sends as soon as the sender is free. Capped
    /// at `deliveryTimeoutMs − ClientConfig.requestTimeoutMs`, so a batch is never left to
    /// expire unsent.
    public var lingerMs: Int = 5
    /// Largest batch per partition in bytes. Default 1,000,000, librdkafka's default (fewer,
    /// larger requests cost less per record); linger still bounds the latency.
    public var batchSize: Int = 1_000_000
    /// Whether to use an idempotent producer id with per-partition sequence numbers so that the
    /// broker drops retried duplicates. Default true; only takes effect with `acks == .all`
    /// (see ``isIdempotent``).
    public var enableIdempotence: Bool = true
    /// Upper bound in milliseconds on the time between `send` and the delivery report: a record
    /// that has not been acknowledged by then fails with the last error seen. Default 120000.
    public var deliveryTimeoutMs: Int = 120_000
    /// Largest Produce request in bytes (sum of its batches); also the largest record accepted
    /// by `send`. Default 1 MiB.
    public var maxRequestSize: Int = 1_048_576

    /// Most Produce requests outstanding (sent, not yet answered) per broker connection, like
    /// Java's `max.in.flight.requests.per.connection`. Default 5. A request carries at most one
    /// batch per partition, so this also bounds a partition's batches in flight; requests are
    /// pipelined and the broker answers them in order.
    ///
    /// Ordering: with idempotence (the default) records of a partition are always stored in
    /// `send` order: if a batch fails with a retriable error, the later batches of its partition
    /// already in flight are rejected by the broker (OUT_OF_ORDER_SEQUENCE_NUMBER, which the
    /// producer treats as a consequence, not as an error) and everything is re-sent one batch
    /// at a time in sequence order. Idempotence needs 1...5 (the broker tracks the last five
    /// batches per producer and partition). Without idempotence and with retries allowed
    /// (`ClientConfig.retries` above 0), a value above 1 may reorder records, as in the Java
    /// client: a later batch may be stored while an earlier one waits for its retry. Use 1 to
    /// keep the order then. Delivery reports always run in `send` order per partition.
    public var maxInFlightRequestsPerConnection: Int = 5

    /// Most records buffered (accepted but not yet acknowledged or failed) before `send` blocks
    /// the caller, like librdkafka's `queue.buffering.max.messages`; keeps memory bounded and
    /// the acknowledgement path short. A blocked `send` resumes once the buffer is down to 7/8
    /// of this. `send` from a delivery callback never blocks.
    public var maxBufferedRecords: Int = 100_000

    /// Makes the producer transactional (Java's `transactional.id`): records are sent inside
    /// transactions (`initTransactions()`, `beginTransaction()`, `commitTransaction()` or
    /// `abortTransaction()`), and a new producer with the same id fences this one. Needs
    /// idempotence and `acks == .all`. Default nil (not transactional).
    public var transactionalId: String?
    /// How long the transaction coordinator lets a transaction stay open before aborting it
    /// (sent with InitProducerId; brokers cap it at `transaction.max.timeout.ms`). Default 60000.
    public var transactionTimeoutMs: Int = 60_000
    /// Longest time `initTransactions()`, `sendOffsetsToTransaction`, `commitTransaction()` and
    /// `abortTransaction()` block (Java's `max.block.ms`); they throw `timedOut` after it and may
    /// be called again. Default 60000.
    public var maxBlockMs: Int = 60_000

    /// The defaults described on each property.
    public init() {}

    /// Whether the producer actually runs idempotently: `enableIdempotence` and `acks == .all`
    /// (always true for a valid transactional configuration).
    public var isIdempotent: Bool { enableIdempotence && acks == .all }

    /// Whether the producer is transactional (`transactionalId` is set).
    public var isTransactional: Bool { transactionalId != nil }

    /// Throws `invalidArgument` for settings that cannot work (non-positive sizes or timeouts,
    /// negative linger, `maxInFlightRequestsPerConnection` outside 1...5 when idempotent or
    /// below 1 otherwise).
    public func validate() throws(KafkaClientError) {
        if isIdempotent {
            guard (1...5).contains(maxInFlightRequestsPerConnection) else {
                throw .invalidArgument("maxInFlightRequestsPerConnection must be 1...5 for an idempotent producer, got \(maxInFlightRequestsPerConnection)")
            }
        } else {
            guard maxInFlightRequestsPerConnection >= 1 else {
                throw .invalidArgument("maxInFlightRequestsPerConnection must be >= 1, got \(maxInFlightRequestsPerConnection)")
            }
        }
        guard lingerMs >= 0 else { throw .invalidArgument("lingerMs must be >= 0, got \(lingerMs)") }
        guard batchSize > 0 else { throw .invalidArgument("batchSize must be > 0, got \(batchSize)") }
        guard deliveryTimeoutMs > 0 else { throw .invalidArgument("deliveryTimeoutMs must be > 0, got \(deliveryTimeoutMs)") }
        guard maxRequestSize > 0 else { throw .invalidArgument("maxRequestSize must be > 0, got \(maxRequestSize)") }
        guard maxBlockMs > 0 else { throw .invalidArgument("maxBlockMs must be > 0, got \(maxBlockMs)") }
        if let transactionalId {
            guard !transactionalId.isEmpty else { throw .invalidArgument("transactionalId must not be empty (use nil for no transactions)") }
            guard isIdempotent else {
                throw .invalidArgument("a transactional producer must be idempotent: enableIdempotence true and acks .all")
            }
            guard transactionTimeoutMs > 0 && transactionTimeoutMs <= Int(Int32.max) else {
                throw .invalidArgument("transactionTimeoutMs must be in 1...\(Int32.max), got \(transactionTimeoutMs)")
            }
        }
    }
}
