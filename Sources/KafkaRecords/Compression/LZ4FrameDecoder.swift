/// LZ4 frame format decompression (magic `04 22 4D 18`): header checksum verified, optional
/// content size, block checksums and content checksum verified when present, uncompressed
/// blocks (high bit of the block size) and linked or independent blocks. Dictionary IDs are
/// rejected as unsupported. Skippable frames (magic 0x184D2A5x) are skipped; several frames
/// may be concatenated.
/// Thread-safety: stateless; safe from any thread.
public enum LZ4FrameDecoder {
    static let magic: UInt32 = 0x184D_2204

    /// Decompresses an LZ4 frame (or concatenated frames), producing at most `maxOutputSize` bytes.
    public static func decompress(
        _ bytes: ArraySlice<UInt8>,
        maxOutputSize: Int = CompressionLimits.defaultMaxOutputSize
    ) throws(CompressionError) -> [UInt8] {
        try ConcatenatedFrames.decompress(bytes, format: "lz4", magic: magic, maxOutputSize: maxOutputSize) {
            (bytes, start, output, cap) throws(CompressionError) -> Int in
            try decodeFrame(bytes, from: start, into: &output, maxOutputSize: cap)
        }
    }

    /// Decodes one frame whose descriptor starts at `start`; returns the index after it.
    static func decodeFrame(
        _ bytes: ArraySlice<UInt8>,
        from start: Int,
        into output: inout [UInt8],
        maxOutputSize: Int
    ) throws(CompressionError) -> Int {
        let end = bytes.endIndex
        var i = start
        guard end - i >= 3 else { throw .truncated("lz4 frame descriptor") }
        let flg = bytes[i]
        let bd = bytes[i + 1]
        guard flg >> 6 == 0x01 else { throw .unsupported("lz4 frame version \(flg >> 6)") }
        guard flg & 0x02 == 0, bd & 0x8F == 0 else { throw .malformed("lz4 reserved descriptor bits set") }
        let blockChecksum = flg & 0x10 != 0
        let hasContentSize = flg & 0x08 != 0
        let contentChecksum = flg & 0x04 != 0
        let hasDictID = flg & 0x01 != 0
        let maxBlockSize: Int
        switch bd >> 4 & 0x07 {
        case 4: maxBlockSize = 64 << 10
        case 5: maxBlockSize = 256 << 10
        case 6: maxBlockSize = 1 << 20
        case 7: maxBlockSize = 4 << 20
        default: throw .malformed("lz4 block max size code \(bd >> 4 & 0x07)")
        }
        let descriptorSize = 2 + (hasContentSize ? 8 : 0) + (hasDictID ? 4 : 0)
        guard end - i >= descriptorSize + 1 else { throw .truncated("lz4 frame descriptor") }
        var contentSize: UInt64?
        if hasContentSize {
            contentSize = UInt64(XXHash32.read32(bytes, i + 2)) | UInt64(XXHash32.read32(bytes, i + 6)) << 32
        }
        let headerChecksum = UInt8(truncatingIfNeeded: XXHash32.hash(bytes[i..<(i + descriptorSize)]) >> 8)
        guard headerChecksum == bytes[i + descriptorSize] else { throw .checksumMismatch("lz4 header checksum") }
        guard !hasDictID else { throw .unsupported("lz4 frames with a dictionary ID") }
        i += descriptorSize + 1

        let frameStart = output.count
        if let contentSize, contentSize > UInt64(maxOutputSize - frameStart) {
            throw .outputLimitExceeded(limit: maxOutputSize)
        }
        while true {
            guard end - i >= 4 else { throw .truncated("lz4 block size") }
            let raw = XXHash32.read32(bytes, i)
            i += 4
            if raw == 0 { break }  // end mark
            let uncompressed = raw & 0x8000_0000 != 0
            let size = Int(raw & 0x7FFF_FFFF)
            guard size <= maxBlockSize else { throw .malformed("lz4 block of \(size) bytes exceeds max \(maxBlockSize)") }
            guard size <= end - i else { throw .truncated("lz4 block of \(size) bytes, \(end - i) left") }
            let block = bytes[i..<(i + size)]
            i += size
            if blockChecksum {
                guard end - i >= 4 else { throw .truncated("lz4 block checksum") }
                guard XXHash32.read32(bytes, i) == XXHash32.hash(block) else { throw .checksumMismatch("lz4 block checksum") }
                i += 4
            }
            if uncompressed {
                guard size <= maxOutputSize - output.count else { throw .outputLimitExceeded(limit: maxOutputSize) }
                output.append(contentsOf: block)
            } else {
                // Linked blocks may reference earlier blocks of the same frame; independent
                // blocks never do, so the frame's output is a valid window for both.
                try decodeBlock(block, into: &output, windowStart: frameStart,
                                limit: min(maxOutputSize, output.count + maxBlockSize), maxOutputSize: maxOutputSize)
            }
        }
        if contentChecksum {
            guard end - i >= 4 else { throw .truncated("lz4 content checksum") }
            guard XXHash32.read32(bytes, i) == XXHash32.hash(output[frameStart...]) else {
                throw .checksumMismatch("lz4 content checksum")
            }
            i += 4
        }
        if let contentSize, contentSize != UInt64(output.count - frameStart) {
            throw .checksumMismatch("lz4 content size \(contentSize) but decoded \(output.count - frameStart)")
        }
        return i
    }

    /// Decodes one LZ4 compressed block, appending to `output`.
    static func decodeBlock(
        _ bytes: ArraySlice<UInt8>,
        into output: inout [UInt8],
        windowStart: Int,
        limit: Int,
        maxOutputSize: Int
    ) throws(CompressionError) {
        var i = bytes.startIndex
        let end = bytes.endIndex
        func exceed() -> CompressionError {
            limit >= maxOutputSize ? .outputLimitExceeded(limit: maxOutputSize) : .malformed("lz4 block decodes beyond the max block size")
        }
        guard i < end else { throw .malformed("empty lz4 compressed block") }
        while true {
            guard i < end else { throw .truncated("lz4 sequence token") }
            let token = bytes[i]
            i += 1
            var literalLength = Int(token >> 4)
            if literalLength == 15 {
                while true {
                    guard i < end else { throw .truncated("lz4 literal length") }
                    let b = bytes[i]
                    i += 1
                    literalLength += Int(b)
                    guard literalLength <= end - i + 255 else { throw .truncated("lz4 literal length") }
                    if b != 255 { break }
                }
            }
            guard literalLength <= end - i else { throw .truncated("lz4 literals of \(literalLength) bytes, \(end - i) left") }
            guard literalLength <= limit - output.count else { throw exceed() }
            output.append(contentsOf: bytes[i..<(i + literalLength)])
            i += literalLength
            if i == end { return }  // the last sequence has literals only
            guard end - i >= 2 else { throw .truncated("lz4 match offset") }
            let offset = Int(bytes[i]) | Int(bytes[i + 1]) << 8
            i += 2
            guard offset > 0, offset <= output.count - windowStart else {
                throw .malformed("lz4 match offset \(offset) outside the \(output.count - windowStart) bytes produced")
            }
            var matchLength = Int(token & 0x0F)
            if matchLength == 15 {
                while true {
                    guard i < end else { throw .truncated("lz4 match length") }
                    let b = bytes[i]
                    i += 1
                    matchLength += Int(b)
                    guard matchLength <= limit else { throw exceed() }
                    if b != 255 { break }
                }
            }
            matchLength += 4
            guard matchLength <= limit - output.count else { throw exceed() }
            var from = output.count - offset
            for _ in 0..<matchLength {
                output.append(output[from])
                from += 1
            }
        }
    }
}
