/// Per-partition storage settings (a topic's configuration, applied to each of its partitions).
///
/// Names in comments are the Kafka topic-config keys they correspond to. A value type; validate
/// with `validate()` before use.
public struct LogConfig: Sendable, Equatable {
    /// `segment.bytes`: roll to a new segment when the active one would grow past this.
    public var segmentBytes: Int = 1 << 30
    /// `segment.ms`: roll when the active segment's first batch is older than this.
    public var segmentMillis: Int64 = 7 * 24 * 3_600_000
    /// `retention.ms`: delete segments whose newest timestamp is older than this; -1 = forever.
    public var retentionMillis: Int64 = 7 * 24 * 3_600_000
    /// `retention.bytes`: delete the oldest segments while the log is larger; -1 = no limit.
    public var retentionBytes: Int64 = -1
    /// `max.message.bytes`: the largest batch accepted.
    public var maxBatchBytes: Int = 1_048_588
    /// `index.interval.bytes`: bytes of log between two sparse index entries.
    public var indexIntervalBytes: Int = 4096
    /// When appends reach stable storage; see `DurabilityPolicy`.
    public var durability: DurabilityPolicy = .default

    public init() {}

    /// Throws `invalidConfig` when a value is outside what the log can honour.
    public func validate() throws(LogStorageError) {
        // Positions in the offset index are 32-bit, as in Kafka.
        guard segmentBytes >= 4096 && segmentBytes <= Int(Int32.max) else {
            throw .invalidConfig("segment.bytes must be between 4096 and \(Int32.max), got \(segmentBytes)")
        }
        guard segmentMillis >= 1 else { throw .invalidConfig("segment.ms must be positive, got \(segmentMillis)") }
        guard retentionMillis == -1 || retentionMillis >= 0 else { throw .invalidConfig("retention.ms must be -1 or >= 0") }
        guard retentionBytes == -1 || retentionBytes >= 0 else { throw .invalidConfig("retention.bytes must be -1 or >= 0") }
        guard maxBatchBytes >= 61 && maxBatchBytes <= Int(Int32.max) else {
            throw .invalidConfig("max.message.bytes must be between 61 and \(Int32.max)")
        }
        guard indexIntervalBytes >= 0 else { throw .invalidConfig("index.interval.bytes must be >= 0") }
        if case .interval(let ms) = durability, ms <= 0 { throw .invalidConfig("flush.ms must be positive") }
    }
}
