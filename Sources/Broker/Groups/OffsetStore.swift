import KafkaRecords
import LogStorage
import Synchronization

/// Committed consumer-group offsets, durable: each OffsetCommit is one record batch appended to
/// an internal log with durability `always`, so a commit is on stable storage before it is
/// acknowledged, and the whole map is rebuilt by replaying the log at start-up.
///
/// Record format (our own, inside ordinary v2 batches): key = `INT8 1, STRING group, STRING
/// topic, INT32 partition` (STRING = INT16 length + UTF-8); value = `INT64 offset, INT32 leader
/// epoch, INT64 commit time, INT16 metadata length (-1 = null) + bytes`, or null (a tombstone)
/// for a deletion: group deleted (DeleteGroups), topic deleted (DeleteTopics) or offsets
/// deleted (OffsetDelete). Replay applies records in log order, so a later record wins and a
/// tombstone removes the offset for good. Record timestamps are the commit time, or the
/// deletion time for tombstones (0 in tombstones written before that was recorded); replay
/// ignores them.
///
/// The key of one group/topic/partition is always the same bytes (version byte 1 first) and
/// every record is about exactly one key, so the log can be compacted by key: the latest record
/// per key (a commit, or a tombstone until it may be dropped) carries the whole state.
///
/// Transactional commits (TxnOffsetCommit) are staged first: key = `INT8 2, INT64 producer id,
/// STRING group, STRING topic, INT32 partition`, value as above. They are invisible to the group
/// until the transaction ends: a commit appends, in one batch, the ordinary records (key version
/// 1) of the staged offsets and tombstones for their staged keys; an abort appends only the
/// tombstones. One batch is atomic, so replay sees either both or neither; staged records with
/// no tombstone after them belong to a transaction still open (or being completed by the
/// transaction coordinator's recovery). Compaction keeps the latest record per key, which
/// preserves all of this.
///
/// Thread-safety: a lock guards the map; appends are serialised by the log. A deletion racing
/// a commit of the same key may leave memory and log disagreeing until the next restart (the
/// log's order wins then).

final class OffsetStore: Sendable {
    struct Key: Hashable, Sendable {
        var group: String
        var topic: String
        var partition: Int32
    }

    struct Committed: Equatable, Sendable {
        var offset: Int64
        var leaderEpoch: Int32
        var metadata: String?
        var commitTimestamp: Int64
    }

    private let log: PartitionLog
    private let offsets = Mutex<[Key: Committed]>([:])
    /// Staged transactional commits: producer id → group → offsets.
    private let staged = Mutex<[Int64: [String: [Key: Committed]]]>([:])

    init(log: PartitionLog) throws {
        self.log = log
        var map: [Key: Committed] = [:]
        var pending: [Int64: [String: [Key: Committed]]] = [:]
        try InternalLog.replay(log) { record in
            if let (producerId, key) = record.key.flatMap(Self.decodeStagedKey) {
                pending[producerId, default: [:]][key.group, default: [:]][key] = record.value.flatMap(Self.decodeValue)
                return
            }
            guard let key = record.key.flatMap(Self.decodeKey) else { return }
            if let value = record.value, let committed = Self.decodeValue(value) { map[key] = committed } else { map[key] = nil }
        }
        offsets.withLock { $0 = map }
        staged.withLock { $0 = pending.compactMapValues { groups in
            let open = groups.filter { !$0.value.isEmpty }
            return open.isEmpty ? nil : open
        } }
    }

    // MARK: transactional commits

    /// Stages a transaction's offset commits for `group` durably; they become visible only when
    /// `completeStaged` commits them. A later stage of the same key replaces the earlier one.
    func stage(producerId: Int64, group: String, _ entries: [(Key, Committed)]) throws {
        guard !entries.isEmpty else { return }
        var builder = RecordBatchBuilder()
        for (key, committed) in entries {
            builder.append(RecordInput(key: Self.encodeStagedKey(producerId: producerId, key), value: Self.encodeValue(committed),
                                       timestamp: committed.commitTimestamp))
        }
        _ = try log.append(try ValidatedBatches(validating: builder.build()))
        staged.withLock { staged in
            for (key, committed) in entries { staged[producerId, default: [:]][group, default: [:]][key] = committed }
        }
    }

    /// Ends the producer's staged commits for `groups`: with `commit` they become the groups'
    /// committed offsets, otherwise they are dropped; durable before the maps change. Calling it
    /// again (recovery) finds nothing staged and writes nothing.
    func completeStaged(producerId: Int64, groups: [String], commit: Bool, timestamp: Int64) throws {
        let entries = staged.withLock { staged -> [(Key, Committed)] in
            groups.flatMap { group in (staged[producerId]?[group] ?? [:]).map { ($0.key, $0.value) } }
        }
        guard !entries.isEmpty else { return }
        var builder = RecordBatchBuilder()
        if commit {
            for (key, committed) in entries {
                builder.append(RecordInput(key: Self.encodeKey(key), value: Self.encodeValue(committed), timestamp: committed.commitTimestamp))
            }
        }
        for (key, _) in entries {
            builder.append(RecordInput(key: Self.encodeStagedKey(producerId: producerId, key), value: nil, timestamp: timestamp))
        }
        _ = try log.append(try ValidatedBatches(validating: builder.build()))
        if commit { offsets.withLock { map in for (key, committed) in entries { map[key] = committed } } }
        staged.withLock { staged in
            for group in groups { staged[producerId]?[group] = nil }
            if staged[producerId]?.isEmpty == true { staged[producerId] = nil }
        }
    }

    /// Whether a transaction has staged a commit for `key` that is not decided yet (OffsetFetch
    /// with `RequireStable` answers UNSTABLE_OFFSET_COMMIT then).
    func hasStaged(_ key: Key) -> Bool {
        staged.withLock { staged in staged.values.contains { $0[key.group]?[key] != nil } }
    }

    /// Stores the commits durably, then makes them visible.
    func commit(_ entries: [(Key, Committed)]) throws {
        guard !entries.isEmpty else { return }
        var builder = RecordBatchBuilder()
        for (key, committed) in entries {
            builder.append(RecordInput(key: Self.encodeKey(key), value: Self.encodeValue(committed), timestamp: committed.commitTimestamp))
        }
        _ = try log.append(try ValidatedBatches(validating: builder.build()))
        offsets.withLock { map in for (key, committed) in entries { map[key] = committed } }
    }

    /// Deletes every offset matching `predicate`, durably: one tombstone per committed key,
    /// stamped `timestamp` (wall-clock ms), synced before the map forgets the keys. Keys with no
    /// committed offset write nothing.
    func delete(at timestamp: Int64, where predicate: (Key) -> Bool) throws {
        let doomed = offsets.withLock { $0.keys.filter(predicate) }
        guard !doomed.isEmpty else { return }
        var builder = RecordBatchBuilder()
        for key in doomed { builder.append(RecordInput(key: Self.encodeKey(key), value: nil, timestamp: timestamp)) }
        _ = try log.append(try ValidatedBatches(validating: builder.build()))
        offsets.withLock { map in for key in doomed { map[key] = nil } }
    }

    func committed(_ key: Key) -> Committed? { offsets.withLock { $0[key] } }

    /// Every committed offset of a group.
    func all(group: String) -> [(Key, Committed)] {
        offsets.withLock { map in map.filter { $0.key.group == group }.map { ($0.key, $0.value) } }
            .sorted { ($0.0.topic, $0.0.partition) < ($1.0.topic, $1.0.partition) }
    }

    /// Groups that have at least one committed offset.
    var groupIds: Set<String> { offsets.withLock { Set($0.keys.map(\.group)) } }

    // MARK: encoding

    static func encodeKey(_ key: Key) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt8(1)
        writeString(key.group, &writer)
        writeString(key.topic, &writer)
        writer.writeInt32(key.partition)
        return writer.bytes
    }

    static func encodeValue(_ committed: Committed) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt64(committed.offset)
        writer.writeInt32(committed.leaderEpoch)
        writer.writeInt64(committed.commitTimestamp)
        if let metadata = committed.metadata { writeString(metadata, &writer) } else { writer.writeInt16(-1) }
        return writer.bytes
    }

    private static func writeString(_ text: String, _ writer: inout ByteWriter) { ShortString.write(text, to: &writer) }

    private static func readString(_ reader: inout ByteReader) throws(ByteReaderError) -> String? { try ShortString.read(from: &reader) }

    static func encodeStagedKey(producerId: Int64, _ key: Key) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt8(2)
        writer.writeInt64(producerId)
        writeString(key.group, &writer)
        writeString(key.topic, &writer)
        writer.writeInt32(key.partition)
        return writer.bytes
    }

    static func decodeStagedKey(_ bytes: [UInt8]) -> (Int64, Key)? {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readInt8() == 2 else { return nil }
            let producerId = try reader.readInt64()
            guard let group = try readString(&reader), let topic = try readString(&reader) else { return nil }
            return (producerId, Key(group: group, topic: topic, partition: try reader.readInt32()))
        } catch { return nil }
    }

    static func decodeKey(_ bytes: [UInt8]) -> Key? {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readInt8() == 1, let group = try readString(&reader), let topic = try readString(&reader) else { return nil }
            return Key(group: group, topic: topic, partition: try reader.readInt32())
        } catch { return nil }
    }

    static func decodeValue(_ bytes: [UInt8]) -> Committed? {
        var reader = ByteReader(bytes)
        do {
            let offset = try reader.readInt64()
            let epoch = try reader.readInt32()
            let time = try reader.readInt64()
            let metadata = try readString(&reader)
            return Committed(offset: offset, leaderEpoch: epoch, metadata: metadata, commitTimestamp: time)
        } catch { return nil }
    }
}
