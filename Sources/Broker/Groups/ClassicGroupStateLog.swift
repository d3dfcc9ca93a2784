import KafkaRecords
import LogStorage

/// The durable membership of every classic group: one record per stored change of a group
/// (see `ClassicGroupStateRecord` for when and what), appended to the internal log
/// `internal/classic-groups` (durability `always`, compacted by key), each a full snapshot.
/// A tombstone forgets a group (DeleteGroups). Replaying the log in order gives the latest
/// stored state of every group.
///
/// Thread-safety: appends are serialised by the log; `GroupCoordinator` writes under its
/// lock, so the log's order is each group's order of changes.
final class ClassicGroupStateLog: Sendable {
    /// The internal log's name under `<data>/internal/`.
    static let name = "classic-groups"

    private let log: PartitionLog

    /// Kafka's settings for its state topics (`InternalLog.compactedStateConfig`).
    static func config(segmentBytes: Int) -> LogConfig { InternalLog.compactedStateConfig(segmentBytes: segmentBytes) }

    init(log: PartitionLog) {
        self.log = log
    }

    /// Replays the log: the latest stored state of every group (tombstoned ones absent). A
    /// record whose key or value cannot be decoded is skipped and its offset reported through
    /// `skipped` (an unreadable value leaves the group's earlier state in place).
    func load(skipped: (Int64) -> Void = { _ in }) throws -> [String: ConsumerGroup] {
        try InternalLog.latestByKey(log, decodeKey: ClassicGroupStateRecord.decodeKey,
                                    decodeValue: { ClassicGroupStateRecord.decodeValue($1, groupId: $0) }, skipped: skipped)
    }

    /// Stores `encoded` (a `ClassicGroupStateRecord` value) as the state of `groupId`, or
    /// forgets the group when nil (tombstone); synced before returning.
    func write(_ groupId: String, encoded: [UInt8]?, timestamp: Int64) throws {
        try append([RecordInput(key: ClassicGroupStateRecord.encodeKey(groupId), value: encoded, timestamp: timestamp)])
    }

    /// Appends raw records, synced (tests use it to plant corrupt ones).
    func append(_ records: [RecordInput]) throws {
        try InternalLog.append(records, to: log)
    }
}
