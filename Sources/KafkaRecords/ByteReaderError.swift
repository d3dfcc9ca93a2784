/// Why a ``ByteReader`` could not decode the next value.
///
/// Every case describes a property of the *input bytes*, never a programming error, so callers
/// can map it to a protocol error (for example Kafka's `CORRUPT_MESSAGE`) instead of crashing.
/// Thread-safety: a plain value, `Sendable`.
public enum ByteReaderError: Error, Equatable, Sendable {
    /// The value needs `needed` bytes but only `available` remain before the reader's end index.
    case truncated(needed: Int, available: Int)
    /// A varint is longer than its type allows (more than 5 bytes for 32 bits, 10 for 64 bits),
    /// or its last byte carries bits that do not fit the type.
    case malformedVarint
    /// A length prefix (or a requested byte count) is negative where only `>= 0` is meaningful.
    case negativeLength(Int)
    /// Bytes that must be a UTF-8 string are not valid UTF-8.
    case invalidUTF8
}
