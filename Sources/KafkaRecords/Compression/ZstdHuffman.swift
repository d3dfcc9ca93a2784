/// A zstd literals Huffman decoding table (RFC 8878 §4.2.1) and its stream decoder.
///
/// The `Huffman_Tree_Description` lists one weight per symbol (0 = absent), either as an
/// FSE-compressed stream (header byte < 128: that many bytes follow, accuracy log ≤ 6, two
/// interleaved states) or as direct 4-bit weights (header byte ≥ 128: `header − 127` weights,
/// two per byte, high nibble first). The last symbol's weight is implied: the weights must
/// complete a power of two. A weight `w > 0` means a code of `maxBits + 1 − w` bits.
///
/// Invariants: `cells.count == 1 << maxBits` with `1 ≤ maxBits ≤ 11`; every cell is filled
/// (symbol in the high byte, code length 1...maxBits in the low byte), so a `maxBits`-bit peek
/// always indexes a valid cell and every decoded symbol consumes at least one bit.
/// Thread-safety: a plain value, `Sendable`.
struct ZstdHuffmanTable: Sendable {
    static let maxCodeLength = 11

    var cells: [UInt16]
    var maxBits: Int

    /// Reads a `Huffman_Tree_Description` at the start of `bytes`; returns the table and the
    /// number of bytes it used.
    static func read(_ bytes: ArraySlice<UInt8>) throws(CompressionError) -> (table: ZstdHuffmanTable, size: Int) {
        guard let header = bytes.first else { throw .truncated("zstd Huffman tree description") }
        let start = bytes.startIndex
        var weights: [UInt8]
        let size: Int
        if header < 128 {
            size = 1 + Int(header)
            guard header > 0 else { throw .malformed("zstd Huffman tree description of 0 bytes") }
            guard bytes.count >= size else { throw .truncated("zstd Huffman tree description") }
            weights = try decodeWeights(bytes[(start + 1)..<(start + size)])
        } else {
            let count = Int(header) - 127
            size = 1 + (count + 1) / 2
            guard bytes.count >= size else { throw .truncated("zstd Huffman direct weights") }
            weights = []
            weights.reserveCapacity(count + 1)
            for index in 0..<count {
                let byte = bytes[start + 1 + index / 2]
                weights.append(index % 2 == 0 ? byte >> 4 : byte & 0x0F)
            }
        }
        return (try ZstdHuffmanTable(weights: weights), size)
    }

    /// Decodes FSE-compressed weights: states 1 and 2 alternate until the stream is overread,
    /// then the other state's symbol is the last weight (RFC 8878 §4.2.1.2).
    static func decodeWeights(_ bytes: ArraySlice<UInt8>) throws(CompressionError) -> [UInt8] {
        let (table, used) = try ZstdFSETable.readDistribution(bytes, kind: .plain)
        let entries = table.entries
        let mask = entries.count - 1
        let log = table.accuracyLog
        return try bytes[(bytes.startIndex + used)...].withUnsafeBufferPointer { (stream) throws(CompressionError) -> [UInt8] in
            var reader = try ZstdReverseBitReader(stream, what: "Huffman weights")
            var state1 = Int(reader.read(log)) & mask
            var state2 = Int(reader.read(log)) & mask
            reader.reload()
            var weights: [UInt8] = []
            func decode(_ state: inout Int) -> UInt8 {
                let entry = entries[state]
                state = (Int(entry.nextState) + Int(reader.read(Int(entry.nbBits)))) & mask
                reader.reload()
                return UInt8(truncatingIfNeeded: entry.base)
            }
            while true {
                // At most 255 weights (256 symbols with the implied last one).
                guard weights.count <= 252 else { throw .malformed("zstd Huffman weights for more than 256 symbols") }
                weights.append(decode(&state1))
                if reader.bitsRemaining < 0 {
                    weights.append(UInt8(truncatingIfNeeded: entries[state2].base))
                    break
                }
                weights.append(decode(&state2))
                if reader.bitsRemaining < 0 {
                    weights.append(UInt8(truncatingIfNeeded: entries[state1].base))
                    break
                }
            }
            return weights
        }
    }

    /// Builds the table from the listed weights (the last symbol's weight is implied).
    init(weights listed: [UInt8]) throws(CompressionError) {
        guard !listed.isEmpty, listed.count <= 255 else { throw .malformed("zstd Huffman tree with \(listed.count) weights") }
        var total = 0
        for weight in listed {
            guard weight <= Self.maxCodeLength else { throw .malformed("zstd Huffman weight \(weight)") }
            if weight > 0 { total += 1 << (Int(weight) - 1) }
        }
        guard total > 0 else { throw .malformed("zstd Huffman tree without symbols") }
        let maxBits = Int.bitWidth - total.leadingZeroBitCount
        guard maxBits <= Self.maxCodeLength else { throw .malformed("zstd Huffman codes longer than 11 bits") }
        let rest = (1 << maxBits) - total
        guard rest & (rest - 1) == 0 else { throw .malformed("zstd Huffman weights do not complete a power of two") }
        let weights = listed + [UInt8(Int.bitWidth - rest.leadingZeroBitCount)]

        var rankCount = [Int](repeating: 0, count: maxBits + 1)
        for weight in weights where weight > 0 { rankCount[maxBits + 1 - Int(weight)] += 1 }
        // Longest codes (lowest weights) first; within a length, symbols in natural order.
        var rankStart = [Int](repeating: 0, count: maxBits + 1)
        var position = 0
        for length in stride(from: maxBits, through: 1, by: -1) {
            rankStart[length] = position
            position += rankCount[length] << (maxBits - length)
        }
        let size = 1 << maxBits
        guard position == size else { throw .malformed("zstd Huffman code is not complete") }
        var cells = [UInt16](repeating: 0, count: size)
        for (symbol, weight) in weights.enumerated() where weight > 0 {
            let length = maxBits + 1 - Int(weight)
            let start = rankStart[length]
            let span = 1 << (maxBits - length)
            let cell = UInt16(symbol) << 8 | UInt16(length)
            for index in start..<(start + span) { cells[index] = cell }
            rankStart[length] = start + span
        }
        self.cells = cells
        self.maxBits = maxBits
    }

    /// Decodes `count` literals from the Huffman streams in `bytes` (1 stream, or 4 after a
    /// 6-byte jump table of the first three stream sizes) into `output[0..<count]`.
    func decode(
        _ bytes: ArraySlice<UInt8>,
        fourStreams: Bool,
        count: Int,
        into output: inout [UInt8]
    ) throws(CompressionError) {
        guard count <= output.count else { throw .malformed("zstd literals exceed the literal buffer") }
        let maxBits = maxBits
        try cells.withUnsafeBufferPointer { (cells) throws(CompressionError) in
            try output.withUnsafeMutableBufferPointer { (out) throws(CompressionError) in
                try bytes.withUnsafeBufferPointer { (input) throws(CompressionError) in
                    guard fourStreams else {
                        try Self.decodeStream(input, cells: cells, maxBits: maxBits, into: out, from: 0, count: count)
                        return
                    }
                    guard input.count >= 10 else { throw .truncated("zstd Huffman jump table") }
                    let size1 = Int(input[0]) | Int(input[1]) << 8
                    let size2 = Int(input[2]) | Int(input[3]) << 8
                    let size3 = Int(input[4]) | Int(input[5]) << 8
                    let size4 = input.count - 6 - size1 - size2 - size3
                    guard size1 > 0, size2 > 0, size3 > 0, size4 > 0 else {
                        throw .malformed("zstd Huffman jump table does not fit its streams")
                    }
                    let segment = (count + 3) / 4
                    guard count - 3 * segment >= 0 else { throw .malformed("zstd 4-stream literals of \(count) bytes") }
                    var start = 6
                    var produced = 0
                    for (index, size) in [size1, size2, size3, size4].enumerated() {
                        let stream = UnsafeBufferPointer(rebasing: input[start..<(start + size)])
                        let n = index == 3 ? count - 3 * segment : segment
                        try Self.decodeStream(stream, cells: cells, maxBits: maxBits, into: out, from: produced, count: n)
                        start += size
                        produced += n
                    }
                }
            }
        }
    }

    /// Decodes exactly `count` symbols of one stream into `out[from..<(from + count)]`; the
    /// stream must be consumed exactly.
    static func decodeStream(
        _ stream: UnsafeBufferPointer<UInt8>,
        cells: UnsafeBufferPointer<UInt16>,
        maxBits: Int,
        into out: UnsafeMutableBufferPointer<UInt8>,
        from: Int,
        count: Int
    ) throws(CompressionError) {
        guard from >= 0, count >= 0, count <= out.count - from else { throw .malformed("zstd literals exceed the literal buffer") }
        var reader = try ZstdReverseBitReader(stream, what: "Huffman literals")
        var i = from
        let end = from + count
        @inline(__always) func one() {
            let cell = cells[Int(truncatingIfNeeded: reader.peek(maxBits))]
            out[i] = UInt8(truncatingIfNeeded: cell >> 8)
            reader.skip(Int(cell & 0xFF))
            i += 1
        }
        // After a reload at least 57 bits are available away from the start: 4 codes of ≤ 11.
        while end - i >= 4 {
            reader.reload()
            one(); one(); one(); one()
        }
        reader.reload()
        while i < end { one() }
        guard reader.bitsRemaining == 0 else { throw .malformed("zstd Huffman stream does not end with its literals") }
    }
}
