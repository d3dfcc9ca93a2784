/// One zstd sequence: copy `literalLength` literals, then `matchLength` bytes starting
/// `offset` bytes back in the output.
struct ZstdSequence: Sendable {
    var literalLength: Int
    var matchLength: Int
    var offset: Int
}

/// Decodes a block's `Sequences_Section` (RFC 8878 §3.1.1.3.2) and keeps what carries over to
/// the frame's next blocks: the three decoding tables (for `Repeat_Mode`) and the three repeat
/// offsets (initially 1, 4, 8).
///
/// Section layout: `Number_of_Sequences` (1–3 bytes; 0 means literals only and nothing may
/// follow), `Symbol_Compression_Modes` (literal lengths in bits 7–6, offsets 5–4, match
/// lengths 3–2, bits 1–0 reserved and zero; each 0 predefined, 1 RLE, 2 FSE-compressed,
/// 3 repeat), the table descriptions in that order, then a backward bitstream: initial
/// states (LL, OF, ML), and per sequence the offset, match-length and literal-length extra
/// bits followed (except after the last) by the LL, ML and OF state updates.
///
/// Invariants of a successful decode: the sum of literal lengths is at most the block's
/// literals, the block's output (`literalCount` + match lengths) is at most the maximum block
/// size, and the bitstream was consumed exactly. Offsets are checked against the output when
/// the sequences are executed.
/// Thread-safety: a plain value; owned by one frame decode.
struct ZstdSequenceDecoder {
    var literalLengths: ZstdFSETable?
    var offsets: ZstdFSETable?
    var matchLengths: ZstdFSETable?
    var repeatOffsets: (Int, Int, Int) = (1, 4, 8)

    /// Decodes the section in `bytes` into `sequences[0..<count]` (growing the scratch array
    /// when needed); returns the number of bytes the block produces and the sequence count.
    mutating func decode(
        _ bytes: ArraySlice<UInt8>,
        literalCount: Int,
        maxBlockSize: Int,
        into sequences: inout [ZstdSequence]
    ) throws(CompressionError) -> (total: Int, count: Int) {
        var i = bytes.startIndex
        let end = bytes.endIndex
        guard i < end else { throw .truncated("zstd sequences section header") }
        let first = Int(bytes[i])
        var count: Int
        if first < 128 {
            count = first
            i += 1
        } else if first < 255 {
            guard end - i >= 2 else { throw .truncated("zstd number of sequences") }
            count = (first - 128) << 8 + Int(bytes[i + 1])
            i += 2
        } else {
            guard end - i >= 3 else { throw .truncated("zstd number of sequences") }
            count = Int(bytes[i + 1]) + Int(bytes[i + 2]) << 8 + 0x7F00
            i += 3
        }
        if count == 0 {
            guard i == end else { throw .malformed("zstd block has data after an empty sequences section") }
            return (literalCount, 0)
        }
        guard i < end else { throw .truncated("zstd symbol compression modes") }
        let modes = bytes[i]
        i += 1
        guard modes & 0x03 == 0 else { throw .malformed("zstd symbol compression modes have reserved bits set") }
        let ll = try Self.table(Int(modes >> 6), kind: .literalLength, previous: literalLengths,
                                predefined: .predefinedLiteralLengths, bytes, &i)
        let of = try Self.table(Int(modes >> 4 & 3), kind: .offset, previous: offsets,
                                predefined: .predefinedOffsets, bytes, &i)
        let ml = try Self.table(Int(modes >> 2 & 3), kind: .matchLength, previous: matchLengths,
                                predefined: .predefinedMatchLengths, bytes, &i)
        literalLengths = ll
        offsets = of
        matchLengths = ml
        guard i < end else { throw .truncated("zstd sequences bitstream") }
        if sequences.count < count {
            sequences = [ZstdSequence](repeating: ZstdSequence(literalLength: 0, matchLength: 0, offset: 0),
                                       count: max(count, min(2 * sequences.count, 0x1_7F00)))
        }
        let matchTotal = try bytes[i..<end].withUnsafeBufferPointer { (stream) throws(CompressionError) -> Int in
            try ll.entries.withUnsafeBufferPointer { (llTable) throws(CompressionError) -> Int in
                try of.entries.withUnsafeBufferPointer { (ofTable) throws(CompressionError) -> Int in
                    try ml.entries.withUnsafeBufferPointer { (mlTable) throws(CompressionError) -> Int in
                        try sequences.withUnsafeMutableBufferPointer { (output) throws(CompressionError) -> Int in
                            try decodeSequences(
                                stream, count: count,
                                tables: (llTable, ofTable, mlTable),
                                logs: (ll.accuracyLog, of.accuracyLog, ml.accuracyLog),
                                literalCount: literalCount, maxBlockSize: maxBlockSize, into: output)
                        }
                    }
                }
            }
        }
        return (literalCount + matchTotal, count)
    }

    /// The table for one symbol type given its compression mode; advances `i` past its
    /// description.
    static func table(
        _ mode: Int,
        kind: ZstdFSETable.Kind,
        previous: ZstdFSETable?,
        predefined: ZstdFSETable,
        _ bytes: ArraySlice<UInt8>,
        _ i: inout Int
    ) throws(CompressionError) -> ZstdFSETable {
        switch mode {
        case 0:
            return predefined
        case 1:
            guard i < bytes.endIndex else { throw .truncated("zstd RLE sequence symbol") }
            let symbol = Int(bytes[i])
            i += 1
            guard symbol <= kind.maxSymbol else { throw .malformed("zstd RLE \(kind) code \(symbol)") }
            return ZstdFSETable(kind: kind, rle: symbol)
        case 2:
            let (table, used) = try ZstdFSETable.readDistribution(bytes[i...], kind: kind)
            i += used
            return table
        default:
            guard let previous else { throw .malformed("zstd repeat mode for \(kind) codes without a previous table") }
            return previous
        }
    }

    /// The sequence loop proper, writing `output[0..<count]`; returns the sum of match lengths.
    private mutating func decodeSequences(
        _ stream: UnsafeBufferPointer<UInt8>,
        count: Int,
        tables: (UnsafeBufferPointer<ZstdFSEEntry>, UnsafeBufferPointer<ZstdFSEEntry>, UnsafeBufferPointer<ZstdFSEEntry>),
        logs: (Int, Int, Int),
        literalCount: Int,
        maxBlockSize: Int,
        into output: UnsafeMutableBufferPointer<ZstdSequence>
    ) throws(CompressionError) -> Int {
        guard count <= output.count else { throw .malformed("zstd sequence buffer") }
        let (llTable, ofTable, mlTable) = tables
        // Table sizes are powers of two; masking keeps every state in bounds.
        let llMask = llTable.count - 1
        let ofMask = ofTable.count - 1
        let mlMask = mlTable.count - 1
        var reader = try ZstdReverseBitReader(stream, what: "sequences")
        var llState = Int(truncatingIfNeeded: reader.read(logs.0)) & llMask
        var ofState = Int(truncatingIfNeeded: reader.read(logs.1)) & ofMask
        var mlState = Int(truncatingIfNeeded: reader.read(logs.2)) & mlMask
        var (rep1, rep2, rep3) = repeatOffsets
        var literalTotal = 0
        var matchTotal = 0
        let literalsLeftMax = maxBlockSize - literalCount
        for index in 0..<count {
            reader.reload()
            let llEntry = llTable[llState]
            let ofEntry = ofTable[ofState]
            let mlEntry = mlTable[mlState]
            let ofBits = Int(ofEntry.extraBits)
            let mlBits = Int(mlEntry.extraBits)
            let llBits = Int(llEntry.extraBits)
            // Up to 31 + 16 + 16 extra bits and 26 state bits: reload so no read exceeds 57.
            let offsetValue = Int(ofEntry.base) + Int(truncatingIfNeeded: reader.read(ofBits))
            if ofBits + mlBits + llBits > 31 { reader.reload() }
            let matchLength = Int(mlEntry.base) + Int(truncatingIfNeeded: reader.read(mlBits))
            let literalLength = Int(llEntry.base) + Int(truncatingIfNeeded: reader.read(llBits))
            if mlBits + llBits > 31 { reader.reload() }

            let offset: Int
            if offsetValue > 3 {
                offset = offsetValue - 3
                rep3 = rep2
                rep2 = rep1
                rep1 = offset
            } else {
                switch offsetValue + (literalLength == 0 ? 1 : 0) {
                case 1:
                    offset = rep1
                case 2:
                    offset = rep2
                    rep2 = rep1
                    rep1 = offset
                case 3:
                    offset = rep3
                    rep3 = rep2
                    rep2 = rep1
                    rep1 = offset
                default:
                    offset = rep1 - 1
                    rep3 = rep2
                    rep2 = rep1
                    rep1 = offset
                }
            }
            literalTotal += literalLength
            matchTotal += matchLength
            guard literalTotal <= literalCount else {
                throw .malformed("zstd sequences use more than the block's \(literalCount) literals")
            }
            guard matchTotal <= literalsLeftMax else {
                throw .malformed("zstd block decodes beyond the maximum block size \(maxBlockSize)")
            }
            output[index] = ZstdSequence(literalLength: literalLength, matchLength: matchLength, offset: offset)
            if index != count - 1 {
                llState = (Int(llEntry.nextState) + Int(truncatingIfNeeded: reader.read(Int(llEntry.nbBits)))) & llMask
                mlState = (Int(mlEntry.nextState) + Int(truncatingIfNeeded: reader.read(Int(mlEntry.nbBits)))) & mlMask
                ofState = (Int(ofEntry.nextState) + Int(truncatingIfNeeded: reader.read(Int(ofEntry.nbBits)))) & ofMask
            }
        }
        guard reader.bitsRemaining == 0 else {
            throw .malformed("zstd sequences bitstream does not end with its \(count) sequences")
        }
        repeatOffsets = (rep1, rep2, rep3)
        return matchTotal
    }
}
