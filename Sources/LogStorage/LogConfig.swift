public import KafkaRecords

/// Per-partition storage settings (a topic's configuration, applied to each of its partitions).
///
/// Names in comments are the Kafka topic-config keys they correspond to. A value type; validate
/// with `validate()` before use.
public struct LogConfig: Sendable, Equatable {
    /// `segment.bytes`: roll to a new segment when the active one would grow past this.
    public var segmentBytes: Int = 1 << 30
    /// `segment.ms`: roll when the active segment's first batch is older than this.
    public var segmentMillis: Int64 = 7 * 24 * 3_600_000
    /// `segment.jitter.ms`: each segment rolls up to this much earlier than `segment.ms`
    /// (a random amount chosen when the segment is created), so partitions do not all roll at once.
    public var segmentJitterMillis: Int64 = 0
    /// `segment.index.bytes`: a segment rolls when its offset index would outgrow this (8 bytes
    /// an entry).
    public var segmentIndexBytes: Int = 10 * 1024 * 1024
    /// `retention.ms`: delete segments whose newest timestamp is older than this; -1 = forever.
    public var retentionMillis: Int64 = 7 * 24 * 3_600_000
    /// `retention.bytes`: delete the oldest segments while the log is larger; negative = no limit.
    public var retentionBytes: Int64 = -1
    /// `max.message.bytes`: the largest batch accepted.
    public var maxBatchBytes: Int = 1_048_588
    /// `index.interval.bytes`: bytes of log between two sparse index entries.
    public var indexIntervalBytes: Int = 4096
    /// When appends reach stable storage; see `DurabilityPolicy`.
    public var durability: DurabilityPolicy = .default
    /// `flush.messages`: under `interval` and `never`, also sync once this many records were
    /// appended since the last sync (`Int64.max` = never).
    public var flushMessages: Int64 = .max
    /// `cleanup.policy`.
    public var cleanupPolicy: CleanupPolicy = .delete
    /// `min.cleanable.dirty.ratio`: compact once the uncompacted share of the log reaches this.
    public var minCleanableDirtyRatio: Double = 0.5
    /// `min.compaction.lag.ms`: records stay uncompacted at least this long.
    public var minCompactionLagMillis: Int64 = 0
    /// `max.compaction.lag.ms`: a record older than this is compacted whatever the dirty ratio.
    public var maxCompactionLagMillis: Int64 = .max
    /// `delete.retention.ms`: how long a tombstone stays readable after its batch was first
    /// compacted (KIP-534 delete horizon).
    public var deleteRetentionMillis: Int64 = 86_400_000
    /// `file.delete.delay.ms`: deleted segment files are renamed `*.deleted` and removed this
    /// much later.
    public var fileDeleteDelayMillis: Int64 = 60_000
    /// `preallocate`: new segment files are given `segment.bytes` of disk space at once.
    public var preallocate: Bool = false
    /// `message.timestamp.type`: `logAppendTime` makes the broker stamp every batch on append.
    public var timestampType: TimestampType = .createTime

    /// `min.insync.replicas`: acks=all needs this many in-sync replicas (this broker is one).
    public var minInsyncReplicas: Int = 1
    /// `message.timestamp.before.max.ms`: CreateTime records may be at most this far in the past.
    public var timestampBeforeMaxMillis: Int64 = .max
    /// `message.timestamp.after.max.ms`: CreateTime records may be at most this far in the future.
    public var timestampAfterMaxMillis: Int64 = 3_600_000

    public init() {}

    /// Most offset-index entries one segment may have (`segment.index.bytes` / 8).
    var maxIndexEntries: Int { max(1, segmentIndexBytes / 8) }

    /// Throws `invalidConfig` when a value is outside what the log can honour.
    public func validate() throws(LogStorageError) {
        // Positions in the offset index are 32-bit, as in Kafka.
        // (Kafka's own minimum, 1 MiB, is checked where segment.bytes is set; internal.segment.bytes
        // may be anything positive.)
        guard segmentBytes >= 1 && segmentBytes <= Int(Int32.max) else {
            throw .invalidConfig("segment.bytes must be between 1 and \(Int32.max), got \(segmentBytes)")
        }
        guard segmentMillis >= 1 else { throw .invalidConfig("segment.ms must be positive, got \(segmentMillis)") }
        guard segmentJitterMillis >= 0 else { throw .invalidConfig("segment.jitter.ms must be >= 0") }
        guard segmentIndexBytes >= 4 else { throw .invalidConfig("segment.index.bytes must be >= 4") }
        guard retentionMillis >= -1 else { throw .invalidConfig("retention.ms must be -1 or >= 0") }
        // retention.bytes may be any negative number (no limit), as in Kafka.
        guard maxBatchBytes >= 0 && maxBatchBytes <= Int(Int32.max) else {
            throw .invalidConfig("max.message.bytes must be between 0 and \(Int32.max)")
        }
        guard indexIntervalBytes >= 0 else { throw .invalidConfig("index.interval.bytes must be >= 0") }
        if case .interval(let ms) = durability, ms <= 0 { throw .invalidConfig("flush.ms must be positive") }
        guard flushMessages >= 1 else { throw .invalidConfig("flush.messages must be >= 1") }
        guard minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1 else {
            throw .invalidConfig("min.cleanable.dirty.ratio must be between 0 and 1")
        }
        guard minCompactionLagMillis >= 0 else { throw .invalidConfig("min.compaction.lag.ms must be >= 0") }
        guard maxCompactionLagMillis >= 1 else { throw .invalidConfig("max.compaction.lag.ms must be >= 1") }
        guard deleteRetentionMillis >= 0 else { throw .invalidConfig("delete.retention.ms must be >= 0") }
        guard fileDeleteDelayMillis >= 0 else { throw .invalidConfig("file.delete.delay.ms must be >= 0") }
    }
}
