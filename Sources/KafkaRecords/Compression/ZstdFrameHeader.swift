/// A zstd `Frame_Header` (RFC 8878 §3.1.1.1), the bytes after the 4-byte magic number.
///
/// Layout: `Frame_Header_Descriptor` (bits 7–6 `Frame_Content_Size_Flag`, bit 5
/// `Single_Segment_Flag`, bit 4 unused, bit 3 reserved and zero, bit 2 `Content_Checksum_Flag`,
/// bits 1–0 `Dictionary_ID_Flag`), then `Window_Descriptor` (1 byte, absent for single-segment
/// frames: exponent in bits 7–3, mantissa in bits 2–0, window = 2^(10+e) · (1 + m/8)),
/// `Dictionary_ID` (0, 1, 2 or 4 bytes, little-endian) and `Frame_Content_Size` (0 or 1 byte
/// when the flag is 0 — 1 only for single-segment frames —, else 2 bytes (value + 256), 4 or 8
/// bytes, little-endian). A single-segment frame's window is its content size.
/// Thread-safety: a plain value, `Sendable`.
struct ZstdFrameHeader: Sendable {
    /// Largest back-reference distance this frame may use (clamped to `Int.max`).
    var windowSize: Int
    /// The declared decompressed size, when present.
    var contentSize: UInt64?
    var hasContentChecksum: Bool
    /// 0 when absent (or explicitly "no dictionary").
    var dictionaryID: UInt32
    /// Header bytes after the magic number.
    var size: Int

    /// Parses the header starting at `bytes[start]` (just after the magic number).
    init(parsing bytes: ArraySlice<UInt8>, at start: Int) throws(CompressionError) {
        guard start < bytes.endIndex else { throw .truncated("zstd frame header") }
        let descriptor = bytes[start]
        guard descriptor & 0x08 == 0 else { throw .malformed("zstd frame header reserved bit set") }
        let singleSegment = descriptor & 0x20 != 0
        let dictionaryBytes = [0, 1, 2, 4][Int(descriptor & 0x03)]
        let contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][Int(descriptor >> 6)]
        let windowBytes = singleSegment ? 0 : 1
        size = 1 + windowBytes + dictionaryBytes + contentSizeBytes
        guard bytes.endIndex - start >= size else { throw .truncated("zstd frame header") }
        hasContentChecksum = descriptor & 0x04 != 0

        func little(_ at: Int, _ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<count { value |= UInt64(bytes[at + index]) << (8 * index) }
            return value
        }
        var i = start + 1
        var window = 0
        if !singleSegment {
            let byte = bytes[i]
            let log = 10 + Int(byte >> 3)
            window = (1 << log) + (1 << log) / 8 * Int(byte & 0x07)
            i += 1
        }
        dictionaryID = UInt32(truncatingIfNeeded: little(i, dictionaryBytes))
        i += dictionaryBytes
        if contentSizeBytes == 0 {
            contentSize = nil
        } else {
            let value = little(i, contentSizeBytes)
            contentSize = contentSizeBytes == 2 ? value + 256 : value
        }
        windowSize = singleSegment ? Int(clamping: contentSize ?? 0) : window
    }
}
