import KafkaRecords

/// One share partition: a share group and one of its topic-partitions. Compared and hashed by
/// all three fields.
public struct SharePartitionKey: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var topic: String
    public var partition: Int32

    public init(group: String, topic: String, partition: Int32) {
        self.group = group
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(group):\(topic)-\(partition)" }
}

/// The stored state of one share partition (Kafka's share coordinator `ShareSnapshot`): its
/// state epoch, SPSO and in-flight runs with their delivery counts, and the record format of
/// the `share-state` internal log.
///
/// Key: `INT8 0` (version), STRING group, STRING topic, INT32 partition (STRING: INT16 length +
/// UTF-8, `ShortString`). The same partition always gives the same bytes, so the log compacts
/// by it; a null value (tombstone) deletes the state.
///
/// Value: `INT8 0` (version), INT32 state epoch, INT64 start offset (SPSO), INT32 n, n × (INT64
/// first offset, INT64 last offset, INT8 state (`ShareRecordState` raw value), INT16 delivery
/// count). Batches are ascending and do not overlap; members and lock deadlines are not
/// stored (locks do not survive a restart).
struct ShareStateRecord: Equatable, Sendable {
    var stateEpoch: Int32
    var startOffset: Int64
    var batches: [ShareStateBatch]

    /// The state to store for `partition`.
    init(_ partition: SharePartition) {
        self.init(stateEpoch: partition.stateEpoch, startOffset: partition.startOffset,
                  batches: partition.stateBatches.map { ShareStateBatch(firstOffset: $0.firstOffset, lastOffset: $0.lastOffset,
                                                                       state: $0.state, deliveryCount: $0.deliveryCount) })
    }

    init(stateEpoch: Int32, startOffset: Int64, batches: [ShareStateBatch]) {
        self.stateEpoch = stateEpoch
        self.startOffset = startOffset
        self.batches = batches
    }

    /// The partition this state restores (acquired records available again, see
    /// `SharePartition.init(settings:startOffset:stateEpoch:restoring:)`).
    func restore(settings: ShareGroupSettings) -> SharePartition {
        SharePartition(settings: settings, startOffset: startOffset, stateEpoch: stateEpoch, restoring: batches)
    }

    /// Whether `key` fits the key format (every STRING within `Int16.max` bytes).
    static func canEncode(_ key: SharePartitionKey) -> Bool { ShortString.fits(key.group) && ShortString.fits(key.topic) }

    static func encodeKey(_ key: SharePartitionKey) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt8(0)
        ShortString.write(key.group, to: &writer)
        ShortString.write(key.topic, to: &writer)
        writer.writeInt32(key.partition)
        return writer.bytes
    }

    /// The partition of a key written by `encodeKey`, or nil for anything else.
    static func decodeKey(_ bytes: [UInt8]) -> SharePartitionKey? {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readInt8() == 0, let group = try ShortString.read(from: &reader),
                  let topic = try ShortString.read(from: &reader) else { return nil }
            let partition = try reader.readInt32()
            guard reader.remaining == 0 else { return nil }
            return SharePartitionKey(group: group, topic: topic, partition: partition)
        } catch {
            return nil
        }
    }

    func encodeValue() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt8(0)
        writer.writeInt32(stateEpoch)
        writer.writeInt64(startOffset)
        writer.writeInt32(Int32(clamping: batches.count))
        for batch in batches.prefix(Int(Int32.max)) {
            writer.writeInt64(batch.firstOffset)
            writer.writeInt64(batch.lastOffset)
            writer.writeInt8(batch.state.rawValue)
            writer.writeInt16(batch.deliveryCount)
        }
        return writer.bytes
    }

    /// Decodes a value written by `encodeValue`; nil if malformed (unknown version or state,
    /// a count beyond the bytes present, a batch with first > last, below the start offset or
    /// not after the previous one, a negative delivery count, trailing bytes).
    static func decodeValue(_ bytes: [UInt8]) -> ShareStateRecord? {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readInt8() == 0 else { return nil }
            let epoch = try reader.readInt32()
            let start = try reader.readInt64()
            let count = try reader.readInt32()
            // Each batch takes 19 bytes: a larger count is corrupt, not a reason to allocate.
            guard start >= 0, count >= 0, Int(count) * 19 == reader.remaining else { return nil }
            var batches: [ShareStateBatch] = []
            batches.reserveCapacity(Int(count))
            var next = start
            for _ in 0..<count {
                let first = try reader.readInt64()
                let last = try reader.readInt64()
                guard let state = ShareRecordState(rawValue: try reader.readInt8()) else { return nil }
                let deliveryCount = try reader.readInt16()
                guard first >= next, first <= last, deliveryCount >= 0 else { return nil }
                batches.append(ShareStateBatch(firstOffset: first, lastOffset: last, state: state, deliveryCount: deliveryCount))
                next = last &+ 1
            }
            return ShareStateRecord(stateEpoch: epoch, startOffset: start, batches: batches)
        } catch {
            return nil
        }
    }
}
