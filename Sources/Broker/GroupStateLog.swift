import KafkaRecords
import LogStorage

/// A record format of a group state log: one full snapshot of a group per record, keyed by
/// group id (see `ConsumerGroupStateRecord`, `ClassicGroupStateRecord`).
protocol GroupSnapshotFormat {
    /// The group value a snapshot decodes to.
    associatedtype Group
    /// The internal log's name under `<data>/internal/`.
    static var logName: String { get }
    static func encodeKey(_ groupId: String) -> [UInt8]
    /// The group id of a key written by `encodeKey`, or nil for anything else.
    static func decodeKey(_ bytes: [UInt8]) -> String?
    /// The group a value describes, or nil when the value is malformed.
    static func decodeValue(_ bytes: [UInt8], groupId: String) -> Group?
}

/// The durable state of one kind of group: one record per stored change of a group, appended
/// to an internal log (durability `always`, compacted by key), each a full snapshot in
/// `Format`. A tombstone forgets a group (deleted). Replaying the log in order gives the latest
/// stored state of every group.
///
/// Thread-safety: appends are serialised by the log; the owning coordinator writes under its
/// lock, so the log's order is each group's order of changes.
final class GroupStateLog<Format: GroupSnapshotFormat>: Sendable {
    /// The internal log's name under `<data>/internal/`.
    static var name: String { Format.logName }

    private let log: PartitionLog

    /// Kafka's settings for its state topics (`InternalLog.compactedStateConfig`).
    static func config(segmentBytes: Int) -> LogConfig { InternalLog.compactedStateConfig(segmentBytes: segmentBytes) }

    init(log: PartitionLog) {
        self.log = log
    }

    /// Replays the log: the latest stored state of every group (tombstoned ones absent). A
    /// record whose key or value cannot be decoded is skipped and its offset reported through
    /// `skipped` (an unreadable value leaves the group's earlier state in place).
    func load(skipped: (Int64) -> Void = { _ in }) throws -> [String: Format.Group] {
        try InternalLog.latestByKey(log, decodeKey: Format.decodeKey,
                                    decodeValue: { Format.decodeValue($1, groupId: $0) }, skipped: skipped)
    }

    /// Stores `encoded` (a `Format` value) as the state of `groupId`, or forgets the group when
    /// nil (tombstone); synced before returning.
    func write(_ groupId: String, encoded: [UInt8]?, timestamp: Int64) throws {
        try append([RecordInput(key: Format.encodeKey(groupId), value: encoded, timestamp: timestamp)])
    }

    /// Appends the state of `groupId` (nil: a tombstone) without syncing; returns the offset
    /// `sync(through:)` must reach before the change may be answered (nil when nothing is
    /// owed). Lets a coordinator release its lock before the fsync, so changes of many groups
    /// share one.
    func writeDeferringSync(_ groupId: String, encoded: [UInt8]?, timestamp: Int64) throws -> Int64? {
        try InternalLog.append([RecordInput(key: Format.encodeKey(groupId), value: encoded, timestamp: timestamp)],
                               to: log, syncing: false).syncThrough
    }

    /// Syncs the log through `offset` (exclusive); a no-op when already durable there;
    /// concurrent callers share one fsync.
    func sync(through offset: Int64) throws {
        try log.sync(through: offset)
    }

    /// Appends raw records, synced (tests use it to plant corrupt ones).
    func append(_ records: [RecordInput]) throws {
        try InternalLog.append(records, to: log)
    }

    /// Closes the log cleanly.
    func close() throws {
        try log.close()
    }
}
