import KafkaRecords
import LogStorage

/// The durable state of every consumer-protocol group: one record per change of a group's
/// stored state, appended to the internal log `internal/consumer-groups` (durability
/// `always`, compacted by key), each a full snapshot in the format of
/// `ConsumerGroupStateRecord`. A tombstone forgets a group (deleted). Replaying the log in
/// order gives the latest state of every group.
///
/// Thread-safety: appends are serialised by the log; the coordinator writes under its lock,
/// so the log's order is each group's order of changes.
final class ConsumerGroupStateLog: Sendable {
    /// The internal log's name under `<data>/internal/`.
    static let name = "consumer-groups"

    private let log: PartitionLog

    /// Kafka's settings for its state topics (`InternalLog.compactedStateConfig`).
    static func config(segmentBytes: Int) -> LogConfig { InternalLog.compactedStateConfig(segmentBytes: segmentBytes) }

    init(log: PartitionLog) {
        self.log = log
    }

    /// Replays the log: the latest state of every group (tombstoned ones absent), deadlines
    /// unset. A record whose key or value cannot be decoded is skipped and its offset reported
    /// through `skipped` (an unreadable value leaves the group's earlier state in place).
    func load(skipped: (Int64) -> Void = { _ in }) throws -> [String: ConsumerProtocolGroup] {
        try InternalLog.latestByKey(log, decodeKey: ConsumerGroupStateRecord.decodeKey,
                                    decodeValue: { ConsumerGroupStateRecord.decodeValue($1, groupId: $0) }, skipped: skipped)
    }

    /// Appends the state of `groupId` (nil: a tombstone) without syncing; returns the offset
    /// `sync(through:)` must reach before the change may be answered (nil when nothing is
    /// owed). Lets the coordinator
    /// release its lock before the fsync, so changes of many groups share one.
    func writeDeferringSync(_ groupId: String, encoded: [UInt8]?, timestamp: Int64) throws -> Int64? {
        try InternalLog.append([RecordInput(key: ConsumerGroupStateRecord.encodeKey(groupId), value: encoded, timestamp: timestamp)],
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
