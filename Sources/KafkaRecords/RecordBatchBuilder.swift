/// Builds one uncompressed RecordBatch v2 (CreateTime) from ``RecordInput`` values.
///
/// Records are encoded as they are appended (kafka-protocol.md §3.4): each gets
/// `offsetDelta` = its index and `timestampDelta` = its timestamp − the first record's timestamp
/// (which becomes `baseTimestamp`; deltas may be negative). ``build()`` adds the header with
/// `lastOffsetDelta = count − 1`, `maxTimestamp` = the largest timestamp and a correct CRC-32C.
///
/// Field sizes are a caller contract: a key, value, header or record longer than `Int32.max`
/// bytes, or more than `Int32.max` records, cannot be represented and traps.
/// Thread-safety: a value type; `Sendable`.
public struct RecordBatchBuilder: Sendable {
    /// Base offset written into the batch (producers send 0; the broker overwrites it).
    public var baseOffset: Int64
    /// Idempotent producer id (−1 if none).
    public var producerId: Int64
    /// Idempotent producer epoch (−1 if none).
    public var producerEpoch: Int16
    /// Sequence of the first record (−1 if none).
    public var baseSequence: Int32
    /// Whether attribute bit 4 (transactional) is set.
    public var isTransactional: Bool
    /// Leader epoch written into the batch (producers send −1).
    public var partitionLeaderEpoch: Int32

    private var records = ByteWriter()
    private var recordCount = 0
    private var baseTimestamp: Int64 = -1
    private var maxTimestamp: Int64 = -1

    /// Creates an empty builder with the given header fields.
    public init(
        baseOffset: Int64 = 0,
        producerId: Int64 = -1,
        producerEpoch: Int16 = -1,
        baseSequence: Int32 = -1,
        isTransactional: Bool = false,
        partitionLeaderEpoch: Int32 = -1
    ) {
        self.baseOffset = baseOffset
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.isTransactional = isTransactional
        self.partitionLeaderEpoch = partitionLeaderEpoch
    }

    /// Number of records appended so far.
    public var count: Int { recordCount }

    /// Exact size in bytes of the batch ``build()`` would return now (header + records).
    public var estimatedSize: Int { RecordBatchHeader.size + records.count }

    /// The encoded records area so far (what follows the 61-byte header).
    public var encodedRecords: [UInt8] { records.bytes }

    /// Encodes `record` as the next record of the batch.
    public mutating func append(_ record: RecordInput) {
        if recordCount == 0 {
            baseTimestamp = record.timestamp
            maxTimestamp = record.timestamp
        } else {
            maxTimestamp = max(maxTimestamp, record.timestamp)
        }
        RecordBatchBuilder.encode(
            record,
            offsetDelta: Int32(recordCount),
            timestampDelta: record.timestamp &- baseTimestamp,
            into: &records
        )
        recordCount += 1
    }

    /// Returns the complete batch.
    ///
    /// An empty builder yields a valid batch with `recordCount` 0, `lastOffsetDelta` 0 and both
    /// timestamps −1 (it occupies one offset if appended); callers are expected not to build
    /// empty batches.
    public func build() -> [UInt8] {
        RecordBatchBuilder.assemble(
            attributes: isTransactional ? 0x10 : 0,
            lastOffsetDelta: recordCount > 0 ? Int32(recordCount - 1) : 0,
            baseTimestamp: baseTimestamp,
            maxTimestamp: maxTimestamp,
            producerId: producerId,
            producerEpoch: producerEpoch,
            baseSequence: baseSequence,
            recordCount: Int32(recordCount),
            records: records.bytes,
            baseOffset: baseOffset,
            partitionLeaderEpoch: partitionLeaderEpoch
        )
    }

    /// Builds a batch around an already-encoded records area (plain or compressed — this
    /// function does not look at it), computing `batchLength` and the CRC-32C. The codec and
    /// other flags come from `attributes` as given.
    public static func assemble(
        attributes: Int16,
        lastOffsetDelta: Int32,
        baseTimestamp: Int64,
        maxTimestamp: Int64,
        producerId: Int64,
        producerEpoch: Int16,
        baseSequence: Int32,
        recordCount: Int32,
        records: [UInt8],
        baseOffset: Int64 = 0,
        partitionLeaderEpoch: Int32 = -1
    ) -> [UInt8] {
        let total = RecordBatchHeader.size + records.count
        var writer = ByteWriter(capacity: total)
        writer.writeInt64(baseOffset)
        writer.writeInt32(Int32(total - RecordBatchHeader.logOverhead))
        writer.writeInt32(partitionLeaderEpoch)
        writer.writeInt8(RecordBatchHeader.currentMagic)
        writer.writeUInt32(0)  // CRC placeholder, patched once the covered bytes exist
        writer.writeInt16(attributes)
        writer.writeInt32(lastOffsetDelta)
        writer.writeInt64(baseTimestamp)
        writer.writeInt64(maxTimestamp)
        writer.writeInt64(producerId)
        writer.writeInt16(producerEpoch)
        writer.writeInt32(baseSequence)
        writer.writeInt32(recordCount)
        writer.writeBytes(records)
        let crc = writer.bytes.withUnsafeBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatchHeader.crcCoverageStart...]))
        }
        writer.patchUInt32(crc, at: 17)
        return writer.bytes
    }

    /// Appends one record in the §3.4 layout. Sizes are computed first so the length prefix
    /// can be written directly, without encoding the body twice.
    static func encode(_ record: RecordInput, offsetDelta: Int32, timestampDelta: Int64, into writer: inout ByteWriter) {
        var bodySize = 1  // attributes
        bodySize += ByteWriter.varlongSize(timestampDelta)
        bodySize += ByteWriter.varintSize(offsetDelta)
        bodySize += nullableFieldSize(record.key?.count)
        bodySize += nullableFieldSize(record.value?.count)
        bodySize += ByteWriter.varintSize(Int32(record.headers.count))
        for header in record.headers {
            bodySize += nullableFieldSize(header.key.utf8.count)
            bodySize += nullableFieldSize(header.value?.count)
        }
        // No reserveCapacity here: reserving exactly count + recordSize per record made every
        // append reallocate and copy the whole batch; appends grow the buffer geometrically.
        writer.writeVarint(Int32(bodySize))
        writer.writeInt8(0)
        writer.writeVarlong(timestampDelta)
        writer.writeVarint(offsetDelta)
        writeNullable(record.key, into: &writer)
        writeNullable(record.value, into: &writer)
        writer.writeVarint(Int32(record.headers.count))
        for header in record.headers {
            writer.writeVarint(Int32(header.key.utf8.count))
            writer.writeBytes(header.key.utf8)
            writeNullable(header.value, into: &writer)
        }
    }

    /// Size of a VARINT length (−1 for nil) plus the bytes.
    private static func nullableFieldSize(_ count: Int?) -> Int {
        guard let count else { return ByteWriter.varintSize(-1) }
        return ByteWriter.varintSize(Int32(count)) + count
    }

    private static func writeNullable(_ bytes: [UInt8]?, into writer: inout ByteWriter) {
        guard let bytes else {
            writer.writeVarint(-1)
            return
        }
        writer.writeVarint(Int32(bytes.count))
        writer.writeBytes(bytes)
    }
}
