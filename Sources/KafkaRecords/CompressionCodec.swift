/// The compression codec of a RecordBatch v2, stored in attribute bits 0–2 (kafka-protocol.md §3.3).
///
/// Raw values are the on-wire codes; 5, 6 and 7 are invalid (see
/// ``RecordBatchError/invalidCompression(_:)``). A broker stores compressed batches opaquely;
/// readers decompress all four codecs (see `Compression/`).
/// Thread-safety: a plain value, `Sendable`.
public enum CompressionCodec: Int16, Sendable, CaseIterable {
    /// Records are stored as-is.
    case none = 0
    /// RFC 1952 gzip stream.
    case gzip = 1
    /// Raw snappy block or xerial-framed snappy.
    case snappy = 2
    /// LZ4 frame format.
    case lz4 = 3
    /// Zstandard frame.
    case zstd = 4
}
