@testable import KafkaRecords
import Testing

/// Golden vectors for the pure-Swift decompressors, produced with Python's reference codecs
/// (python-snappy `snappy.compress`, xerial framing assembled by hand around raw blocks of
/// 32 KiB input, `lz4.frame.compress` with default and with block+content checksums,
/// `gzip.compress`/`gzip.GzipFile(filename=...)`, zlib raw deflate for hand-built headers,
/// and kafka-python's `DefaultRecordBatchBuilder` for whole batches). Payloads are regenerated
/// here with the same deterministic functions the generator used.
@Suite struct CompressionTests {
    static let text = Array("The quick brown coffee jumps over the lazy kafka. ".utf8)

    static func repetitive(_ n: Int) -> [UInt8] {
        var out = (0..<n).map { text[$0 % text.count] }
        for i in stride(from: 0, to: n, by: 1000) { out[i] = UInt8((i / 1000) % 256) }
        return out
    }

    static func pseudo(_ n: Int, seed: UInt64) -> [UInt8] {
        var x = seed
        var out: [UInt8] = []
        for _ in 0..<n {
            x = (x &* 1_103_515_245 &+ 12345) % (1 << 31)
            out.append(UInt8((x >> 16) & 0xFF))
        }
        return out
    }

    static func payload(_ name: String) -> [UInt8] {
        switch name {
        case "empty": return []
        case "short": return Array("hello, kafka".utf8)
        case "repetitive": return repetitive(100_000)
        case "random": return pseudo(3000, seed: 42)
        case "short+random": return payload("short") + payload("random")
        default: fatalError("unknown payload \(name)")
        }
    }

    static func decompress(_ codec: String, _ bytes: ArraySlice<UInt8>,
                           max: Int = CompressionLimits.defaultMaxOutputSize) throws(CompressionError) -> [UInt8] {
        switch codec {
        case "gzip": return try GzipDecoder.decompress(bytes, maxOutputSize: max)
        case "snappy": return try SnappyDecoder.decompress(bytes, maxOutputSize: max)
        default: return try LZ4FrameDecoder.decompress(bytes, maxOutputSize: max)
        }
    }

    /// Formats whose every byte is covered by a checksum or a structural check of the output.
    static func isChecksummed(_ name: String) -> Bool {
        name.hasPrefix("gzip") || name.hasPrefix("lz4-checksums") || name.hasPrefix("lz4-independent")
    }

    /// Truncating these at a block/member boundary legitimately yields a shorter valid stream.
    static func mayTruncateCleanly(_ name: String) -> Bool {
        name.hasPrefix("snappy-xerial") || name == "gzip-concatenated"
    }

    @Test func checksumsMatchKnownValues() {
        #expect(CRC32IEEE.checksum(Array("123456789".utf8)[...]) == 0xCBF4_3926)
        #expect(XXHash32.hash([][...]) == 0x02CC_5D05)
        #expect(XXHash32.hash(Array("123456789".utf8)[...]) == 0x937B_AD67)
    }

    @Test func goldenVectorsDecompress() throws {
        #expect(CompressionVectors.golden.count >= 30)
        for vector in CompressionVectors.golden {
            let bytes = hex(vector.hex)
            let expected = Self.payload(vector.payload)
            let output = try Self.decompress(vector.codec, bytes[...])
            #expect(output == expected, "\(vector.name)")
            // Decoding from a slice that does not start at index 0 works too.
            let shifted = ([0xAA, 0xBB] + bytes + [0xCC])[2..<(bytes.count + 2)]
            #expect(try Self.decompress(vector.codec, shifted) == expected, "\(vector.name) (shifted slice)")
        }
    }

    @Test func lz4RandomVectorHasAnUncompressedBlock() {
        let bytes = hex(CompressionVectors.golden.first { $0.name == "lz4-random" }!.hex)
        let headerSize = 4 + 2 + (bytes[4] & 0x08 != 0 ? 8 : 0) + 1
        #expect(bytes[headerSize + 3] & 0x80 != 0)
    }

    @Test func truncationsThrowAndNeverCrash() {
        for vector in CompressionVectors.golden {
            let bytes = hex(vector.hex)
            let step = bytes.count <= 800 && Self.payload(vector.payload).count <= 5000 ? 1 : max(1, bytes.count / 60)
            for length in stride(from: 0, to: bytes.count, by: step) {
                let result = Result { () throws(CompressionError) in try Self.decompress(vector.codec, bytes[0..<length]) }
                if case .success = result, !Self.mayTruncateCleanly(vector.name) {
                    Issue.record("\(vector.name) truncated to \(length) bytes decoded without error")
                }
            }
        }
    }

    @Test func bitFlipsNeverCrashAndChecksumsCatchThem() {
        for vector in CompressionVectors.golden {
            let bytes = hex(vector.hex)
            let expected = Self.payload(vector.payload)
            // Every bit of small vectors; a sample (one bit per sampled byte) of large ones.
            let small = bytes.count <= 600 && expected.count <= 5000
            let step = small ? 1 : max(1, bytes.count / 40)
            for index in stride(from: 0, to: bytes.count, by: step) {
                for bit in small ? Array(0..<8) : [index % 8] {
                    var flipped = bytes
                    flipped[index] ^= UInt8(1 << bit)
                    let result = Result { () throws(CompressionError) in try Self.decompress(vector.codec, flipped[...]) }
                    if case let .success(output) = result, Self.isChecksummed(vector.name), output != expected {
                        Issue.record("\(vector.name): flipping bit \(bit) of byte \(index) went undetected")
                    }
                }
            }
        }
    }

    @Test func garbageNeverCrashes() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let count = Int(rng.next() % 200)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            for codec in ["gzip", "snappy", "lz4"] {
                _ = try? Self.decompress(codec, bytes[...], max: 1 << 20)
            }
            // Garbage behind valid magic numbers reaches deeper into the decoders.
            _ = try? Self.decompress("gzip", ([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0xFF] + bytes)[...], max: 1 << 20)
            _ = try? Self.decompress("lz4", ([0x04, 0x22, 0x4D, 0x18] + bytes)[...], max: 1 << 20)
            _ = try? Self.decompress("snappy", (SnappyDecoder.xerialMagic + [0, 0, 0, 1, 0, 0, 0, 1] + bytes)[...], max: 1 << 20)
        }
    }

    @Test func decompressionBombsHitTheCap() throws {
        for bomb in CompressionVectors.bombs {
            let bytes = hex(bomb.hex)
            #expect(throws: CompressionError.outputLimitExceeded(limit: 1 << 20)) {
                try Self.decompress(bomb.codec, bytes[...], max: 1 << 20)
            }
            #expect(try Self.decompress(bomb.codec, bytes[...], max: 4 << 20) == [UInt8](repeating: 0, count: 2 << 20))
        }
        // Raw snappy declaring 100 MiB is refused before anything is allocated.
        let hugeSnappy: [UInt8] = [0x80, 0x80, 0x80, 0x32, 0x00, 0x41]
        #expect(throws: CompressionError.outputLimitExceeded(limit: CompressionLimits.defaultMaxOutputSize)) {
            try SnappyDecoder.decompress(hugeSnappy[...])
        }
        // Xerial blocks add up against the cap.
        let xerial = hex(CompressionVectors.golden.first { $0.name == "snappy-xerial-repetitive" }!.hex)
        #expect(throws: CompressionError.outputLimitExceeded(limit: 50_000)) {
            try SnappyDecoder.decompress(xerial[...], maxOutputSize: 50_000)
        }
        // An LZ4 frame declaring a content size beyond the cap is refused up front.
        let lz4 = hex(CompressionVectors.golden.first { $0.name == "lz4-checksums-repetitive" }!.hex)
        #expect(throws: CompressionError.outputLimitExceeded(limit: 50_000)) {
            try LZ4FrameDecoder.decompress(lz4[...], maxOutputSize: 50_000)
        }
    }

    @Test func backReferencesBeforeTheStartThrow() {
        // Snappy: declared 8 bytes, copy with offset 1 before any literal.
        #expect(throws: CompressionError.self) { try SnappyDecoder.decompress([0x08, 0x01, 0x01][...]) }
        // LZ4 block: one literal, then match offset 2 (only 1 byte produced).
        var frame: [UInt8] = [0x04, 0x22, 0x4D, 0x18, 0x60, 0x40]
        frame.append(UInt8(truncatingIfNeeded: XXHash32.hash(frame[4..<6]) >> 8))
        frame += [4, 0, 0, 0, 0x10, 0x41, 0x02, 0x00, 0, 0, 0, 0]
        #expect(throws: CompressionError.self) { try LZ4FrameDecoder.decompress(frame[...]) }
        // Deflate (fixed Huffman): distance beyond the output. BFINAL=1, BTYPE=01, length symbol
        // 257 (0000001), distance code 0 (00000), with nothing produced yet.
        let deflate: [UInt8] = [0x03, 0x02, 0x00, 0x00]
        var member: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0xFF] + deflate
        member += [UInt8](repeating: 0, count: 8)
        #expect(throws: CompressionError.self) { try GzipDecoder.decompress(member[...]) }
    }

    @Test func compressedRecordBatchesFromKafkaPythonDecode() throws {
        #expect(CompressionVectors.batches.map(\.codec) == ["gzip", "snappy", "lz4"])
        for batch in CompressionVectors.batches {
            let bytes = hex(batch.hex)
            let header = try RecordBatchHeader.validate(bytes)
            #expect(header.compression.map { "\($0)" } == batch.codec)
            let records = try RecordBatchRecords.decode(bytes)
            #expect(records.map(\.offset) == [0, 1, 2], "\(batch.codec)")
            #expect(records.map(\.timestamp) == [1_700_000_000_000, 1_700_000_000_005, 1_700_000_000_009])
            #expect(records.map(\.key) == [Array("k0".utf8), nil, Array("k2".utf8)])
            #expect(records.map(\.value) == [Array("first value".utf8), Self.repetitive(5000), nil])
            #expect(records[1].headers == [RecordHeader(key: "h", value: [0x76])])
            #expect(records[0].headers.isEmpty && records[2].headers.isEmpty)
            // The cap applies to batches too.
            #expect(isMalformedRecord(caught { try RecordBatchRecords.decode(bytes, maxDecompressedSize: 100) }))
        }
    }

    @Test func keepingDecodesOnlyTheChosenOffsets() throws {
        for batch in CompressionVectors.batches {
            let bytes = hex(batch.hex)
            let records = try RecordBatchRecords.decode(bytes, keeping: { $0 == 1 })
            #expect(records.map(\.offset) == [1], "\(batch.codec)")
            #expect(records.first?.value == Self.repetitive(5000))
            #expect(records.first?.headers == [RecordHeader(key: "h", value: [0x76])])
            #expect(try RecordBatchRecords.decode(bytes, keeping: { _ in false }).isEmpty)
        }
        // A skipped record's fields are not read: an invalid header key in it does not matter.
        var builder = RecordBatchBuilder()
        builder.append(RecordInput(value: [1], timestamp: 10))
        builder.append(RecordInput(value: [2], headers: [RecordHeader(key: "hk", value: [9])], timestamp: 20))
        var bytes = builder.build()
        let key = try #require(bytes.lastIndex(of: UInt8(ascii: "k")))
        bytes[key] = 0xFF  // "h\u{FF}" is not UTF-8
        #expect(throws: RecordBatchError.self) { try RecordBatchRecords.decode(bytes, verifyCRC: false) }
        #expect(try RecordBatchRecords.decode(bytes, verifyCRC: false, keeping: { $0 == 0 }).map(\.value) == [[1]])
    }

    @Test func assembledBatchWithCompressedRecordsDecodes() throws {
        var builder = RecordBatchBuilder()
        builder.append(RecordInput(value: [1], timestamp: 10))
        builder.append(RecordInput(value: [2], timestamp: 20))
        // A hand-made raw snappy block: the whole records area as one literal.
        let plain = builder.encodedRecords
        precondition(plain.count < 60)
        let snappy = [UInt8(plain.count), UInt8((plain.count - 1) << 2)] + plain
        let bytes = RecordBatchBuilder.assemble(attributes: CompressionCodec.snappy.rawValue, lastOffsetDelta: 1,
                                                baseTimestamp: 10, maxTimestamp: 20, producerId: -1, producerEpoch: -1,
                                                baseSequence: -1, recordCount: 2, records: snappy)
        #expect(try RecordBatchRecords.decode(bytes).map(\.value) == [[1], [2]])
        // Corrupt compressed data surfaces as malformedRecord, never a crash.
        var corrupt = snappy
        corrupt[0] = 0x7F
        let bad = RecordBatchBuilder.assemble(attributes: CompressionCodec.snappy.rawValue, lastOffsetDelta: 1,
                                              baseTimestamp: 10, maxTimestamp: 20, producerId: -1, producerEpoch: -1,
                                              baseSequence: -1, recordCount: 2, records: corrupt)
        #expect(isMalformedRecord(caught { try RecordBatchRecords.decode(bad) }))
        // A zstd-flagged batch whose records area is not zstd is malformed.
        let zstd = RecordBatchBuilder.assemble(attributes: CompressionCodec.zstd.rawValue, lastOffsetDelta: 1,
                                               baseTimestamp: 10, maxTimestamp: 20, producerId: -1, producerEpoch: -1,
                                               baseSequence: -1, recordCount: 2, records: snappy)
        #expect(isMalformedRecord(caught { try RecordBatchRecords.decode(zstd) }))
    }
}
