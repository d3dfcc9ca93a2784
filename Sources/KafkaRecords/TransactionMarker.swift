/// A transaction marker (KIP-98): the single control record of a control batch that ends a
/// producer's transaction on a partition, as Kafka's `EndTransactionMarker` and
/// `ControlRecordType` define it.
///
/// Control record layout: key = `INT16 version (0)` + `INT16 type` (0 abort, 1 commit);
/// value = `INT16 version (0)` + `INT32 coordinatorEpoch`. The batch carrying it has attribute
/// bits 4 (transactional) and 5 (control) set, CreateTime, the producer's id and epoch, base
/// sequence −1 and exactly one record.
///
/// Thread-safety: a plain value, `Sendable`.
public struct TransactionMarker: Sendable, Equatable {
    /// Attribute bits of a marker batch: transactional (0x10) | control (0x20).
    public static let batchAttributes: Int16 = 0x30
    /// Control record type of an abort marker.
    public static let abortType: Int16 = 0
    /// Control record type of a commit marker.
    public static let commitType: Int16 = 1

    /// True for COMMIT, false for ABORT.
    public var isCommit: Bool
    /// The epoch of the transaction coordinator that wrote the marker.
    public var coordinatorEpoch: Int32

    public init(isCommit: Bool, coordinatorEpoch: Int32) {
        self.isCommit = isCommit
        self.coordinatorEpoch = coordinatorEpoch
    }

    /// The control record's key bytes.
    public var key: [UInt8] {
        var writer = ByteWriter(capacity: 4)
        writer.writeInt16(0)
        writer.writeInt16(isCommit ? Self.commitType : Self.abortType)
        return writer.bytes
    }

    /// The control record's value bytes.
    public var value: [UInt8] {
        var writer = ByteWriter(capacity: 6)
        writer.writeInt16(0)
        writer.writeInt32(coordinatorEpoch)
        return writer.bytes
    }

    /// A complete, uncompressed control batch holding this marker (base offset 0, leader epoch
    /// −1: the broker assigns both on append).
    public func controlBatch(producerId: Int64, producerEpoch: Int16, timestamp: Int64) -> [UInt8] {
        var records = ByteWriter()
        RecordBatchBuilder.encode(RecordInput(key: key, value: value, timestamp: timestamp),
                                  offsetDelta: 0, timestampDelta: 0, into: &records)
        return RecordBatchBuilder.assemble(
            attributes: Self.batchAttributes, lastOffsetDelta: 0, baseTimestamp: timestamp, maxTimestamp: timestamp,
            producerId: producerId, producerEpoch: producerEpoch, baseSequence: -1, recordCount: 1, records: records.bytes)
    }

    /// Parses the marker of the control batch `batch` (whole batch bytes). Nil when the batch is
    /// not a control batch, does not decode, or its first record is not a marker (an unknown
    /// control type, e.g. a future one, is nil too). The CRC is not checked (the caller did).
    public init?(controlBatch batch: [UInt8]) {
        guard let header = try? RecordBatchHeader(parsing: batch, at: 0), header.isControl,
              let records = try? RecordBatchRecords.decode(batch, verifyCRC: false),
              let record = records.first, let key = record.key, key.count >= 4 else { return nil }
        var keyReader = ByteReader(key)
        guard let version = try? keyReader.readInt16(), version >= 0, let type = try? keyReader.readInt16(),
              type == Self.abortType || type == Self.commitType else { return nil }
        var epoch: Int32 = -1
        if let value = record.value, value.count >= 6 {
            var valueReader = ByteReader(value)
            _ = try? valueReader.readInt16()
            epoch = (try? valueReader.readInt32()) ?? -1
        }
        self.init(isCommit: type == Self.commitType, coordinatorEpoch: epoch)
    }
}
