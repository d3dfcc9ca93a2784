/// The fixed 61-byte header of a RecordBatch v2 ("magic 2"), kafka-protocol.md §3.1.
///
/// Layout (all big-endian):
///
/// | Offset | Field | Type |
/// |---|---|---|
/// | 0 | baseOffset | INT64 |
/// | 8 | batchLength (bytes after this field) | INT32 |
/// | 12 | partitionLeaderEpoch | INT32 |
/// | 16 | magic (= 2) | INT8 |
/// | 17 | crc: CRC-32C over bytes `21..<totalSize` | UINT32 |
/// | 21 | attributes | INT16 |
/// | 23 | lastOffsetDelta | INT32 |
/// | 27 | baseTimestamp | INT64 |
/// | 35 | maxTimestamp | INT64 |
/// | 43 | producerId | INT64 |
/// | 51 | producerEpoch | INT16 |
/// | 53 | baseSequence | INT32 |
/// | 57 | recordCount | INT32 |
///
/// The CRC does not cover bytes 0–20, which is why a broker can assign offsets and stamp the
/// leader epoch without recomputing it (see ``rewrite(baseOffset:partitionLeaderEpoch:in:)``).
///
/// A parsed header is a plain copy of the fields; it does not keep the bytes alive.
/// Parsing (`init(parsing:)`) checks only what is needed to trust `totalSize`
/// (magic and minimum length); ``validate(_:maxBatchSize:)`` performs the full check.
/// Thread-safety: a plain value, `Sendable`.
public struct RecordBatchHeader: Sendable, Equatable {
    /// Size of the fixed header in bytes.
    public static let size = 61
    /// Bytes before the part counted by `batchLength`: baseOffset (8) + batchLength (4).
    public static let logOverhead = 12
    /// Smallest legal `batchLength`: a header with an empty records area (61 − 12).
    public static let minimumBatchLength: Int32 = 49
    /// The only supported magic value.
    public static let currentMagic: Int8 = 2
    /// Offset of the first byte covered by the CRC (the attributes field).
    public static let crcCoverageStart = 21

    /// Offset of the first record in the batch (assigned by the broker on append).
    public var baseOffset: Int64
    /// Number of bytes after the batchLength field, i.e. ``totalSize`` − 12.
    public var batchLength: Int32
    /// Leader epoch stamped by the broker (producers send −1).
    public var partitionLeaderEpoch: Int32
    /// Format version; always 2 for a parsed header.
    public var magic: Int8
    /// The stored CRC-32C of bytes `21..<totalSize`.
    public var crc: UInt32
    /// Attribute bits: 0–2 codec, 3 timestamp type, 4 transactional, 5 control, 6 delete horizon.
    public var attributes: Int16
    /// Offset delta of the last record; the batch covers `baseOffset...baseOffset + lastOffsetDelta`.
    public var lastOffsetDelta: Int32
    /// Timestamp of the first record (−1 for an empty batch).
    public var baseTimestamp: Int64
    /// Largest record timestamp, or the broker's time for LogAppendTime.
    public var maxTimestamp: Int64
    /// Idempotent producer id, −1 if none.
    public var producerId: Int64
    /// Idempotent producer epoch, −1 if none.
    public var producerEpoch: Int16
    /// Sequence number of the first record, −1 if none.
    public var baseSequence: Int32
    /// Number of records in the batch (even when compressed).
    public var recordCount: Int32

    /// Creates a header from explicit field values (no checking).
    public init(
        baseOffset: Int64, batchLength: Int32, partitionLeaderEpoch: Int32, magic: Int8 = 2,
        crc: UInt32, attributes: Int16, lastOffsetDelta: Int32, baseTimestamp: Int64,
        maxTimestamp: Int64, producerId: Int64, producerEpoch: Int16, baseSequence: Int32,
        recordCount: Int32
    ) {
        self.baseOffset = baseOffset
        self.batchLength = batchLength
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.magic = magic
        self.crc = crc
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.recordCount = recordCount
    }

    // MARK: Derived values

    /// Whole size of the batch in bytes: `batchLength + 12`.
    public var totalSize: Int { Int(batchLength) + RecordBatchHeader.logOverhead }

    /// Offset of the last record: `baseOffset + lastOffsetDelta` (wrapping, so garbage input
    /// cannot trap; real offsets are far from `Int64.max`).
    public var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }

    /// Number of offsets the batch occupies: `lastOffsetDelta + 1`.
    public var offsetCount: Int64 { Int64(lastOffsetDelta) + 1 }

    /// The codec in attribute bits 0–2, or nil for the invalid values 5–7.
    public var compression: CompressionCodec? { CompressionCodec(rawValue: attributes & 0x07) }

    /// Attribute bit 3.
    public var timestampType: TimestampType { attributes & 0x08 != 0 ? .logAppendTime : .createTime }

    /// Attribute bit 4: the batch belongs to a transaction.
    public var isTransactional: Bool { attributes & 0x10 != 0 }

    /// Attribute bit 5: the batch holds transaction markers.
    public var isControl: Bool { attributes & 0x20 != 0 }

    // MARK: Parsing

    /// Parses the fixed header from the first 61 bytes of `buffer` without checking the CRC or
    /// whether the whole batch is present.
    ///
    /// Throws, in this order: `truncated(needed: 61, …)` if `buffer` is shorter than 61 bytes;
    /// `unsupportedMagic` if byte 16 is not 2 (checked before anything else is interpreted, as
    /// the format demands); `invalidLength` if `batchLength < 49`.
    public init(parsing buffer: UnsafeRawBufferPointer) throws(RecordBatchError) {
        guard buffer.count >= RecordBatchHeader.size else {
            throw .truncated(needed: RecordBatchHeader.size, available: buffer.count)
        }
        let magic = Int8(bitPattern: buffer[16])
        guard magic == RecordBatchHeader.currentMagic else { throw .unsupportedMagic(magic) }
        let batchLength = Int32(bigEndian: buffer.loadUnaligned(fromByteOffset: 8, as: Int32.self))
        guard batchLength >= RecordBatchHeader.minimumBatchLength else { throw .invalidLength(batchLength) }
        self.init(
            baseOffset: Int64(bigEndian: buffer.loadUnaligned(fromByteOffset: 0, as: Int64.self)),
            batchLength: batchLength,
            partitionLeaderEpoch: Int32(bigEndian: buffer.loadUnaligned(fromByteOffset: 12, as: Int32.self)),
            magic: magic,
            crc: UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: 17, as: UInt32.self)),
            attributes: Int16(bigEndian: buffer.loadUnaligned(fromByteOffset: 21, as: Int16.self)),
            lastOffsetDelta: Int32(bigEndian: buffer.loadUnaligned(fromByteOffset: 23, as: Int32.self)),
            baseTimestamp: Int64(bigEndian: buffer.loadUnaligned(fromByteOffset: 27, as: Int64.self)),
            maxTimestamp: Int64(bigEndian: buffer.loadUnaligned(fromByteOffset: 35, as: Int64.self)),
            producerId: Int64(bigEndian: buffer.loadUnaligned(fromByteOffset: 43, as: Int64.self)),
            producerEpoch: Int16(bigEndian: buffer.loadUnaligned(fromByteOffset: 51, as: Int16.self)),
            baseSequence: Int32(bigEndian: buffer.loadUnaligned(fromByteOffset: 53, as: Int32.self)),
            recordCount: Int32(bigEndian: buffer.loadUnaligned(fromByteOffset: 57, as: Int32.self))
        )
    }

    /// Parses the header that starts at `bytes[index]` (same checks as ``init(parsing:)-(UnsafeRawBufferPointer)``).
    /// An `index` outside the array counts as zero available bytes.
    public init(parsing bytes: [UInt8], at index: Int) throws(RecordBatchError) {
        let header: Result<RecordBatchHeader, RecordBatchError> = bytes.withUnsafeBytes { raw in
            Result { () throws(RecordBatchError) in
                try RecordBatchHeader(parsing: RecordBatchHeader.suffix(of: raw, from: index))
            }
        }
        self = try header.get()
    }

    /// Reads only baseOffset and batchLength (the first 12 bytes), e.g. to walk a log.
    /// Throws `truncated(needed: 12, …)` for a shorter buffer; the length is *not* checked.
    public static func peekLength(
        _ buffer: UnsafeRawBufferPointer
    ) throws(RecordBatchError) -> (baseOffset: Int64, batchLength: Int32) {
        guard buffer.count >= logOverhead else {
            throw .truncated(needed: logOverhead, available: buffer.count)
        }
        return (
            Int64(bigEndian: buffer.loadUnaligned(fromByteOffset: 0, as: Int64.self)),
            Int32(bigEndian: buffer.loadUnaligned(fromByteOffset: 8, as: Int32.self))
        )
    }

    /// `raw[index...]` rebased to start at 0, or an empty buffer when `index` is out of range.
    static func suffix(of raw: UnsafeRawBufferPointer, from index: Int) -> UnsafeRawBufferPointer {
        guard index >= 0, index <= raw.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: raw[index...])
    }
}
