@testable import KafkaRecords
import Testing

/// Golden vectors for the pure-Swift zstd decoder, produced with Python's zstandard 0.25
/// (libzstd 1.5.7): `ZstdCompressor(level=1/3/19, write_checksum=..., write_content_size=...)`,
/// `.compress(data)` or, for the "-stream" vectors, `compressobj()` (no content size, so a
/// window descriptor). Header variants (`fcs8`, `fcs4-window`, `fcs2-window`, `window-mantissa`,
/// `dictid*`) keep the blocks and checksum of a libzstd frame under a re-encoded frame header;
/// skippable frames and concatenation are assembled by hand; the batch comes from kafka-python's
/// `DefaultRecordBatchBuilder(compression_type=4)`. The generator used the same deterministic
/// payload functions as below (SplitMix64 from TestSupport), so payloads are regenerated here.
@Suite struct ZstdTests {
    static let vocabulary = ("espresso latte barista order ticket topic partition offset broker consumer producer "
        + "record batch kafka queue steam milk foam cup grinder bean roast shot pour crema "
        + "mocha cortado ristretto leader replica commit group fetch produce segment index log "
        + "swift frame window literal sequence huffman entropy table").split(separator: " ").map { Array($0.utf8) }

    /// Words from the vocabulary with occasional punctuation and newlines.
    static func words(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out: [UInt8] = []
        while out.count < count {
            out += vocabulary[Int(rng.next() % UInt64(vocabulary.count))]
            switch rng.next() % 16 {
            case 0: out += Array(". ".utf8)
            case 1: out += Array(", ".utf8)
            case 2: out.append(10)
            default: out.append(32)
            }
        }
        return Array(out.prefix(count))
    }

    /// 1 MiB: 512 KiB of chunks of a 32 KiB word text, then the same 512 KiB with one byte
    /// changed per 4 KiB (so matches reach back about 512 KiB).
    static let text1m: [UInt8] = {
        var rng = SplitMix64(seed: 99)
        let base = words(32768, seed: 1)
        let half = 1 << 19
        var first: [UInt8] = []
        first.reserveCapacity(half + 2048)
        while first.count < half {
            let r = rng.next()
            let start = Int(r % UInt64(base.count - 2048))
            let length = 256 + Int((r >> 20) % 1793)
            first += base[start..<(start + length)]
        }
        first.removeLast(first.count - half)
        var second = first
        for index in stride(from: 0, to: half, by: 4096) {
            let position = index + Int(rng.next() % 4096)
            second[position] = UInt8(65 + rng.next() % 26)
        }
        return first + second
    }()

    /// Bytes 0...15, skewed towards small values: few symbols, so direct Huffman weights.
    static func nibbles(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let a = rng.next() % 16
            let b = rng.next() % 16
            return UInt8(min(a, b))
        }
    }

    /// Runs of "x" between two 16-letter tokens: at level 19 some blocks' literals are all "x" (RLE).
    static func xruns(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let tokens = (0..<2).map { _ in (0..<16).map { _ in UInt8(97 + rng.next() % 26) } }
        var out: [UInt8] = []
        while out.count < count {
            out += [UInt8](repeating: 0x78, count: 1 + Int(rng.next() % 400))
            out += tokens[Int(rng.next() % 2)]
        }
        return Array(out.prefix(count))
    }

    static func payload(_ name: String) -> [UInt8] {
        switch name {
        case "empty": return []
        case "short": return Array("hello, kafka".utf8)
        case "repetitive": return CompressionTests.repetitive(100_000)
        case "random": return CompressionTests.pseudo(3000, seed: 42)
        case "short+random": return payload("short") + payload("random")
        case "words": return words(30_000, seed: 7)
        case "text1m": return text1m
        case "nibbles": return nibbles(4000, seed: 3)
        case "zeros": return [UInt8](repeating: 0, count: 300_000)
        case "xruns": return xruns(200_000, seed: 6)
        default: fatalError("unknown payload \(name)")
        }
    }

    /// Vectors whose every frame carries a content checksum (a flipped bit cannot go unnoticed).
    static func isChecksummed(_ name: String) -> Bool {
        name.contains("checksum") || name.contains("-window") || name.contains("dictid") || name.contains("fcs8")
            || name == "zstd-skippable"
    }

    /// Truncating these at a frame boundary legitimately yields a shorter valid stream.
    static func mayTruncateCleanly(_ name: String) -> Bool {
        name == "zstd-concatenated" || name == "zstd-skippable"
    }

    static func isLarge(_ bytes: [UInt8], _ expected: [UInt8]) -> Bool {
        bytes.count > 600 || expected.count > 5000
    }

    @Test func xxHash64MatchesKnownValues() {
        #expect(XXHash64.hash([][...]) == 0xEF46_DB37_51D8_E999)
        #expect(XXHash64.hash(Array("a".utf8)[...]) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXHash64.hash(Array("abc".utf8)[...]) == 0x44BC_2CF5_AD77_0999)
        #expect(XXHash64.hash(Array("123456789".utf8)[...]) == 0x8CB8_41DB_40E6_AE83)
        #expect(XXHash64.hash((0..<100).map { UInt8($0) }[...]) == 0x6AC1_E580_3216_6597)
        #expect(XXHash64.hash(Array("abc".utf8)[...], seed: 1) == 0xBEA9_CA81_9932_8908)
        // A slice not starting at index 0 hashes its own bytes.
        let shifted = ([0xFF] + Array("abc".utf8))[1...]
        #expect(XXHash64.hash(shifted) == 0x44BC_2CF5_AD77_0999)
    }

    @Test func goldenVectorsDecompress() throws {
        #expect(ZstdVectors.golden.count >= 25)
        for vector in ZstdVectors.golden {
            let bytes = hex(vector.hex)
            let expected = Self.payload(vector.payload)
            let output = try ZstdDecoder.decompress(bytes[...])
            #expect(output == expected, "\(vector.name)")
            // Decoding from a slice that does not start at index 0 works too.
            let shifted = ([0xAA, 0xBB] + bytes + [0xCC])[2..<(bytes.count + 2)]
            #expect(try ZstdDecoder.decompress(shifted) == expected, "\(vector.name) (shifted slice)")
        }
    }

    @Test func goldenVectorsCoverEveryFeature() {
        var features: Set<String> = []
        for vector in ZstdVectors.golden { features.formUnion(ZstdCensus.features(hex(vector.hex))) }
        let expected: Set<String> = [
            "skippable", "single-segment", "window-descriptor", "window-mantissa", "checksum", "dictionary-id-field",
            "fcs0", "fcs1", "fcs2", "fcs4", "fcs8",
            "raw-block", "rle-block", "compressed-block",
            "lit-raw", "lit-rle", "lit-huffman", "lit-treeless", "1-stream", "4-streams", "weights-fse", "weights-direct",
            "no-sequences", "LL-predefined", "LL-rle", "LL-fse", "LL-repeat", "OF-predefined", "OF-rle", "OF-fse",
            "OF-repeat", "ML-predefined", "ML-rle", "ML-fse", "ML-repeat",
        ]
        #expect(expected.subtracting(features).isEmpty, "not covered: \(expected.subtracting(features).sorted())")
    }

    @Test func truncationsThrowAndNeverCrash() {
        for vector in ZstdVectors.golden {
            let bytes = hex(vector.hex)
            let step = Self.isLarge(bytes, Self.payload(vector.payload)) ? max(1, bytes.count / 25) : 1
            for length in stride(from: 0, to: bytes.count, by: step) {
                let result = Result { () throws(CompressionError) in try ZstdDecoder.decompress(bytes[0..<length]) }
                if case .success = result, !Self.mayTruncateCleanly(vector.name) {
                    Issue.record("\(vector.name) truncated to \(length) bytes decoded without error")
                }
            }
        }
    }

    @Test func bitFlipsNeverCrashAndChecksumsCatchThem() {
        for vector in ZstdVectors.golden {
            let bytes = hex(vector.hex)
            let expected = Self.payload(vector.payload)
            // Every bit of small vectors; a sample (one bit per sampled byte) of large ones.
            let large = Self.isLarge(bytes, expected)
            let step = large ? max(1, bytes.count / (expected.count > 200_000 ? 12 : 40)) : 1
            for index in stride(from: 0, to: bytes.count, by: step) {
                for bit in large ? [index % 8] : Array(0..<8) {
                    var flipped = bytes
                    flipped[index] ^= UInt8(1 << bit)
                    let result = Result { () throws(CompressionError) in try ZstdDecoder.decompress(flipped[...]) }
                    if case let .success(output) = result, Self.isChecksummed(vector.name), output != expected {
                        Issue.record("\(vector.name): flipping bit \(bit) of byte \(index) went undetected")
                    }
                }
            }
        }
    }

    @Test func garbageNeverCrashes() {
        var rng = SplitMix64(seed: 11)
        let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
        // A 1 KiB-window frame header, then a compressed last block of the garbage's size.
        func compressedBlock(_ body: [UInt8]) -> [UInt8] {
            let header = body.count << 3 | 2 << 1 | 1
            return magic + [0x00, 0x00, UInt8(header & 0xFF), UInt8(header >> 8 & 0xFF), UInt8(header >> 16)] + body
        }
        for round in 0..<400 {
            let count = Int(rng.next() % 300)
            var bytes = rng.bytes(count)
            _ = try? ZstdDecoder.decompress(bytes[...], maxOutputSize: 1 << 20)
            _ = try? ZstdDecoder.decompress((magic + bytes)[...], maxOutputSize: 1 << 20)
            // Steer the literals and sequences headers towards the interesting types.
            if !bytes.isEmpty { bytes[0] = bytes[0] & 0xF0 | UInt8(round % 4) | UInt8(round / 4 % 4) << 2 }
            _ = try? ZstdDecoder.decompress(compressedBlock(bytes)[...], maxOutputSize: 1 << 20)
        }
        // Mutating golden vectors (bytes set, bits flipped, ranges deleted, duplicated or
        // inserted) reaches the entropy decoders and sequence execution with broken data.
        let vectors = ZstdVectors.golden.map { hex($0.hex) }.filter { $0.count < 20_000 }
        for _ in 0..<3000 {
            var bytes = vectors[Int(rng.next() % UInt64(vectors.count))]
            for _ in 0..<(1 + rng.next() % 4) where !bytes.isEmpty {
                let index = Int(rng.next() % UInt64(bytes.count))
                let length = min(bytes.count - index, 1 + Int(rng.next() % 16))
                switch rng.next() % 5 {
                case 0: bytes[index] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes[index] ^= UInt8(1 << (rng.next() % 8))
                case 2: bytes.removeSubrange(index..<(index + length))
                case 3: bytes.insert(contentsOf: Array(bytes[index..<(index + length)]), at: index)
                default: bytes.insert(contentsOf: rng.bytes(length), at: index)
                }
            }
            _ = try? ZstdDecoder.decompress(bytes[...], maxOutputSize: 4 << 20)
        }
    }

    @Test func decompressionBombsHitTheCap() throws {
        for bomb in ZstdVectors.bombs {
            let bytes = hex(bomb.hex)
            #expect(throws: CompressionError.outputLimitExceeded(limit: 1 << 20), "\(bomb.name)") {
                try ZstdDecoder.decompress(bytes[...], maxOutputSize: 1 << 20)
            }
            #expect(try ZstdDecoder.decompress(bytes[...], maxOutputSize: 4 << 20) == [UInt8](repeating: 0, count: 2 << 20))
        }
        // 513 RLE blocks of 128 KiB (4 bytes each) run into the default 64 MiB cap.
        var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x38]
        for index in 0..<513 {
            let header = (128 << 10) << 3 | 1 << 1 | (index == 512 ? 1 : 0)
            frame += [UInt8(header & 0xFF), UInt8(header >> 8 & 0xFF), UInt8(header >> 16), 0x7A]
        }
        #expect(throws: CompressionError.outputLimitExceeded(limit: CompressionLimits.defaultMaxOutputSize)) {
            try ZstdDecoder.decompress(frame[...])
        }
        // The cap counts every frame of a concatenation.
        let concatenated = hex(ZstdVectors.golden.first { $0.name == "zstd-concatenated" }?.hex ?? "")
        #expect(throws: CompressionError.outputLimitExceeded(limit: 2000)) {
            try ZstdDecoder.decompress(concatenated[...], maxOutputSize: 2000)
        }
    }

    @Test func dictionariesAreRefusedClearly() {
        let bytes = hex(ZstdVectors.dictionaryFrame)
        do {
            _ = try ZstdDecoder.decompress(bytes[...])
            Issue.record("a frame needing a dictionary decoded")
        } catch {
            guard case let .unsupported(reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(reason.contains("dictionaries unsupported") && reason.contains("\(0x0102_0304)"))
        }
    }

    @Test func zstdRecordBatchFromKafkaPythonDecodes() throws {
        let bytes = hex(ZstdVectors.kafkaPythonBatch)
        let header = try RecordBatchHeader.validate(bytes)
        #expect(header.compression == .zstd)
        let records = try RecordBatchRecords.decode(bytes)
        #expect(records.map(\.offset) == [0, 1, 2])
        #expect(records.map(\.timestamp) == [1_700_000_000_000, 1_700_000_000_005, 1_700_000_000_009])
        #expect(records.map(\.key) == [Array("k0".utf8), nil, Array("k2".utf8)])
        #expect(records.map(\.value) == [Array("first value".utf8), CompressionTests.repetitive(5000), nil])
        #expect(records[1].headers == [RecordHeader(key: "h", value: [0x76])])
        #expect(records[0].headers.isEmpty && records[2].headers.isEmpty)
        // The cap applies to batches too.
        #expect(isMalformedRecord(caught { try RecordBatchRecords.decode(bytes, maxDecompressedSize: 100) }))
    }

    @Test func assembledZstdBatchDecodes() throws {
        var builder = RecordBatchBuilder()
        builder.append(RecordInput(value: [1], timestamp: 10))
        builder.append(RecordInput(value: [2], timestamp: 20))
        // A hand-made frame: single segment, 1-byte content size, one raw last block.
        let plain = builder.encodedRecords
        precondition(plain.count < 256)
        let blockHeader = plain.count << 3 | 1
        let zstd: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x20, UInt8(plain.count),
                             UInt8(blockHeader & 0xFF), UInt8(blockHeader >> 8), 0] + plain
        func assemble(_ records: [UInt8]) -> [UInt8] {
            RecordBatchBuilder.assemble(attributes: CompressionCodec.zstd.rawValue, lastOffsetDelta: 1,
                                        baseTimestamp: 10, maxTimestamp: 20, producerId: -1, producerEpoch: -1,
                                        baseSequence: -1, recordCount: 2, records: records)
        }
        #expect(try RecordBatchRecords.decode(assemble(zstd)).map(\.value) == [[1], [2]])
        // Corrupt compressed data surfaces as malformedRecord, never a crash.
        var corrupt = zstd
        corrupt[5] = 0xFF  // content size no longer matches
        #expect(isMalformedRecord(caught { try RecordBatchRecords.decode(assemble(corrupt)) }))
    }
}
