import KafkaRecords
import LogStorage

/// Helpers for the broker's own compacted state logs (committed offsets, transactions, share
/// and consumer group state).
enum InternalLog {
    /// Kafka's settings for `__consumer_offsets` and `__transaction_state`: synced before a
    /// change is acknowledged, never deleted by age, compacted by key (the latest record per key
    /// carries the whole state), so size and start-up replay stay bounded.
    static func compactedStateConfig(segmentBytes: Int) -> LogConfig {
        var config = LogConfig()
        config.durability = .always
        config.retentionMillis = -1
        config.cleanupPolicy = .compact
        config.segmentBytes = segmentBytes
        config.minCleanableDirtyRatio = 0.5
        config.deleteRetentionMillis = 86_400_000
        config.fileDeleteDelayMillis = 0
        return config
    }

    /// Calls `body` with every data record of `log` in offset order, from its start offset to
    /// its end (control batches skipped). Batches are CRC-checked; a corrupt one throws.
    static func replay(_ log: PartitionLog, _ body: (Record) throws -> Void) throws {
        var next = log.offsets.logStartOffset
        while true {
            guard let region = try log.read(from: next, maxBytes: 4 << 20).region else { return }
            let bytes = try region.readBytes()
            let batches = try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true)
            guard let last = batches.last else { return }
            for (header, range) in batches where !header.isControl {
                for record in try RecordBatchRecords.decode(Array(bytes[range]), at: 0) where record.offset >= next {
                    try body(record)
                }
            }
            next = last.header.lastOffset + 1
        }
    }

    /// Replays a snapshot log keyed by `decodeKey`: the latest value per key, a tombstone
    /// (null value) forgetting it. A record whose key or value does not decode is skipped and
    /// its offset reported through `skipped` (the key's earlier value stays).
    static func latestByKey<Key: Hashable, Value>(
        _ log: PartitionLog, decodeKey: ([UInt8]) -> Key?, decodeValue: (Key, [UInt8]) -> Value?, skipped: (Int64) -> Void
    ) throws -> [Key: Value] {
        var latest: [Key: Value] = [:]
        try replay(log) { record in
            guard let key = record.key.flatMap(decodeKey) else {
                skipped(record.offset)
                return
            }
            guard let bytes = record.value else {
                latest[key] = nil
                return
            }
            guard let value = decodeValue(key, bytes) else {
                skipped(record.offset)
                return
            }
            latest[key] = value
        }
        return latest
    }

    /// Appends `records` as one batch. With `syncing` (the default) it is durable on return;
    /// without, the result's `syncThrough` says where `sync(through:)` must reach.
    @discardableResult
    static func append(_ records: [RecordInput], to log: PartitionLog, syncing: Bool = true) throws -> AppendResult {
        var builder = RecordBatchBuilder()
        for record in records { builder.append(record) }
        return try log.append(try ValidatedBatches(validating: builder.build()), syncing: syncing)
    }
}
