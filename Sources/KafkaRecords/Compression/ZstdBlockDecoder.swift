/// Decodes the compressed blocks of one zstd frame (RFC 8878 §3.1.1.3): a `Literals_Section`
/// then a `Sequences_Section`, executed against the frame's output.
///
/// Literals section header (first byte: type in bits 0–1, size format in bits 2–3):
/// - raw (0) / RLE (1): 1, 2 or 3 header bytes holding a 5-, 12- or 20-bit regenerated size,
///   then the bytes (raw) or the single repeated byte (RLE);
/// - Huffman (2) / treeless (3): 3, 3, 4 or 5 header bytes holding 10/10, 10/10, 14/14 or
///   18/18-bit regenerated and compressed sizes; format 0 is one stream, the others four.
///   Huffman literals start with a tree description; treeless ones reuse the frame's last table.
///
/// Keeps what carries from block to block within a frame: the last Huffman table and the
/// sequence decoder's tables and repeat offsets. Checked before the output grows: a block's
/// literals and its whole output fit `blockMaximumSize` (`min(windowSize, 128 KiB)`) and the
/// output cap. Checked before each copy: every match offset is at least 1 and at most both
/// the bytes this frame has produced and the window size.
/// Thread-safety: a plain value; owned by one frame decode.
struct ZstdBlockDecoder {
    static let maxBlockSize = 128 * 1024
    /// Bytes of slack after the literals and after a block's output, so copies may move whole
    /// 16-byte chunks past the end of what they copy (the slack is never part of the result).
    static let slack = 32
    static let zeros = [UInt8](repeating: 0, count: maxBlockSize + slack)

    let windowSize: Int
    let blockMaximumSize: Int
    /// Index in the output where this frame's content starts (back-references stop there).
    let frameStart: Int
    let maxOutputSize: Int
    var huffman: ZstdHuffmanTable?
    var sequenceDecoder = ZstdSequenceDecoder()
    /// Scratch: the current block's literals are `literals[0..<literalCount]`, followed by at
    /// least `slack` bytes.
    var literals = [UInt8](repeating: 0, count: slack)
    var literalCount = 0
    /// Scratch: the current block's sequences are `sequences[0..<sequenceCount]`.
    var sequences: [ZstdSequence] = []
    var sequenceCount = 0

    init(windowSize: Int, frameStart: Int, maxOutputSize: Int) {
        self.windowSize = windowSize
        self.blockMaximumSize = min(windowSize, Self.maxBlockSize)
        self.frameStart = frameStart
        self.maxOutputSize = maxOutputSize
    }

    /// Decodes one compressed block (its `Block_Content`), appending to `output`.
    mutating func decodeCompressed(_ block: ArraySlice<UInt8>, into output: inout [UInt8]) throws(CompressionError) {
        guard block.count <= blockMaximumSize else {
            throw .malformed("zstd compressed block of \(block.count) bytes exceeds the maximum \(blockMaximumSize)")
        }
        let used = try decodeLiterals(block)
        let total: Int
        (total, sequenceCount) = try sequenceDecoder.decode(
            block[(block.startIndex + used)...], literalCount: literalCount,
            maxBlockSize: blockMaximumSize, into: &sequences)
        guard total <= maxOutputSize - output.count else { throw .outputLimitExceeded(limit: maxOutputSize) }
        try execute(total: total, into: &output)
    }

    /// Decodes the literals section into `literals[0..<literalCount]`; returns its size in bytes.
    mutating func decodeLiterals(_ block: ArraySlice<UInt8>) throws(CompressionError) -> Int {
        let s = block.startIndex
        let available = block.count
        guard let first = block.first.map(Int.init) else { throw .truncated("zstd literals section header") }
        let type = first & 3
        let format = first >> 2 & 3
        if type < 2 {
            let headerSize = format == 1 ? 2 : format == 3 ? 3 : 1
            guard available >= headerSize else { throw .truncated("zstd literals section header") }
            var count = first >> 3
            if headerSize == 2 {
                count = first >> 4 + Int(block[s + 1]) << 4
            } else if headerSize == 3 {
                count = first >> 4 + Int(block[s + 1]) << 4 + Int(block[s + 2]) << 12
            }
            try reserveLiterals(count)
            let start = s + headerSize
            if type == 0 {
                guard count <= available - headerSize else { throw .truncated("zstd raw literals") }
                literals.withUnsafeMutableBufferPointer { out in
                    block[start..<(start + count)].withUnsafeBufferPointer { input in
                        if let source = input.baseAddress, let target = out.baseAddress {
                            target.update(from: source, count: count)
                        }
                    }
                }
                return headerSize + count
            }
            guard available > headerSize else { throw .truncated("zstd RLE literal") }
            let byte = block[start]
            literals.withUnsafeMutableBufferPointer { out in
                out.baseAddress?.update(repeating: byte, count: count)
            }
            return headerSize + 1
        }
        let headerSize = format < 2 ? 3 : format == 2 ? 4 : 5
        let bits = format < 2 ? 10 : format == 2 ? 14 : 18
        guard available >= headerSize else { throw .truncated("zstd literals section header") }
        var header = 0
        for index in 0..<headerSize { header |= Int(block[s + index]) << (8 * index) }
        let count = header >> 4 & ((1 << bits) - 1)
        let compressedSize = header >> (4 + bits) & ((1 << bits) - 1)
        guard compressedSize <= available - headerSize else { throw .truncated("zstd compressed literals") }
        try reserveLiterals(count)
        var data = block[(s + headerSize)..<(s + headerSize + compressedSize)]
        let table: ZstdHuffmanTable
        if type == 2 {
            let (read, size) = try ZstdHuffmanTable.read(data)
            table = read
            huffman = read
            data = data[(data.startIndex + size)...]
        } else {
            guard let huffman else { throw .malformed("zstd treeless literals without a previous Huffman table") }
            table = huffman
        }
        try table.decode(data, fourStreams: format != 0, count: count, into: &literals)
        return headerSize + compressedSize
    }

    /// Checks a literals size against the block maximum and makes room for it.
    mutating func reserveLiterals(_ count: Int) throws(CompressionError) {
        guard count <= blockMaximumSize else {
            throw .malformed("zstd literals of \(count) bytes exceed the maximum block size \(blockMaximumSize)")
        }
        if literals.count < count + Self.slack {
            literals = [UInt8](repeating: 0, count: max(count, min(blockMaximumSize, 2 * literals.count)) + Self.slack)
        }
        literalCount = count
    }

    /// Executes the decoded sequences, appending exactly `total` bytes to `output`.
    mutating func execute(total: Int, into output: inout [UInt8]) throws(CompressionError) {
        guard total > 0 else { return }
        let base = output.count
        // Grow by copying zeros (a plain memory copy even unoptimized), with slack for the
        // chunked copies; total ≤ 128 KiB. The slack is removed before returning.
        output.append(contentsOf: Self.zeros.prefix(total + Self.slack))
        guard output.count == base + total + Self.slack else {
            throw .malformed("zstd block larger than \(Self.maxBlockSize) bytes")
        }
        let literalCount = literalCount
        let sequenceCount = sequenceCount
        let frameStart = frameStart
        let windowSize = windowSize
        try literals.withUnsafeBufferPointer { (literals) throws(CompressionError) in
            try sequences.withUnsafeBufferPointer { (sequences) throws(CompressionError) in
                try output.withUnsafeMutableBufferPointer { (out) throws(CompressionError) in
                    guard let target = out.baseAddress, let source = literals.baseAddress,
                          literalCount + Self.slack <= literals.count, base + total + Self.slack <= out.count,
                          sequenceCount <= sequences.count else {
                        throw .malformed("zstd block buffers")
                    }
                    let end = base + total
                    var op = base
                    var lp = 0
                    for sequence in UnsafeBufferPointer(rebasing: sequences[0..<sequenceCount]) {
                        let literalLength = sequence.literalLength
                        let matchLength = sequence.matchLength
                        let offset = sequence.offset
                        // Re-checked here so the copies below stay in bounds by construction:
                        // chunked copies read and write at most 15 bytes past their length,
                        // which the slack after the literals and after `end` absorbs.
                        guard literalLength >= 0, matchLength >= 0, literalLength <= literalCount - lp,
                              literalLength <= end - op, matchLength <= end - op - literalLength else {
                            throw .malformed("zstd sequences do not fit their block")
                        }
                        Self.copyChunks(to: target + op, from: source + lp, count: literalLength)
                        op += literalLength
                        lp += literalLength
                        guard offset >= 1, offset <= op - frameStart, offset <= windowSize else {
                            throw .malformed("zstd match offset \(offset) outside the \(min(op - frameStart, windowSize)) bytes of the window")
                        }
                        let from = target + (op - offset)
                        if offset >= 16 {
                            // Each chunk reads 16 bytes that end before the chunk it writes.
                            Self.copyChunks(to: target + op, from: from, count: matchLength)
                        } else {
                            // Short period: byte by byte, each byte already written.
                            for index in 0..<matchLength { target[op + index] = from[index] }
                        }
                        op += matchLength
                    }
                    guard literalCount - lp == end - op else { throw .malformed("zstd sequences do not fit their block") }
                    (target + op).update(from: source + lp, count: literalCount - lp)
                }
            }
        }
        output.removeLast(Self.slack)
    }

    /// Copies `count` bytes in 16-byte chunks, front to back: reads and writes up to 15 bytes
    /// beyond `count` (callers guarantee the slack), and is correct for overlapping ranges
    /// when `source` is at least 16 bytes before `target`.
    @inline(__always)
    static func copyChunks(to target: UnsafeMutablePointer<UInt8>, from source: UnsafePointer<UInt8>, count: Int) {
        let to = UnsafeMutableRawPointer(target)
        let from = UnsafeRawPointer(source)
        var index = 0
        while index < count {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self), toByteOffset: index, as: SIMD16<UInt8>.self)
            index += 16
        }
    }
}
