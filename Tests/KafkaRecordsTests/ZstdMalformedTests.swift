@testable import KafkaRecords
import Testing

/// Hand-made zstd frames: the smallest inputs that reach each check of the decoder (RFC 8878
/// layouts spelled out next to each byte), plus small edits of golden vectors.
@Suite struct ZstdMalformedTests {
    static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    /// A frame with a 1 KiB window, no content size and no checksum around `blocks`.
    static func frame(_ blocks: [UInt8]) -> [UInt8] { magic + [0x00, 0x00] + blocks }

    /// A block header (3 bytes, little-endian: last flag, type, size) and its content.
    static func block(_ type: Int, _ content: [UInt8], size: Int? = nil, last: Bool = true) -> [UInt8] {
        let header = (size ?? content.count) << 3 | type << 1 | (last ? 1 : 0)
        return [UInt8(header & 0xFF), UInt8(header >> 8 & 0xFF), UInt8(header >> 16)] + content
    }

    /// Raw literals "a", then one sequence with every table in RLE mode: literal-length code 1
    /// (1 literal), offset code `offsetCode`, match-length code 0 (3 bytes). The bitstream
    /// holds only the offset's extra bits (`offsetBits` of them, value `extra`) under the end
    /// marker.
    static func rleSequenceBlock(offsetCode: UInt8, offsetBits: Int, extra: Int) -> [UInt8] {
        let stream = extra | 1 << offsetBits
        let streamBytes = offsetBits < 8 ? [UInt8(stream)] : [UInt8(stream & 0xFF), UInt8(stream >> 8)]
        return block(2, [0x08, 0x61, 0x01, 0x54, 0x01, offsetCode, 0x00] + streamBytes)
    }

    static func decode(_ bytes: [UInt8]) throws(CompressionError) -> [UInt8] {
        try ZstdDecoder.decompress(bytes[...])
    }

    static func isMalformed(_ bytes: [UInt8], _ fragment: String? = nil) -> Bool {
        do {
            _ = try decode(bytes)
            return false
        } catch {
            guard case let .malformed(reason) = error else { return false }
            return fragment.map { reason.contains($0) } ?? true
        }
    }

    @Test func rleSequencesAndTheOffsetChecks() throws {
        // Offset code 2 (value 4 + 2 extra bits, minus 3): extra 0 is offset 1 → "a" + "aaa".
        #expect(try Self.decode(Self.frame(Self.rleSequenceBlock(offsetCode: 2, offsetBits: 2, extra: 0))) == Array("aaaa".utf8))
        // Extra 1 is offset 2, but only 1 byte exists.
        #expect(Self.isMalformed(Self.frame(Self.rleSequenceBlock(offsetCode: 2, offsetBits: 2, extra: 1)), "offset 2"))
        // After 2000 bytes of RLE blocks, offset code 10 (value 1024 + extra − 3) may reach
        // back exactly the 1 KiB window (extra 3) but not one byte further (extra 4).
        let prefix = Self.block(1, [0x62], size: 1000, last: false) + Self.block(1, [0x63], size: 1000, last: false)
        let inWindow = try Self.decode(Self.frame(prefix + Self.rleSequenceBlock(offsetCode: 10, offsetBits: 10, extra: 3)))
        #expect(inWindow == [UInt8](repeating: 0x62, count: 1000) + [UInt8](repeating: 0x63, count: 1000) + Array("abbb".utf8))
        #expect(Self.isMalformed(Self.frame(prefix + Self.rleSequenceBlock(offsetCode: 10, offsetBits: 10, extra: 4)), "offset 1025"))
        // An RLE offset code above 31 is refused.
        #expect(Self.isMalformed(Self.frame(Self.rleSequenceBlock(offsetCode: 32, offsetBits: 2, extra: 0))))
        // Sequences needing more literals than the block has.
        #expect(Self.isMalformed(Self.frame(Self.block(2, [0x00, 0x01, 0x54, 0x01, 0x02, 0x00, 0x04])), "literals"))
    }

    @Test func repeatOffsetsStartAt1_4_8() throws {
        // Offset code 0 (value 1) with 1 literal is repeat offset 1: "a" + "aaa".
        #expect(try Self.decode(Self.frame(Self.block(2, [0x08, 0x61, 0x01, 0x54, 0x01, 0x00, 0x00, 0x01]))) == Array("aaaa".utf8))
        // With 0 literals (LL code 0), value 1 means repeat offset 2 = 4: needs 4 bytes before it.
        let fourBytes = Self.block(0, Array("abcd".utf8), last: false)
        let repeat2 = Self.block(2, [0x00, 0x01, 0x54, 0x00, 0x00, 0x00, 0x01])
        #expect(try Self.decode(Self.frame(fourBytes + repeat2)) == Array("abcdabc".utf8))
        #expect(Self.isMalformed(Self.frame(Self.block(0, Array("abc".utf8), last: false) + repeat2), "offset 4"))
    }

    @Test func structuralErrorsAreMalformed() {
        // Reserved bit 3 of the frame header descriptor.
        #expect(Self.isMalformed(Self.magic + [0x08, 0x00] + Self.block(0, [])))
        // Reserved block type 3.
        #expect(Self.isMalformed(Self.frame(Self.block(3, [])), "reserved block type"))
        // Treeless literals (type 3, one stream, 1 byte from 1 byte) in a frame's first block.
        let treeless: [UInt8] = [0x13, 0x40, 0x00, 0x80, 0x00]
        #expect(Self.isMalformed(Self.frame(Self.block(2, treeless)), "treeless"))
        // Repeat mode for all three tables in a frame's first block.
        #expect(Self.isMalformed(Self.frame(Self.block(2, [0x08, 0x61, 0x01, 0xFC, 0x80])), "repeat mode"))
        // Reserved bits of the symbol compression modes.
        #expect(Self.isMalformed(Self.frame(Self.block(2, [0x08, 0x61, 0x01, 0x55, 0x01, 0x02, 0x00, 0x04])), "reserved"))
        // Data after "0 sequences".
        #expect(Self.isMalformed(Self.frame(Self.block(2, [0x08, 0x61, 0x00, 0x00])), "after an empty sequences"))
        // A bitstream whose last byte has no end marker.
        #expect(Self.isMalformed(Self.frame(Self.block(2, [0x08, 0x61, 0x01, 0x54, 0x01, 0x02, 0x00, 0x00])), "end marker"))
        // Raw and RLE blocks larger than the 1 KiB window.
        #expect(Self.isMalformed(Self.frame(Self.block(0, [UInt8](repeating: 0, count: 1025)))))
        #expect(Self.isMalformed(Self.frame(Self.block(1, [0], size: 1025))))
        // Raw literals larger than the block maximum (20-bit size 2000 > 1 KiB window).
        #expect(Self.isMalformed(Self.frame(Self.block(2, [0x0C, 0x7D, 0x00])), "maximum block size"))
        // Huffman literals (1 stream, 2 from 2 bytes) whose 2 direct weights are both 0 (no symbol).
        #expect(Self.isMalformed(Self.frame(Self.block(2, [0x22, 0x80, 0x00, 0x81, 0x00, 0x00])), "without symbols"))
        // Not a zstd frame, and garbage after a valid one.
        #expect(Self.isMalformed([0x28, 0xB5, 0x2F, 0xFE, 0, 0]))
        #expect(Self.isMalformed(Self.frame(Self.block(0, [1])) + [1, 2, 3, 4], "magic"))
    }

    @Test func truncatedInputsThrowTruncated() throws {
        #expect(throws: CompressionError.truncated("zstd frame magic")) { try Self.decode([]) }
        #expect(throws: CompressionError.truncated("zstd frame magic")) { try Self.decode(Self.frame(Self.block(0, [1])) + [0x28]) }
        #expect(throws: CompressionError.truncated("zstd frame header")) { try Self.decode(Self.magic + [0xC0, 0, 0]) }
        #expect(throws: CompressionError.truncated("zstd skippable frame")) { try Self.decode([0x50, 0x2A, 0x4D, 0x18, 9, 0, 0, 0, 1]) }
        // A skippable frame alone is a valid, empty stream.
        #expect(try Self.decode([0x5E, 0x2A, 0x4D, 0x18, 1, 0, 0, 0, 1]) == [])
    }

    @Test func checksumAndContentSizeMismatchesAreDetected() throws {
        func vector(_ name: String) -> [UInt8] { hex(ZstdVectors.golden.first { $0.name == name }?.hex ?? "") }
        var checksummed = vector("zstd-19-short-checksum")
        checksummed[checksummed.count - 1] ^= 0x01
        #expect(throws: CompressionError.checksumMismatch("zstd content checksum")) { try Self.decode(checksummed) }
        // zstd-1-short declares 12 bytes (single segment, 1-byte size at index 5); claim 13.
        var sized = vector("zstd-1-short")
        #expect(sized[5] == 12)
        sized[5] = 13
        #expect(throws: CompressionError.checksumMismatch("zstd frame content size 13 but decoded 12")) { try Self.decode(sized) }
        // Claiming 11 makes the window (= content size) smaller than the 12-byte block.
        sized[5] = 11
        #expect(Self.isMalformed(sized, "exceeds"))
    }

    @Test func contentSizeBeyondTheCapIsRefusedUpFront() throws {
        // Single segment, 8-byte content size of 2^62, then nothing: refused before any block.
        let frame = Self.magic + [0xE0] + [0, 0, 0, 0, 0, 0, 0, 0x40]
        #expect(throws: CompressionError.outputLimitExceeded(limit: CompressionLimits.defaultMaxOutputSize)) {
            try Self.decode(frame)
        }
        // A huge window is fine by itself (it only bounds offsets): 2^41 + mantissa.
        #expect(try Self.decode(Self.magic + [0x00, 0xFF] + Self.block(0, [7])) == [7])
    }
}
