/// Snappy decompression: the raw block format, and the xerial framing Kafka's Java client
/// uses (magic `82 53 4E 41 50 50 59 00`, two big-endian INT32 versions, then repeated
/// big-endian INT32 length + raw snappy block).
/// Thread-safety: stateless; safe from any thread.
public enum SnappyDecoder {
    static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]
    static let xerialHeaderSize = 16

    /// Decompresses raw or xerial-framed snappy, producing at most `maxOutputSize` bytes.
    public static func decompress(
        _ bytes: ArraySlice<UInt8>,
        maxOutputSize: Int = CompressionLimits.defaultMaxOutputSize
    ) throws(CompressionError) -> [UInt8] {
        if bytes.count >= xerialMagic.count, bytes.prefix(xerialMagic.count).elementsEqual(xerialMagic) {
            return try decompressXerial(bytes, maxOutputSize: maxOutputSize)
        }
        var output: [UInt8] = []
        try decompressBlock(bytes, into: &output, maxOutputSize: maxOutputSize)
        return output
    }

    static func decompressXerial(_ bytes: ArraySlice<UInt8>, maxOutputSize: Int) throws(CompressionError) -> [UInt8] {
        guard bytes.count >= xerialHeaderSize else {
            throw .truncated("xerial snappy header needs \(xerialHeaderSize) bytes, got \(bytes.count)")
        }
        var i = bytes.startIndex + xerialHeaderSize
        var output: [UInt8] = []
        while i < bytes.endIndex {
            guard bytes.endIndex - i >= 4 else { throw .truncated("xerial block length") }
            let length = Int(UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3]))
            i += 4
            guard length <= bytes.endIndex - i else {
                throw .truncated("xerial block of \(length) bytes, \(bytes.endIndex - i) left")
            }
            try decompressBlock(bytes[i..<(i + length)], into: &output, maxOutputSize: maxOutputSize)
            i += length
        }
        return output
    }

    /// Decodes one raw snappy block, appending to `output` (back-references stay inside this block).
    static func decompressBlock(
        _ bytes: ArraySlice<UInt8>,
        into output: inout [UInt8],
        maxOutputSize: Int
    ) throws(CompressionError) {
        var i = bytes.startIndex
        let end = bytes.endIndex
        // Preamble: uncompressed length as a little-endian base-128 varint (≤ 32 bits).
        var declared = 0
        var shift = 0
        while true {
            guard i < end else { throw .truncated("snappy length preamble") }
            let byte = bytes[i]
            i += 1
            guard shift <= 28 else { throw .malformed("snappy length preamble too long") }
            declared |= Int(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard declared <= UInt32.max else { throw .malformed("snappy length \(declared) exceeds 32 bits") }
        let base = output.count
        guard declared <= maxOutputSize - base else { throw .outputLimitExceeded(limit: maxOutputSize) }
        let target = base + declared
        output.reserveCapacity(target)

        while i < end {
            let tag = bytes[i]
            i += 1
            switch tag & 0x03 {
            case 0:  // literal
                var length = Int(tag >> 2)
                if length >= 60 {
                    let extra = length - 59
                    guard end - i >= extra else { throw .truncated("snappy literal length") }
                    length = 0
                    for k in 0..<extra { length |= Int(bytes[i + k]) << (8 * k) }
                    i += extra
                }
                length += 1
                guard length <= end - i else { throw .truncated("snappy literal of \(length) bytes, \(end - i) left") }
                guard length <= target - output.count else { throw .malformed("snappy output exceeds declared length \(declared)") }
                output.append(contentsOf: bytes[i..<(i + length)])
                i += length
            default:
                let length: Int
                let offset: Int
                switch tag & 0x03 {
                case 1:
                    guard end - i >= 1 else { throw .truncated("snappy copy offset") }
                    length = 4 + Int((tag >> 2) & 0x07)
                    offset = Int(tag >> 5) << 8 | Int(bytes[i])
                    i += 1
                case 2:
                    guard end - i >= 2 else { throw .truncated("snappy copy offset") }
                    length = 1 + Int(tag >> 2)
                    offset = Int(bytes[i]) | Int(bytes[i + 1]) << 8
                    i += 2
                default:
                    guard end - i >= 4 else { throw .truncated("snappy copy offset") }
                    length = 1 + Int(tag >> 2)
                    offset = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
                    i += 4
                }
                guard offset > 0, offset <= output.count - base else {
                    throw .malformed("snappy copy offset \(offset) outside the \(output.count - base) bytes produced")
                }
                guard length <= target - output.count else { throw .malformed("snappy output exceeds declared length \(declared)") }
                var from = output.count - offset
                for _ in 0..<length {
                    output.append(output[from])
                    from += 1
                }
            }
        }
        guard output.count == target else {
            throw .truncated("snappy block produced \(output.count - base) of \(declared) declared bytes")
        }
    }
}
