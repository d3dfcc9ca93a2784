import KafkaRecords
import LogStorage

/// The durable state of every share partition: one record per state change, appended to the
/// internal log `internal/share-state` (durability `always`, compacted by key), in the format
/// of `ShareStateRecord` — Kafka's share coordinator's `__share_group_state` in our own
/// format, each record a full snapshot of one partition (at most
/// `maxRecordLocks` runs, so no deltas are needed). A tombstone forgets a partition (group or
/// topic deleted). Replaying the log in order gives the latest state of every partition.
///
/// Thread-safety: appends are serialised by the log; `SharePartitionStore` never writes two
/// changes of one partition at once (its per-partition lock), so the log's order is each
/// partition's order of changes.
final class ShareStateLog: Sendable {
    /// The internal log's name under `<data>/internal/`.
    static let name = "share-state"

    private let log: PartitionLog

    /// Kafka's settings for its state topics (`InternalLog.compactedStateConfig`).
    static func config(segmentBytes: Int) -> LogConfig { InternalLog.compactedStateConfig(segmentBytes: segmentBytes) }

    init(log: PartitionLog) {
        self.log = log
    }

    /// Replays the log: the latest state of every partition (tombstoned ones absent). A record
    /// whose key or value cannot be decoded is skipped and its offset reported through `skipped`.
    func load(skipped: (Int64) -> Void = { _ in }) throws -> [SharePartitionKey: ShareStateRecord] {
        try InternalLog.latestByKey(log, decodeKey: ShareStateRecord.decodeKey, decodeValue: { ShareStateRecord.decodeValue($1) },
                                    skipped: skipped)
    }

    /// Stores the state of `key` durably (synced before returning).
    func write(_ key: SharePartitionKey, _ state: ShareStateRecord, timestamp: Int64) throws {
        try append([RecordInput(key: ShareStateRecord.encodeKey(key), value: state.encodeValue(), timestamp: timestamp)])
    }

    /// Appends the state of `key` without syncing; returns the offset `sync(through:)` must
    /// reach before the change may be acknowledged (nil when nothing is owed). Lets a caller
    /// release its partition lock before the fsync, so concurrent changes share one fsync.
    func writeDeferringSync(_ key: SharePartitionKey, _ state: ShareStateRecord, timestamp: Int64) throws -> Int64? {
        try InternalLog.append([RecordInput(key: ShareStateRecord.encodeKey(key), value: state.encodeValue(), timestamp: timestamp)],
                               to: log, syncing: false).syncThrough
    }

    /// Syncs the log through `offset` (exclusive); concurrent callers share one fsync.
    func sync(through offset: Int64) throws {
        try log.sync(through: offset)
    }

    /// Forgets `keys` durably (tombstones, one synced batch).
    func remove(_ keys: [SharePartitionKey], timestamp: Int64) throws {
        guard !keys.isEmpty else { return }
        try append(keys.map { RecordInput(key: ShareStateRecord.encodeKey($0), value: nil, timestamp: timestamp) })
    }

    /// Appends raw records (tests use it to plant corrupt ones).
    func append(_ records: [RecordInput]) throws {
        try InternalLog.append(records, to: log)
    }

    /// Closes the log cleanly.
    func close() throws {
        try log.close()
    }
}
