/// Settings of a ``KafkaProducer`` (connection-level settings — bootstrap servers, request
/// timeout, retry count and backoff — come from ``ClientConfig``). A value type; `Sendable`.
///
/// Compression is not offered: batches are always sent uncompressed (codec none).
public struct ProducerConfig: Sendable, Equatable {
    /// How many replicas must acknowledge a Produce request before it counts as done.
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
    /// Largest batch per partition in bytes. Default 1,000,000, librdkafka's default: with only
    /// one request in flight per partition, small batches cap throughput at batch size ÷ round
    /// trip (16 KiB batches reach about a third of the rate of 1 MB ones); linger still bounds
    /// the latency.
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

    /// Most records buffered (accepted but not yet acknowledged or failed) before `send` blocks
    /// the caller, like librdkafka's `queue.buffering.max.messages`; keeps memory bounded and
    /// the acknowledgement path short. `send` from a delivery callback never blocks.
    public var maxBufferedRecords: Int = 100_000

    /// The defaults described on each property.
    public init() {}

    /// Whether the producer actually runs idempotently: `enableIdempotence` and `acks == .all`.
    public var isIdempotent: Bool { enableIdempotence && acks == .all }

    /// Throws `invalidArgument` for settings that cannot work (non-positive sizes or timeouts,
    /// negative linger).
    public func validate() throws(KafkaClientError) {
        guard lingerMs >= 0 else { throw .invalidArgument("lingerMs must be >= 0, got \(lingerMs)") }
        guard batchSize > 0 else { throw .invalidArgument("batchSize must be > 0, got \(batchSize)") }
        guard deliveryTimeoutMs > 0 else { throw .invalidArgument("deliveryTimeoutMs must be > 0, got \(deliveryTimeoutMs)") }
        guard maxRequestSize > 0 else { throw .invalidArgument("maxRequestSize must be > 0, got \(maxRequestSize)") }
    }
}
