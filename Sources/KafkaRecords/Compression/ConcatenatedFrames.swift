/// The frame loop LZ4 and zstd share: one or more frames back to back, each starting with a
/// 4-byte little-endian magic; skippable frames (magic 0x184D2A50–5F, then a 4-byte size) are
/// skipped, any other magic than the format's is malformed, and empty input is truncated.
/// Thread-safety: stateless; safe from any thread.
enum ConcatenatedFrames {
    /// Decodes every frame of `bytes` with `decodeFrame` (given the index after the magic, it
    /// appends to the output and returns the index after the frame). `format` names the format
    /// in errors, e.g. "zstd".
    static func decompress(
        _ bytes: ArraySlice<UInt8>,
        format: String,
        magic: UInt32,
        maxOutputSize: Int,
        decodeFrame: (ArraySlice<UInt8>, Int, inout [UInt8], Int) throws(CompressionError) -> Int
    ) throws(CompressionError) -> [UInt8] {
        var output: [UInt8] = []
        var i = bytes.startIndex
        var frames = 0
        while i < bytes.endIndex || frames == 0 {
            guard bytes.endIndex - i >= 4 else { throw .truncated("\(format) frame magic") }
            let m = XXHash32.read32(bytes, i)
            if m & 0xFFFF_FFF0 == 0x184D_2A50 {
                guard bytes.endIndex - i >= 8 else { throw .truncated("\(format) skippable frame size") }
                let size = Int(XXHash32.read32(bytes, i + 4))
                guard size <= bytes.endIndex - i - 8 else { throw .truncated("\(format) skippable frame") }
                i += 8 + size
            } else {
                guard m == magic else { throw .malformed("bad \(format) frame magic") }
                i = try decodeFrame(bytes, i + 4, &output, maxOutputSize)
            }
            frames += 1
        }
        return output
    }
}
