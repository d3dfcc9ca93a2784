/// Zstandard decompression (RFC 8878), pure Swift: the format Kafka uses for compression
/// attribute 4.
///
/// Supported: concatenated frames (magic `28 B5 2F FD`) and skippable frames (magic
/// 0x184D2A50–5F, skipped); every frame header form (see ``ZstdFrameHeader``); raw, RLE and
/// compressed blocks (``ZstdBlockDecoder``); raw, RLE, Huffman (1 or 4 streams, FSE-compressed
/// or direct weights) and treeless literals; predefined, RLE, FSE-compressed and repeat
/// sequence tables; repeat offsets. A frame's content checksum (low 32 bits of XXH64) and
/// content size are verified when present. Frames naming a dictionary (ID ≠ 0) are refused
/// as ``CompressionError/unsupported(_:)``.
///
/// Input is hostile: every size is checked before use, back-references must stay inside both
/// the frame's output and its window, blocks may not exceed `min(window, 128 KiB)`, and the
/// total output is capped at `maxOutputSize` (checked before each block's bytes are written,
/// and against a declared content size up front).
/// Thread-safety: stateless; safe from any thread.
public enum ZstdDecoder {
    static let magic: UInt32 = 0xFD2F_B528

    /// Decompresses zstd frames (and skips skippable ones), producing at most `maxOutputSize` bytes.
    public static func decompress(
        _ bytes: ArraySlice<UInt8>,
        maxOutputSize: Int = CompressionLimits.defaultMaxOutputSize
    ) throws(CompressionError) -> [UInt8] {
        try ConcatenatedFrames.decompress(bytes, format: "zstd", magic: magic, maxOutputSize: maxOutputSize) {
            (bytes, start, output, cap) throws(CompressionError) -> Int in
            try decodeFrame(bytes, from: start, into: &output, maxOutputSize: cap)
        }
    }

    /// Decodes one frame whose header starts at `start` (after the magic); returns the index after it.
    static func decodeFrame(
        _ bytes: ArraySlice<UInt8>,
        from start: Int,
        into output: inout [UInt8],
        maxOutputSize: Int
    ) throws(CompressionError) -> Int {
        let header = try ZstdFrameHeader(parsing: bytes, at: start)
        guard header.dictionaryID == 0 else {
            throw .unsupported("zstd dictionaries unsupported (the frame needs dictionary ID \(header.dictionaryID))")
        }
        let end = bytes.endIndex
        var i = start + header.size
        let frameStart = output.count
        if let contentSize = header.contentSize {
            guard contentSize <= UInt64(clamping: maxOutputSize - frameStart) else { throw .outputLimitExceeded(limit: maxOutputSize) }
            // Room for the content plus the slack a compressed block uses while it executes
            // (growing geometrically, so many small frames do not copy the output each time).
            let needed = frameStart + Int(contentSize) + ZstdBlockDecoder.slack
            if needed > output.capacity {
                output.reserveCapacity(max(needed, min(2 * output.capacity, maxOutputSize + ZstdBlockDecoder.slack)))
            }
        }
        var blocks = ZstdBlockDecoder(windowSize: header.windowSize, frameStart: frameStart, maxOutputSize: maxOutputSize)
        let blockMaximumSize = blocks.blockMaximumSize
        while true {
            guard end - i >= 3 else { throw .truncated("zstd block header") }
            let raw = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16
            i += 3
            let size = raw >> 3
            switch raw >> 1 & 3 {
            case 0:  // raw
                guard size <= blockMaximumSize else { throw .malformed("zstd raw block of \(size) bytes exceeds \(blockMaximumSize)") }
                guard size <= end - i else { throw .truncated("zstd raw block of \(size) bytes, \(end - i) left") }
                guard size <= maxOutputSize - output.count else { throw .outputLimitExceeded(limit: maxOutputSize) }
                output.append(contentsOf: bytes[i..<(i + size)])
                i += size
            case 1:  // RLE: one byte, repeated `size` times
                guard size <= blockMaximumSize else { throw .malformed("zstd RLE block of \(size) bytes exceeds \(blockMaximumSize)") }
                guard i < end else { throw .truncated("zstd RLE block") }
                guard size <= maxOutputSize - output.count else { throw .outputLimitExceeded(limit: maxOutputSize) }
                let byte = bytes[i]
                let blockStart = output.count
                output.append(contentsOf: ZstdBlockDecoder.zeros.prefix(size))  // size ≤ 128 KiB
                if byte != 0 {
                    output.withUnsafeMutableBufferPointer { out in
                        UnsafeMutableBufferPointer(rebasing: out[blockStart...]).update(repeating: byte)
                    }
                }
                i += 1
            case 2:
                guard size <= end - i else { throw .truncated("zstd compressed block of \(size) bytes, \(end - i) left") }
                try blocks.decodeCompressed(bytes[i..<(i + size)], into: &output)
                i += size
            default:
                throw .malformed("zstd reserved block type")
            }
            if let contentSize = header.contentSize, UInt64(output.count - frameStart) > contentSize {
                throw .checksumMismatch("zstd frame content size \(contentSize) but more was decoded")
            }
            if raw & 1 != 0 { break }  // Last_Block
        }
        if header.hasContentChecksum {
            guard end - i >= 4 else { throw .truncated("zstd content checksum") }
            let expected = XXHash32.read32(bytes, i)
            guard UInt32(truncatingIfNeeded: XXHash64.hash(output[frameStart...])) == expected else {
                throw .checksumMismatch("zstd content checksum")
            }
            i += 4
        }
        if let contentSize = header.contentSize, contentSize != UInt64(output.count - frameStart) {
            throw .checksumMismatch("zstd frame content size \(contentSize) but decoded \(output.count - frameStart)")
        }
        return i
    }
}
