/// gzip (RFC 1952) decompression with a complete RFC 1951 inflate: stored, fixed-Huffman and
/// dynamic-Huffman blocks. The optional header fields (FEXTRA, FNAME, FCOMMENT, FHCRC) are
/// parsed and skipped (FHCRC is verified); each member's CRC-32 and ISIZE trailer are
/// verified. Concatenated members are decoded one after another.
/// Thread-safety: stateless; safe from any thread.
public enum GzipDecoder {
    /// Decompresses a gzip stream, producing at most `maxOutputSize` bytes.
    public static func decompress(
        _ bytes: ArraySlice<UInt8>,
        maxOutputSize: Int = CompressionLimits.defaultMaxOutputSize
    ) throws(CompressionError) -> [UInt8] {
        var output: [UInt8] = []
        var i = bytes.startIndex
        repeat {
            i = try decodeMember(bytes, from: i, into: &output, maxOutputSize: maxOutputSize)
        } while i < bytes.endIndex
        return output
    }

    static func decodeMember(
        _ bytes: ArraySlice<UInt8>,
        from start: Int,
        into output: inout [UInt8],
        maxOutputSize: Int
    ) throws(CompressionError) -> Int {
        let end = bytes.endIndex
        var i = start
        guard end - i >= 10 else { throw .truncated("gzip header") }
        guard bytes[i] == 0x1F, bytes[i + 1] == 0x8B else { throw .malformed("bad gzip magic") }
        guard bytes[i + 2] == 8 else { throw .unsupported("gzip compression method \(bytes[i + 2])") }
        let flags = bytes[i + 3]
        guard flags & 0xE0 == 0 else { throw .malformed("gzip reserved flag bits set") }
        i += 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard end - i >= 2 else { throw .truncated("gzip FEXTRA length") }
            let xlen = Int(bytes[i]) | Int(bytes[i + 1]) << 8
            i += 2
            guard xlen <= end - i else { throw .truncated("gzip FEXTRA") }
            i += xlen
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT
            guard let zero = bytes[i...].firstIndex(of: 0) else { throw .truncated("gzip zero-terminated header field") }
            i = zero + 1
        }
        if flags & 0x02 != 0 {  // FHCRC
            guard end - i >= 2 else { throw .truncated("gzip header CRC") }
            let expected = UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
            guard UInt16(truncatingIfNeeded: CRC32IEEE.checksum(bytes[start..<i])) == expected else {
                throw .checksumMismatch("gzip header CRC")
            }
            i += 2
        }
        let memberStart = output.count
        var inflater = Inflater(bytes: bytes, position: i, maxOutputSize: maxOutputSize, windowStart: memberStart)
        try inflater.inflate(into: &output)
        i = inflater.bytePositionAfterAlign()
        guard end - i >= 8 else { throw .truncated("gzip trailer") }
        let crc = XXHash32.read32(bytes, i)
        let isize = XXHash32.read32(bytes, i + 4)
        i += 8
        guard CRC32IEEE.checksum(output[memberStart...]) == crc else { throw .checksumMismatch("gzip CRC-32") }
        guard UInt32(truncatingIfNeeded: output.count - memberStart) == isize else { throw .checksumMismatch("gzip ISIZE") }
        return i
    }
}

/// Canonical Huffman code in the counts/symbols form (as in zlib's puff).
struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int]

    init(lengths: ArraySlice<Int>) throws(CompressionError) {
        symbols = [Int](repeating: 0, count: lengths.count)
        for length in lengths { counts[length] += 1 }
        var left = 1
        for length in 1...15 {
            left <<= 1
            left -= counts[length]
            guard left >= 0 else { throw .malformed("over-subscribed Huffman code") }
        }
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[length]] = symbol
            offsets[length] += 1
        }
    }
}

/// RFC 1951 inflate over a byte slice, LSB-first bit order.
struct Inflater {
    let bytes: ArraySlice<UInt8>
    var position: Int
    var bitBuffer: UInt32 = 0
    var bitCount = 0
    let maxOutputSize: Int
    let windowStart: Int

    init(bytes: ArraySlice<UInt8>, position: Int, maxOutputSize: Int, windowStart: Int) {
        self.bytes = bytes
        self.position = position
        self.maxOutputSize = maxOutputSize
        self.windowStart = windowStart
    }

    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                      2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    mutating func bits(_ n: Int) throws(CompressionError) -> Int {
        while bitCount < n {
            guard position < bytes.endIndex else { throw .truncated("deflate stream") }
            bitBuffer |= UInt32(bytes[position]) << UInt32(bitCount)
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt32(n)) - 1))
        bitBuffer = n == 32 ? 0 : bitBuffer >> UInt32(n)
        bitCount -= n
        return value
    }

    /// Drops the partial byte; returns the index of the next whole byte.
    mutating func bytePositionAfterAlign() -> Int {
        // Whole unused bytes may still sit in the bit buffer.
        let unused = bitCount / 8
        bitBuffer = 0
        bitCount = 0
        position -= unused
        return position
    }

    mutating func decode(_ code: Huffman) throws(CompressionError) -> Int {
        var codeValue = 0
        var first = 0
        var index = 0
        for length in 1...15 {
            codeValue |= try bits(1)
            let count = code.counts[length]
            if codeValue - count < first {
                return code.symbols[index + (codeValue - first)]
            }
            index += count
            first += count
            first <<= 1
            codeValue <<= 1
        }
        throw .malformed("invalid Huffman code")
    }

    mutating func inflate(into output: inout [UInt8]) throws(CompressionError) {
        var final = false
        while !final {
            final = try bits(1) == 1
            switch try bits(2) {
            case 0: try stored(into: &output)
            case 1: try codes(into: &output, lengths: Self.fixedLengths, distances: Self.fixedDistances)
            case 2:
                let (lengths, distances) = try dynamicTables()
                try codes(into: &output, lengths: lengths, distances: distances)
            default: throw .malformed("deflate block type 3")
            }
        }
    }

    mutating func stored(into output: inout [UInt8]) throws(CompressionError) {
        position = bytePositionAfterAlign()
        guard bytes.endIndex - position >= 4 else { throw .truncated("stored block header") }
        let length = Int(bytes[position]) | Int(bytes[position + 1]) << 8
        let complement = Int(bytes[position + 2]) | Int(bytes[position + 3]) << 8
        guard length == complement ^ 0xFFFF else { throw .malformed("stored block length check") }
        position += 4
        guard length <= bytes.endIndex - position else { throw .truncated("stored block") }
        guard length <= maxOutputSize - output.count else { throw .outputLimitExceeded(limit: maxOutputSize) }
        output.append(contentsOf: bytes[position..<(position + length)])
        position += length
    }

    static let fixedLengths: Huffman = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        // Known-valid constant code: cannot throw.
        return (try? Huffman(lengths: lengths[...])) ?? Huffman.empty
    }()

    static let fixedDistances: Huffman = {
        let lengths = [Int](repeating: 5, count: 30)
        return (try? Huffman(lengths: lengths[...])) ?? Huffman.empty
    }()

    mutating func dynamicTables() throws(CompressionError) -> (Huffman, Huffman) {
        let nlen = try bits(5) + 257
        let ndist = try bits(5) + 1
        let ncode = try bits(4) + 4
        guard nlen <= 286, ndist <= 30 else { throw .malformed("too many deflate length or distance codes") }
        var codeLengths = [Int](repeating: 0, count: 19)
        for index in 0..<ncode { codeLengths[Self.codeLengthOrder[index]] = try bits(3) }
        let codeLengthCode = try Huffman(lengths: codeLengths[...])
        var lengths = [Int](repeating: 0, count: nlen + ndist)
        var index = 0
        while index < nlen + ndist {
            let symbol = try decode(codeLengthCode)
            if symbol < 16 {
                lengths[index] = symbol
                index += 1
                continue
            }
            var value = 0
            let repeatCount: Int
            switch symbol {
            case 16:
                guard index > 0 else { throw .malformed("deflate repeat with no previous length") }
                value = lengths[index - 1]
                repeatCount = 3 + (try bits(2))
            case 17: repeatCount = 3 + (try bits(3))
            default: repeatCount = 11 + (try bits(7))
            }
            guard index + repeatCount <= nlen + ndist else { throw .malformed("deflate code lengths overflow") }
            for _ in 0..<repeatCount {
                lengths[index] = value
                index += 1
            }
        }
        guard lengths[256] != 0 else { throw .malformed("deflate code has no end-of-block symbol") }
        return (try Huffman(lengths: lengths[0..<nlen]), try Huffman(lengths: lengths[nlen...]))
    }

    mutating func codes(into output: inout [UInt8], lengths: Huffman, distances: Huffman) throws(CompressionError) {
        while true {
            let symbol = try decode(lengths)
            if symbol < 256 {
                guard output.count < maxOutputSize else { throw .outputLimitExceeded(limit: maxOutputSize) }
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let lengthIndex = symbol - 257
                guard lengthIndex < 29 else { throw .malformed("invalid deflate length symbol \(symbol)") }
                let length = Self.lengthBase[lengthIndex] + (try bits(Self.lengthExtra[lengthIndex]))
                let distanceSymbol = try decode(distances)
                guard distanceSymbol < 30 else { throw .malformed("invalid deflate distance symbol \(distanceSymbol)") }
                let distance = Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
                guard distance <= output.count - windowStart else {
                    throw .malformed("deflate distance \(distance) beyond the \(output.count - windowStart) bytes produced")
                }
                guard length <= maxOutputSize - output.count else { throw .outputLimitExceeded(limit: maxOutputSize) }
                var from = output.count - distance
                for _ in 0..<length {
                    output.append(output[from])
                    from += 1
                }
            }
        }
    }
}

extension Huffman {
    static var empty: Huffman {
        var code = Huffman(uncheckedSymbols: [])
        code.counts = [Int](repeating: 0, count: 16)
        return code
    }

    init(uncheckedSymbols: [Int]) { symbols = uncheckedSymbols }
}
