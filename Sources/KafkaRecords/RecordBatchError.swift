/// Why bytes are not an acceptable RecordBatch v2 (or its records could not be decoded).
///
/// Every case describes the input, so a broker can map it to a Kafka error code, e.g.
/// `crcMismatch` → `CORRUPT_MESSAGE (2)`, `unsupportedMagic` → `INVALID_RECORD (87)`,
/// `batchTooLarge` → `MESSAGE_TOO_LARGE (10)`.
/// Thread-safety: a plain value, `Sendable`.
public enum RecordBatchError: Error, Equatable, Sendable {
    /// Fewer bytes than the 61-byte header, or than the batch's own `batchLength` says
    /// (`needed` is the total number of bytes the batch requires, `available` what there was).
    case truncated(needed: Int, available: Int)
    /// `batchLength` is below ``RecordBatchHeader/minimumBatchLength`` (49 = 61 − 12).
    case invalidLength(Int32)
    /// Magic byte (offset 16) is not 2: a legacy message set or garbage.
    case unsupportedMagic(Int8)
    /// The CRC-32C stored at offset 17 does not match the one computed over bytes `21..<end`.
    case crcMismatch(stored: UInt32, computed: UInt32)
    /// `lastOffsetDelta` is negative.
    case invalidLastOffsetDelta(Int32)
    /// `recordCount` is negative. (A count different from `lastOffsetDelta + 1` is legal:
    /// compaction removes records without renumbering.)
    case invalidRecordCount(Int32)
    /// Attribute bits 0–2 hold codec 5, 6 or 7 (the payload is the offending codec value).
    case invalidCompression(Int16)
    /// The control bit (attribute bit 5) is set where control batches are not accepted.
    case controlBatchNotAllowed
    /// The records area could not be decoded; the text says what was wrong and where.
    /// Also thrown when asked to decode the records of a compressed batch.
    case malformedRecord(String)
    /// The batch's total size (`batchLength + 12`) exceeds the caller's limit.
    case batchTooLarge(size: Int, limit: Int)
}
