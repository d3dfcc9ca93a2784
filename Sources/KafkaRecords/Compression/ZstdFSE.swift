/// One cell of an FSE decoding table. For sequence tables, `base` and `extraBits` translate the
/// cell's symbol (a literal-length, match-length or offset code) into its baseline value and
/// the number of extra bits to read (RFC 8878 §3.1.1.3.2.1.1); plain tables (Huffman weights)
/// store the symbol itself in `base`.
struct ZstdFSEEntry: Sendable {
    var base: UInt32 = 0
    /// Baseline of the next state; the next state is `nextState + read(nbBits)`.
    var nextState: UInt16 = 0
    var nbBits: UInt8 = 0
    var extraBits: UInt8 = 0
}

/// An FSE (tANS) decoding table (RFC 8878 §4.1): `1 << accuracyLog` cells built from a
/// normalized distribution, either read from a compressed `FSE_Table_Description`, one of the
/// predefined distributions, or a single RLE symbol (accuracy log 0).
///
/// Invariants: `entries.count == 1 << accuracyLog`, and every state a decoder computes is
/// masked with `entries.count - 1`, so indexing is in bounds whatever the input.
/// Thread-safety: a plain value, `Sendable`.
struct ZstdFSETable: Sendable {
    /// What the table's symbols mean, which fixes `base`/`extraBits` of each cell.
    enum Kind: Sendable {
        case literalLength, matchLength, offset, plain

        /// Largest symbol the format allows for this kind.
        var maxSymbol: Int {
            switch self {
            case .literalLength: return 35
            case .matchLength: return 52
            case .offset: return 31
            case .plain: return 15
            }
        }

        /// Largest accuracy log the format allows for this kind.
        var maxAccuracyLog: Int {
            switch self {
            case .literalLength, .matchLength: return 9
            case .offset: return 8
            case .plain: return 6
            }
        }

        func baseAndExtraBits(_ symbol: Int) -> (base: UInt32, extraBits: UInt8) {
            switch self {
            case .literalLength:
                if symbol < 16 { return (UInt32(symbol), 0) }
                let index = min(symbol - 16, ZstdFSETable.literalLengthCodes.count - 1)
                return ZstdFSETable.literalLengthCodes[index]
            case .matchLength:
                if symbol < 32 { return (UInt32(symbol + 3), 0) }
                let index = min(symbol - 32, ZstdFSETable.matchLengthCodes.count - 1)
                return ZstdFSETable.matchLengthCodes[index]
            case .offset:
                let code = min(symbol, 31)
                return (UInt32(1) << UInt32(code), UInt8(code))
            case .plain:
                return (UInt32(symbol), 0)
            }
        }
    }

    var entries: [ZstdFSEEntry]
    var accuracyLog: Int

    /// Literal-length codes 16...35: (baseline, extra bits).
    static let literalLengthCodes: [(UInt32, UInt8)] = [
        (16, 1), (18, 1), (20, 1), (22, 1), (24, 2), (28, 2), (32, 3), (40, 3), (48, 4), (64, 6),
        (128, 7), (256, 8), (512, 9), (1024, 10), (2048, 11), (4096, 12), (8192, 13), (16384, 14),
        (32768, 15), (65536, 16),
    ]

    /// Match-length codes 32...52: (baseline, extra bits).
    static let matchLengthCodes: [(UInt32, UInt8)] = [
        (35, 1), (37, 1), (39, 1), (41, 1), (43, 2), (47, 2), (51, 3), (59, 3), (67, 4), (83, 4),
        (99, 5), (131, 7), (259, 8), (515, 9), (1027, 10), (2051, 11), (4099, 12), (8195, 13),
        (16387, 14), (32771, 15), (65539, 16),
    ]

    static let predefinedLiteralLengths = ZstdFSETable(kind: .literalLength, accuracyLog: 6, counts: [
        4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1,
        -1, -1, -1, -1,
    ])

    static let predefinedMatchLengths = ZstdFSETable(kind: .matchLength, accuracyLog: 6, counts: [
        1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
    ])

    static let predefinedOffsets = ZstdFSETable(kind: .offset, accuracyLog: 5, counts: [
        1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
    ])

    /// A table whose only symbol is `symbol` (RLE mode): one cell, no bits per state.
    init(kind: Kind, rle symbol: Int) {
        let (base, extra) = kind.baseAndExtraBits(symbol)
        entries = [ZstdFSEEntry(base: base, nextState: 0, nbBits: 0, extraBits: extra)]
        accuracyLog = 0
    }

    /// Builds the decoding table of a normalized distribution (`-1` = "less than 1").
    ///
    /// `counts` must sum (with each −1 counting as 1) to `1 << accuracyLog`, which
    /// ``readDistribution(_:kind:)`` guarantees; the build never indexes out of bounds even when
    /// that does not hold.
    init(kind: Kind, accuracyLog: Int, counts: [Int16]) {
        let size = 1 << accuracyLog
        let mask = size - 1
        var symbols = [UInt8](repeating: 0, count: size)
        var next = [Int](repeating: 0, count: counts.count)
        var high = size - 1
        for (symbol, count) in counts.enumerated() {
            if count == -1 {
                if high >= 0 { symbols[high] = UInt8(truncatingIfNeeded: symbol) }
                high -= 1
                next[symbol] = 1
            } else {
                next[symbol] = Int(max(count, 0))
            }
        }
        // Spread the symbols with the format's step; cells above `high` hold the −1 symbols.
        let step = (size >> 1) + (size >> 3) + 3
        var position = 0
        for (symbol, count) in counts.enumerated() where count > 0 {
            for _ in 0..<Int(count) {
                symbols[position] = UInt8(truncatingIfNeeded: symbol)
                repeat {
                    position = (position + step) & mask
                } while position > high && high >= 0
            }
        }
        var entries = [ZstdFSEEntry](repeating: ZstdFSEEntry(), count: size)
        for state in 0..<size {
            let symbol = Int(symbols[state])
            let nextState = max(next[symbol], 1)
            next[symbol] += 1
            let highBit = Int.bitWidth - 1 - nextState.leadingZeroBitCount
            let nbBits = max(accuracyLog - highBit, 0)
            let (base, extra) = kind.baseAndExtraBits(symbol)
            entries[state] = ZstdFSEEntry(
                base: base,
                nextState: UInt16(truncatingIfNeeded: ((nextState << nbBits) - size) & mask),
                nbBits: UInt8(nbBits),
                extraBits: extra)
        }
        self.entries = entries
        self.accuracyLog = accuracyLog
    }

    /// Reads an `FSE_Table_Description` (RFC 8878 §4.1.1) at the start of `bytes`; returns the
    /// table and the number of bytes it used.
    static func readDistribution(
        _ bytes: ArraySlice<UInt8>,
        kind: Kind
    ) throws(CompressionError) -> (table: ZstdFSETable, size: Int) {
        var bits = ForwardBits(bytes: bytes)
        let accuracyLog = bits.read(4) + 5
        guard accuracyLog <= kind.maxAccuracyLog else {
            throw .malformed("zstd FSE accuracy log \(accuracyLog) exceeds \(kind.maxAccuracyLog)")
        }
        let maxSymbol = kind.maxSymbol
        var counts = [Int16](repeating: 0, count: maxSymbol + 1)
        var remaining = (1 << accuracyLog) + 1
        var threshold = 1 << accuracyLog
        var nbBits = accuracyLog + 1
        var symbol = 0
        var previousZero = false
        while true {
            if previousZero {
                // 2-bit repeat flags: that many more zero-probability symbols; 3 means "and more".
                while true {
                    let repeats = bits.read(2)
                    symbol += repeats
                    guard symbol <= maxSymbol else { throw .malformed("zstd FSE distribution exceeds symbol \(maxSymbol)") }
                    if repeats != 3 { break }
                }
            }
            let max = 2 * threshold - 1 - remaining
            var value: Int
            let peeked = bits.peek(nbBits)
            if peeked & (threshold - 1) < max {
                value = peeked & (threshold - 1)
                bits.skip(nbBits - 1)
            } else {
                value = peeked & (2 * threshold - 1)
                if value >= threshold { value -= max }
                bits.skip(nbBits)
            }
            let count = value - 1
            remaining -= count == -1 ? 1 : count
            counts[symbol] = Int16(truncatingIfNeeded: count)
            symbol += 1
            previousZero = count == 0
            if remaining < threshold {
                if remaining <= 1 { break }
                nbBits = Int.bitWidth - remaining.leadingZeroBitCount
                threshold = 1 << (nbBits - 1)
            }
            if symbol > maxSymbol { break }
        }
        guard remaining == 1 else { throw .malformed("zstd FSE distribution does not fill its table") }
        let size = (bits.position + 7) / 8
        guard size <= bytes.count else { throw .truncated("zstd FSE table description") }
        return (ZstdFSETable(kind: kind, accuracyLog: accuracyLog, counts: counts), size)
    }

    /// Little-endian forward bit reading for table descriptions; bits past the end read as 0
    /// (callers compare `position` with the byte count afterwards).
    struct ForwardBits {
        let bytes: ArraySlice<UInt8>
        var position = 0

        func peek(_ count: Int) -> Int {
            var value = 0
            for bit in 0..<count {
                let p = position + bit
                let index = bytes.startIndex + p >> 3
                if index < bytes.endIndex, bytes[index] >> UInt8(p & 7) & 1 != 0 {
                    value |= 1 << bit
                }
            }
            return value
        }

        mutating func skip(_ count: Int) { position += count }

        mutating func read(_ count: Int) -> Int {
            defer { position += count }
            return peek(count)
        }
    }
}
