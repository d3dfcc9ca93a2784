import KafkaRecords

/// One partition of a transaction.
struct TransactionPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    var topic: String
    var partition: Int32

    static func < (a: Self, b: Self) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
    var description: String { "\(topic)-\(partition)" }
}

/// What the coordinator knows of one transactional id: its producer id and epoch, and its
/// current transaction. A value type; `TransactionCoordinator` owns the live copies and
/// `TransactionLog` the durable ones.
///
/// Invariants: `partitions` and `groups` are empty unless the state is Ongoing or Prepare*;
/// `startTimestamp` is -1 unless a transaction is open or being completed.
struct TransactionMetadata: Equatable, Sendable {
    var transactionalId: String
    var producerId: Int64
    /// The producer id before the last rotation (epoch exhaustion), or -1.
    var previousProducerId: Int64 = -1
    /// -1 until the first InitProducerId completes.
    var producerEpoch: Int16
    /// The epoch before the last bump by the same producer's InitProducerId (KIP-360 retries), or -1.
    var lastProducerEpoch: Int16 = -1
    var timeoutMs: Int32
    var state: TransactionState
    var partitions: Set<TransactionPartition> = []
    /// Consumer groups whose offsets the transaction commits (AddOffsetsToTxn).
    var groups: Set<String> = []
    /// Wall-clock ms when the open transaction began (its first AddPartitions/AddOffsets), or -1.
    var startTimestamp: Int64 = -1
    /// Wall-clock ms of the last state change.
    var lastUpdateTimestamp: Int64

    /// Epochs run from 0 to Int16.max - 1; at the last one the next bump takes a new producer id.
    var isEpochExhausted: Bool { producerEpoch >= Int16.max - 1 }

    // MARK: log format

    /// Key of the transaction log record: `INT8 0` (version), STRING transactional id
    /// (INT16 length + UTF-8). The same id always gives the same bytes, so the log compacts by it.
    static func encodeKey(_ transactionalId: String) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt8(0)
        writeString(transactionalId, &writer)
        return writer.bytes
    }

    /// The transactional id of a key written by `encodeKey`, or nil for anything else.
    static func decodeKey(_ bytes: [UInt8]) -> String? {
        var reader = ByteReader(bytes)
        guard (try? reader.readInt8()) == 0, let id = try? readString(&reader), reader.remaining == 0 else { return nil }
        return id
    }

    /// Value: `INT8 0` (version), INT64 producer id, INT64 previous producer id, INT16 epoch,
    /// INT16 last epoch, INT32 timeout ms, INT8 state, INT64 start timestamp, INT64 last update
    /// timestamp, INT32 n + n × (STRING topic, INT32 partition), INT32 m + m × STRING group.
    func encodeValue() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt8(0)
        writer.writeInt64(producerId)
        writer.writeInt64(previousProducerId)
        writer.writeInt16(producerEpoch)
        writer.writeInt16(lastProducerEpoch)
        writer.writeInt32(timeoutMs)
        writer.writeInt8(state.rawValue)
        writer.writeInt64(startTimestamp)
        writer.writeInt64(lastUpdateTimestamp)
        writer.writeInt32(Int32(partitions.count))
        for partition in partitions.sorted() {
            Self.writeString(partition.topic, &writer)
            writer.writeInt32(partition.partition)
        }
        writer.writeInt32(Int32(groups.count))
        for group in groups.sorted() { Self.writeString(group, &writer) }
        return writer.bytes
    }

    /// Decodes a value written by `encodeValue` for `transactionalId`; nil if malformed.
    static func decodeValue(_ bytes: [UInt8], transactionalId: String) -> TransactionMetadata? {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readInt8() == 0 else { return nil }
            let producerId = try reader.readInt64()
            let previousProducerId = try reader.readInt64()
            let epoch = try reader.readInt16()
            let lastEpoch = try reader.readInt16()
            let timeoutMs = try reader.readInt32()
            guard let state = TransactionState(rawValue: try reader.readInt8()) else { return nil }
            let start = try reader.readInt64()
            let lastUpdate = try reader.readInt64()
            let partitionCount = try reader.readInt32()
            // Each partition takes at least 6 bytes: a count beyond that is corrupt, not a reason to allocate.
            guard partitionCount >= 0, Int(partitionCount) * 6 <= reader.remaining else { return nil }
            var partitions: Set<TransactionPartition> = []
            for _ in 0..<partitionCount {
                guard let topic = try readString(&reader) else { return nil }
                partitions.insert(TransactionPartition(topic: topic, partition: try reader.readInt32()))
            }
            let groupCount = try reader.readInt32()
            guard groupCount >= 0, Int(groupCount) * 2 <= reader.remaining else { return nil }
            var groups: Set<String> = []
            for _ in 0..<groupCount {
                guard let group = try readString(&reader) else { return nil }
                groups.insert(group)
            }
            guard reader.remaining == 0 else { return nil }
            return TransactionMetadata(transactionalId: transactionalId, producerId: producerId, previousProducerId: previousProducerId,
                                       producerEpoch: epoch, lastProducerEpoch: lastEpoch, timeoutMs: timeoutMs, state: state,
                                       partitions: partitions, groups: groups, startTimestamp: start, lastUpdateTimestamp: lastUpdate)
        } catch {
            return nil
        }
    }

    private static func writeString(_ text: String, _ writer: inout ByteWriter) { ShortString.write(text, to: &writer) }

    private static func readString(_ reader: inout ByteReader) throws(ByteReaderError) -> String? { try ShortString.read(from: &reader) }
}
