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
        // zstd stays unsupported.
        let zstd = RecordBatchBuilder.assemble(attributes: CompressionCodec.zstd.rawValue, lastOffsetDelta: 1,
                                               baseTimestamp: 10, maxTimestamp: 20, producerId: -1, producerEpoch: -1,
                                               baseSequence: -1, recordCount: 2, records: snappy)
        #expect(isMalformedRecord(caught { try RecordBatchRecords.decode(zstd) }))
    }
}

// Generated with Python (python-snappy, lz4.frame, gzip/zlib, kafka-python 3.0); see the notes above.
enum CompressionVectors {
    /// (name, codec, payload name, compressed hex)
    static let golden: [(name: String, codec: String, payload: String, hex: String)] = [
        ("snappy-raw-empty", "snappy", "empty",
            """
            00
            """),
        ("snappy-xerial-empty", "snappy", "empty",
            """
            82534e41505059000000000100000001
            """),
        ("lz4-empty", "lz4", "empty",
            """
            04224d1860408200000000
            """),
        ("lz4-checksums-empty", "lz4", "empty",
            """
            04224d187440bd00000000055dcc02
            """),
        ("gzip-empty", "gzip", "empty",
            """
            1f8b080000000000020303000000000000000000
            """),
        ("gzip-fname-empty", "gzip", "empty",
            """
            1f8b08080000000002ff7265636f7264732e62696e0003000000000000000000
            """),
        ("gzip-stored-empty", "gzip", "empty",
            """
            1f8b0800000000000403010000ffff0000000000000000
            """),
        ("snappy-raw-short", "snappy", "short",
            """
            0c2c68656c6c6f2c206b61666b61
            """),
        ("snappy-xerial-short", "snappy", "short",
            """
            82534e415050590000000001000000010000000e0c2c68656c6c6f2c206b61666b61
            """),
        ("lz4-short", "lz4", "short",
            """
            04224d1868400c000000000000005d0c00008068656c6c6f2c206b61666b6100000000
            """),
        ("lz4-checksums-short", "lz4", "short",
            """
            04224d187c400c00000000000000ea0c00008068656c6c6f2c206b61666b6117d787fd0000000017d787fd
            """),
        ("gzip-short", "gzip", "short",
            """
            1f8b0800000000000203cb48cdc9c9d751c84e4ccb4e04006e16609e0c000000
            """),
        ("gzip-fname-short", "gzip", "short",
            """
            1f8b08080000000002ff7265636f7264732e62696e00cb48cdc9c9d751c84e4ccb4e04006e16609e0c000000
            """),
        ("gzip-stored-short", "gzip", "short",
            """
            1f8b0800000000000403010c00f3ff68656c6c6f2c206b61666b616e16609e0c000000
            """),
        ("snappy-raw-repetitive", "snappy", "repetitive",
            """
            a08d06c800686520717569636b2062726f776e20636f66666565206a756d7073206f76657220746865206c617a79206b61666b612e2054fe3200fe32
            00fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200d232000001feb603feb603feb603feb603feb603feb603
            feb603feb603feb603feb603feb603feb603feb603feb603d2b6030054c2b6030002c23200c66400fe3200fe3200fe3200fe3200fe3200fe3200fe32
            00fe3200fe3200fe3200fe3200fe3200fe3200fe320001320003fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030004fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030005fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030006fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030007fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030008fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030009fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae803000afee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae803000bfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803000cfee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803000dfee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803000efee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae803000ffee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030010fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030011fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030012fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030013fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030014fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030015fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030016fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030017fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030018fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030019fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803001afee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae803001bfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae803001cfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae803001dfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803001efee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803001ffee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030020fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030021fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030022fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030023fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030024fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030025fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030026fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030027fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030028fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030029fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803002afee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803002bfee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803002cfee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae803002dfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae803002efee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae803002ffee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030030fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030031fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030032fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030033fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030034fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030035fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030036fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030037fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030038fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030039fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae803003afee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae803003bfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803003cfee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803003dfee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803003efee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae803003ffee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030040fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030041fee803fee803fee803fee803fee803fee803fee803fee8035ae803c865206c617a79206b61666b612e2054686520717569636b206272
            6f776e20636f66666565206a756d7073206f76657220746865fe3200fe3200fe3200fe3200fe3200fe32007232000042fec201fec201fec201fec201
            fec201fec201eec20125c2fe8403fe8403fe8403fe8403fe8403fe8403ee84036984fec2018ec2010043fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030044fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee803fee803fee8039ae8030045fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            03fee803fee8039ae8030046fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803
            0047fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030048fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030049fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803004afee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee803fee803fee8039ae803004bfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            03fee803fee8039ae803004cfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803
            004dfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803044e68fea230fea230fe
            a230fea230fea230fea230fea230fe1e2d8e1e2dfe6400fe6400fe6400fe6400fe6400fe6400ee64000964004ffee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030050fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee803fee803fee803fee8039ae8030051fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            03fee803fee803fee8039ae8030052fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803
            9ae8030053fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803fe4a15fe4a15fe
            4a15fe4a15fe4a15fe4a15ee4a15164a15fec201fec201fec201fec201fec201fec201fec201fec20196c2010055fed007fed007fed007fed007fed0
            07fed007fed007fed007fed007fed007fed007fed007fed007fed007fed0079ad0070056fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030057fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030058fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030059fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803005afee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803005bfee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803005cfee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae803005dfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae803005efee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae803005ffee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030060fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030061fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030062fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030063fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae803
            """),
        ("snappy-xerial-repetitive", "snappy", "repetitive",
            """
            82534e415050590000000001000000010000069c808002c800686520717569636b2062726f776e20636f66666565206a756d7073206f766572207468
            65206c617a79206b61666b612e2054fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200d23200
            0001feb603feb603feb603feb603feb603feb603feb603feb603feb603feb603feb603feb603feb603feb603d2b6030054c2b6030002c23200c66400
            fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe320001320003fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030004fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030005fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030006fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030007fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030008fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030009fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803000afee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae803000bfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae803000cfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae803000dfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803000efee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803000ffee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030010fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030011fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030012fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030013fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030014fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030015fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030016fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030017fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030018fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030019fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803001afee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803001bfee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803001cfee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae803001dfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae803001efee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae803001ffee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030020fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fae803000006a1808002c866666565206a756d7073206f7665722074686520
            6c617a79206b61666b612e2054686520717569636b2062726f776e20636f66fe3200fe3200d232000021fec800fec800fec8000dc8fe9001fe9001fe
            90013190fec800fec800fec800fec800fec800fec800fec800fec800fec8005ec8000022fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030023fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030024fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030025fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030026fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030027fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030028fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030029fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae803002afee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae803002bfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803002cfee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803002dfee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803002efee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae803002ffee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030030fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030031fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030032fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030033fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030034fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030035fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae8030036fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae8030037fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030038fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030039fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803003afee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae803003bfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee8039ae803003cfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            039ae803003dfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803003efee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803003ffee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030040fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee8039ae8030041fee803fee803fee803fee803fee803fee803fee803fee8035ae803000006a5808002
            c865206c617a79206b61666b612e2054686520717569636b2062726f776e20636f66666565206a756d7073206f76657220746865fe3200fe3200fe32
            00fe3200fe3200fe32007232000042fec201fec201fec201fec201fec201fec201eec20125c2fe8403fe8403fe8403fe8403fe8403fe8403ee840369
            84fec2018ec2010043fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030044fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030045fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030046fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee803fee8039ae8030047fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee803fee8039ae8030048fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            03fee8039ae8030049fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803004afe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803004bfee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803004cfee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee803fee8039ae803004dfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee803fee8039ae803044e68fea230fea230fea230fea230fea230fea230fea230fe1e2d8e1e2dfe6400fe6400fe6400fe6400fe
            6400fe6400ee64000964004ffee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803
            0050fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030051fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030052fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030053fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee803fee803fee8039ae803fe4a15fe4a15fe4a15fe4a15fe4a15fe4a15ee4a15164a15fec201fec201fec201fec201fec201fe
            c201fec201fec20196c2010055fed007fed007fed007fed007fed007fed007fed007fed007fed007fed007fed007fed007fed007fed007fed0079ad0
            070056fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030057fee803fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030058fee803fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8030059fee803fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee8039ae803005afee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee8039ae803005bfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8
            03005cfee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803005dfee803fee803fe
            e803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803005efee803fee803fee803fee803fee803fee8
            03fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803005ffee803fee803fee803fee803fee803fee803fee803fee803fee803
            fee803fee803fee803fee803fee803fee8039ae8030060fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee8039ae8030061fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae8
            030062fee803fee803fee803fee803bae8030000008ca00dc8717569636b2062726f776e20636f66666565206a756d7073206f76657220746865206c
            617a79206b61666b612e205468652071fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe320005320063fe8a02fe8a02fe8a02fe
            8a02fe8a02fe8a02fe8a02fe8a02fe8a02fe8a02558a0054fe8a02fe8a02fe8a02fe8a02fe8a02728a02
            """),
        ("lz4-repetitive", "lz4", "repetitive",
            """
            04224d184840a086010000000000154c020000ff2400686520717569636b2062726f776e20636f66666565206a756d7073206f76657220746865206c
            617a79206b61666b612e20543200ffffffa51f01b603ffffffa50f6c071f1f02e803ffffffd71f03e803ffffffd71f04e803ffffffd71f05e803ffff
            ffd71f06e803ffffffd71f07e803ffffffd71f08e803ffffffd71f09e803ffffffd71f0ae803ffffffd71f0be803ffffffd71f0ce803ffffffd71f0d
            e803ffffffd71f0ee803ffffffd71f0fe803ffffffd71f10e803ffffffd71f11e803ffffffd71f12e803ffffffd71f13e803ffffffd71f14e803ffff
            ffd71f15e803ffffffd71f16e803ffffffd71f17e803ffffffd71f18e803ffffffd71f19e803ffffffd71f1ae803ffffffd71f1be803ffffffd71f1c
            e803ffffffd71f1de803ffffffd71f1ee803ffffffd71f1fe803ffffffd71f20e803ffffffd71f21e803ffffffd71f22e803ffffffd71f23e803ffff
            ffd71f24e803ffffffd71f25e803ffffffd71f26e803ffffffd71f27e803ffffffd71f28e803ffffffd71f29e803ffffffd71f2ae803ffffffd71f2b
            e803ffffffd71f2ce803ffffffd71f2de803ffffffd71f2ee803ffffffd71f2fe803ffffffd71f30e803ffffffd71f31e803ffffffd71f32e803ffff
            ffd71f33e803ffffffd71f34e803ffffffd71f35e803ffffffd71f36e803ffffffd71f37e803ffffffd71f38e803ffffffd71f39e803ffffffd71f3a
            e803ffffffd71f3be803ffffffd71f3ce803ffffffd71f3de803ffffffd71f3ee803ffffffd71f3fe803ffffffd71f40e803ffffffd71f41e803ffff
            015065722074681b0100000fdcffffbe1f42e803ffffffd71f43e803ffffffd71f44e803ffffffd71f45e803ffffffd71f46e803ffffffd71f47e803
            ffffffd71f48e803ffffffd71f49e803ffffffd71f4ae803ffffffd71f4be803ffffffd71f4ce803ffffffd71f4de803ffffffd71f4ee803ffffffd7
            1f4fe803ffffffd71f50e803ffffffd71f51e803ffffffd71f52e803ffffffd71f53e803ffffffd71f54e803ffffffd71f55e803ffffffd71f56e803
            ffffffd71f57e803ffffffd71f58e803ffffffd71f59e803ffffffd71f5ae803ffffffd71f5be803ffffffd71f5ce803ffffffd71f5de803ffffffd7
            1f5ee803ffffffd71f5fe803ffffffd71f60e803ffffffd71f61e803ffffffd71f62e803ffffffd71f63e803ffffffd250666b612e2000000000
            """),
        ("lz4-checksums-repetitive", "lz4", "repetitive",
            """
            04224d185c40a086010000000000604c020000ff2400686520717569636b2062726f776e20636f66666565206a756d7073206f76657220746865206c
            617a79206b61666b612e20543200ffffffa51f01b603ffffffa50f6c071f1f02e803ffffffd71f03e803ffffffd71f04e803ffffffd71f05e803ffff
            ffd71f06e803ffffffd71f07e803ffffffd71f08e803ffffffd71f09e803ffffffd71f0ae803ffffffd71f0be803ffffffd71f0ce803ffffffd71f0d
            e803ffffffd71f0ee803ffffffd71f0fe803ffffffd71f10e803ffffffd71f11e803ffffffd71f12e803ffffffd71f13e803ffffffd71f14e803ffff
            ffd71f15e803ffffffd71f16e803ffffffd71f17e803ffffffd71f18e803ffffffd71f19e803ffffffd71f1ae803ffffffd71f1be803ffffffd71f1c
            e803ffffffd71f1de803ffffffd71f1ee803ffffffd71f1fe803ffffffd71f20e803ffffffd71f21e803ffffffd71f22e803ffffffd71f23e803ffff
            ffd71f24e803ffffffd71f25e803ffffffd71f26e803ffffffd71f27e803ffffffd71f28e803ffffffd71f29e803ffffffd71f2ae803ffffffd71f2b
            e803ffffffd71f2ce803ffffffd71f2de803ffffffd71f2ee803ffffffd71f2fe803ffffffd71f30e803ffffffd71f31e803ffffffd71f32e803ffff
            ffd71f33e803ffffffd71f34e803ffffffd71f35e803ffffffd71f36e803ffffffd71f37e803ffffffd71f38e803ffffffd71f39e803ffffffd71f3a
            e803ffffffd71f3be803ffffffd71f3ce803ffffffd71f3de803ffffffd71f3ee803ffffffd71f3fe803ffffffd71f40e803ffffffd71f41e803ffff
            01506572207468ca5758611b0100000fdcffffbe1f42e803ffffffd71f43e803ffffffd71f44e803ffffffd71f45e803ffffffd71f46e803ffffffd7
            1f47e803ffffffd71f48e803ffffffd71f49e803ffffffd71f4ae803ffffffd71f4be803ffffffd71f4ce803ffffffd71f4de803ffffffd71f4ee803
            ffffffd71f4fe803ffffffd71f50e803ffffffd71f51e803ffffffd71f52e803ffffffd71f53e803ffffffd71f54e803ffffffd71f55e803ffffffd7
            1f56e803ffffffd71f57e803ffffffd71f58e803ffffffd71f59e803ffffffd71f5ae803ffffffd71f5be803ffffffd71f5ce803ffffffd71f5de803
            ffffffd71f5ee803ffffffd71f5fe803ffffffd71f60e803ffffffd71f61e803ffffffd71f62e803ffffffd71f63e803ffffffd250666b612e204231
            59e800000000d2c80c18
            """),
        ("gzip-repetitive", "gzip", "repetitive",
            """
            1f8b0800000000000203edd069978e050080e16409c9162a591e7b85a105d977d9295aecde99f3cea92686a9e1e8d7f337dce7fa7e5f5fee0ffe1c0f
            2fe7ff9a9a1926e7665f3f1fa666a7a7c7e3e1eff9672ffe1d665f8de786ffde15ff8cfe7f33cc8ca6674613c35d8220de33b1c02b82c88b0fbd2288
            bc58e81541e4c522af08222f167b451079b1c42b82c88b8fbc2288bc58ea1541e4c532af08222f967b451079f1b1570491172bbc2288bcf8c42b82c8
            8b955e11445eacf28a20f262b5570491176bbc2288bc58eb1541e4c5a75e11445eacf38a20f262bd570491171bbc2288bcf8cc2b82c88bcfbd2288bc
            f8c22b82c88b8d5e11445e7ce91541e4c526af08222f367b451079b1c52b82c88bad5e11445e0c5e11445e6cf38a20f262bb570491173bbc2288bcd8
            e91541e4c52eaf08222f767b451079b1c72b82c88bafbc2288bcf8da2b82c88b6fbc2288bcd8eb1541e4c53eaf08222ff67b45107931e11541e4c501
            af08222f0e7a451079f1ad57049117df79451079f1bd570491173f7845107971c82b82c88bc35e11445e1cf18a20f2e247af08222f8e7a45107971cc
            2b82c88be35e11445e9cf08a20f2e2a457049117a7bc2288bc38ed1541e4c519af08222fce7a45107971ce2b82c88bf35e11445e5cf08a20f2e2a257
            04911797bc2288bcf8c92b82c88bcb5e11445e5cf18a20f2e2aa57049117d7bc2288bcb8ee1541e4c50daf08222f6e7a45107971cb2b82c88bdb5e11
            445efcec1541e4c52f5e11445edcf18a20088220de7bf1ab57049117bf79451079f1bb570491177f7845107971cf2b82c88bfb5e11445e3cf08a20f2
            e2a1570491178fbc2288bc78ec1541e4c513af08222f9e7a45107931f28a20f262d22b82c88b29af08222fde02d45a5794a0860100
            """),
        ("gzip-fname-repetitive", "gzip", "repetitive",
            """
            1f8b08080000000002ff7265636f7264732e62696e00edd069978e050080e16409c9162a591e7b85a105d977d9295aecde99f3cea92686a9e1e8d7f3
            37dce7fa7e5f5fee0ffe1c0f2fe7ff9a9a1926e7665f3f1fa666a7a7c7e3e1eff9672ffe1d665f8de786ffde15ff8cfe7f33cc8ca6674613c35d8220
            de33b1c02b82c88b0fbd2288bc58e81541e4c522af08222f167b451079b1c42b82c88b8fbc2288bc58ea1541e4c532af08222f967b451079f1b15704
            91172bbc2288bcf8c42b82c88b955e11445eacf28a20f262b5570491176bbc2288bc58eb1541e4c5a75e11445eacf38a20f262bd570491171bbc2288
            bcf8cc2b82c88bcfbd2288bcf8c22b82c88b8d5e11445e7ce91541e4c526af08222f367b451079b1c52b82c88bad5e11445e0c5e11445e6cf38a20f2
            62bb570491173bbc2288bcd8e91541e4c52eaf08222f767b451079b1c72b82c88bafbc2288bcf8da2b82c88b6fbc2288bcd8eb1541e4c53eaf08222f
            f67b45107931e11541e4c501af08222f0e7a451079f1ad57049117df79451079f1bd570491173f7845107971c82b82c88bc35e11445e1cf18a20f2e2
            47af08222f8e7a45107971cc2b82c88be35e11445e9cf08a20f2e2a457049117a7bc2288bc38ed1541e4c519af08222fce7a45107971ce2b82c88bf3
            5e11445e5cf08a20f2e2a25704911797bc2288bcf8c92b82c88bcb5e11445e5cf18a20f2e2aa57049117d7bc2288bcb8ee1541e4c50daf08222f6e7a
            45107971cb2b82c88bdb5e11445efcec1541e4c52f5e11445edcf18a20088220de7bf1ab57049117bf79451079f1bb570491177f7845107971cf2b82
            c88bfb5e11445e3cf08a20f2e2a1570491178fbc2288bc78ec1541e4c513af08222f9e7a45107931f28a20f262d22b82c88b29af08222fde02d45a57
            94a0860100
            """),
        ("snappy-raw-random", "snappy", "random",
            """
            b817f4b70b8989a57520456d8461815412eed4b530450bb7e399d48eb06e2f77e9f79571ba2fe5bcf3b9121393788ea918ee75e489567adb3f809291
            776f62ef99b369834687edfb24aba75f69002d1228e523865e5322c2bcba6395329b349740e217e5fc09ba98e2ed9b0a5e6e77c81bca775509b71aa4
            3042e153386abca9b47b374e322c64cd037887cacb3c8402c7950907e1f77bb9750ea284e155135bcf776178426802d06143035806e26cfa063f7156
            3e8d5d3962163ede85d351e768cd2c198236aedad346a66c69d746e7afbf46f879f1d75cd0534e1a7d5d8d83577531ea4c0d7d24327a09be4b932a01
            9a0e21a6e89a035995bc6af01f6ae068746808a3f8668ae454d6c406048f327f9f239919e500f76a8b492a18c57262ce979e48fddcb8eb5313536ffc
            ed42749b97f74707c79ccbc588f3254ac6ee2bed990e8aae527cb9a946e8a1585c25098c5981c329e6e698a466b2f43d7a5652fd51b0666fb0290c1e
            c58ef3d2abaf0889bcbaa5379b54763dfc7c2fab3a20f036977d73f85037fbea683cfc2131598bcb9a9884e93c617dca234c6e4b5cc71cd0436c4a01
            891f9f4508eb56ff469aa88bcb16f9f72382c481b11848d53ac1f0032d758342b45910667b92972343ea77ff252a9b18a731649b80d855002b868106
            2e92b572275b65879b2957447ec2116082cc040620e6755167842f86878eea131cb8794b3ca0b7df3fa9301c51998ee6b9f5ca78e6180ed93e156c1d
            a6524161d1e167844a9d1ea53f09b86113e806c9a29c8526513f486cdd83a57ee14a9f27240417d4a9ccb113744287cc1c26904115b9cfc7bad43b42
            1dc571628fed1c9fee1a20f5b1a5895fb44b3716c4cc4586ea453e15784eff93d5d36a7f07b3cfff051a1b9dba9fbec3d91d5ef564513dd0fa386ac6
            e326ab97dca6268ea415d18143fd9f861d326875baaf9422522e8f571b89ed9453d358850c353d47bb8a3a5b7fba466631d79eae2ff97355e8da5553
            27305d3521ce1d973d794862a58b22c6914aa6f64e0579a710f491467dcda4fcf5265362a38e13044569df97bb8fa0fa51a457efcc351096369787ad
            698097895e6266d3338b5204fefe9a9e540ecd3097c0f30703de7cb478dbec42056a443438dd2f40283ef2ce3e2f102fc881c09e3c9710f74c79d539
            adb75abda704c4335d8e4662da1e0a9cdff4da026f60927d17204677fd7d335daf2466d6a9c52ec0a46d43efa1a4b3a4b94690cfa1225b04ff542f3f
            7062ad585619ab4462259c11e573bda0d647051fa21cca4db73f336dcf2a6107fca15c62788ebfc12a9d2360f8974d2ccf801746736f1f36083031ef
            5c9b7587fab258b3ef7c3b045aa5dee3b5d28b4de6c6024f05362841eb6c6ec27f9e0277c00bb88292dbb7c448b4e3d3f51c0eba7291de732f6a7c25
            bb6c011e112ba18ea827950939a2cabb4e424b688f6b6f2bcc5ac2eac902b49ccda7043ae93bea86097b077fbcc90d9fc3c82eda5bb946574a99c7ec
            abf6685c7a958d50dfc575163b81251bf3491829ffbda36131fe2af846c405b1ae3f301e1bafb496cbc2d9f596b10817b71982125a9ac335e931b4c4
            17569371a9d5a39b076c93468629afdd7282c8a9df31e4102dd6a68e5c4a7c7515c48a6473ae5a8996454096e7f38e84286c7d0a428ad6dccee963a4
            614219c1988802c2e7c5eca120b1d4bfc51710a30fe83e73bb1cef2e974c13afd0112462f81a13c3da0ff39bfe2966fafa8ecaf37f6d241a1fdec9be
            df77cee781ad350e8ef1d49f2586042f86240f7d5e4f572ad074463847c8f944fee1ac834c11e47eb1855e8da122ba15121be781c7524d015a74be05
            0cd31a784d02c4bd0a32c86ab94fc8c725daab05f985053e0f90453076e6a1b945f6c21222522fcb910a7a8afec72c8389a671b793da83ec0c00d76f
            7b410a8cca2a8acad74b04e7bb919196d863a0fba57fa1e2399377c3989b9b76c1fd0fb673660957c3625c475fbea6469f9e3c65515dd6404127f9fb
            8a5828fda093c96f19a2d9733e114f2555895152aced1afa6636a688050f22ccbb3016bc707b50ef92d790d5a1d0f5b776eb2a7256ca50f3ba04aa71
            dcc20a6d011aff6b892bbb6db8fdc6344216653698dbc85ef5adf68627bf79b51eb9c918360e79c2441e2323620b154a7b5bb8da9552c4cee10d26ec
            845eac0a236b760431051d78f8c9a04868f913cda31806db4447b6797362f65daadadb2a44502a68caf68247fda64a13a3c0587612c466717db33519
            02257e116f2a9ecbd8e1fd7ed9da42e6ab2d38bee9577efe20d7f1d4198dda64e5cdd840ad468ca63696067c37a9f20c5bd5827f14b61b1b26cbbf3c
            eecd3d1476d31a223b273e73b8e55e9cba592d7263164290fbd6c7867a15e7e1d66cf5df0dae5deff1c44beab6491d143ce489d11d698e2776af1cf7
            762f82fba8619c7e00d6b8dfa7164dc386375a1d94429fdfe0457f7d5e38b0267190a8c23ca5c7aaa9c445293514dab682292fef9a6a075504232cca
            89691ccbc3b1716d6a2f11195ef0190774b68a7b0197b1c2275458ece27aaf46d13bf79ec50af4360bf8108479d14fb03bf5f7ca5bf8fbce11f92b5a
            d0c31e290da5db57cd114a53f6f75da351dffd5b62c9b75be8c4234b32501858287591ab15a05dae35408afe02248f2e3f933c41c12962e600744271
            6152b69e41082104c123185a540fcd6d097840dd9964249b300d9223fc806f7876f69ee473f5e66ce926a21582f52bdae3eb0668b9cbcc9f886eddc9
            325ec4984a3568e116b4f81b66a29496186abc7b66747987f63f4d869f43dc92fc885709b306ac4f83bb6e490f8f86946ce797896c0b32f2a838bf89
            4f842634b27640028b6101e51085622dbce30fc9d8e4d53ccca8c960272f39de6f2a5469aa9f99bda93f005b1787e9014599c8ebb3d78ecc5e45d68b
            cc9cd4bed82dfee73d7c7871e5984068ef3b1efb82a649b3553bd971fad7f12aedf5a8616084bc67c483f55517625ac6f01917554c0529da1685cf63
            7858b1f4e4b5cdffe12725a2962f2aa31898e62b7398ed457aab01164f2f88dab1c0aea308515ad0320fd24e0bf62d91be2f7c51cf30b705e4926920
            56b11b0e7b0682edb143680c2b335a247b501658e321b3ee5b5a8ecb62b2f8b08582a137b022c38b38030eeaa48c57dc3fb6ff305e6624bb718d8ad0
            cc02487e331a328c270d0a36f30865a475115f2ead9ffe5207f567716842c34cfb7aee42b8f2e647b9beeea43cca857177bb0ad21f832cf4b7c613c6
            99f05078c51385b46d81d49f3c2d088e6ac286888181f280ecdba04f44d2c1735a104a8a04c4a38ca84015cb8a54f0acd5687f236b5badf06c1f739b
            881009300519c8bb8f85e182c3a6c0057a283eb6d53289780d42d3d9f8c5bd105a7982b5f183e4423e50d74e152cee83e4a38964c39bbcc13f2dfef5
            e64896e69204c5ba76c7b459ea1a1ca7f649b77ea0bc6a6ef6182f34da15c4fb901d155408aa6af7ec5d50376add4947be75332f866c788cc523fb0a
            b4f1bea24dbf539495620824acbbd2149590f5e4c62979cc6faa4d758b34387ba7ba83a475a368dd102439f80d5c5028452cba3865dca28e326f7fe3
            9dc2fdbf8a67acb760436b6751e9922d66b5e2aa52a92ef9f307c6ada7b2a68d5445630f36f0d1956717756930a9ae7a1140a2d492fde9e1c821fc61
            a66c5c2a093682a1814e8af4e0969e1d855b23966675a6dcdf2285a63ca35de207943774130c71ad45796e8d2538fdb928f78a3bbbcb07fc0f109801
            a7040168a322d021ca40496d596716188d76ab76f2757b1f6abadc6afcbebbaa62bdff2b510fbeeb864922189513194e71c7c08dbacf8dfbcabb3e5f
            7d248559c4457063e9529a889f9f14e6d17211e527a4533458fa5988324545136b3b8fc625146c4743e4fcb16ebb360fe57e949609847da4a4f0767c
            fdd109bf9cfb71a9dda30a1137bc7b1f4a15a1caaa2f3a196edf561576a87e9080d6a199ea5ac2ba456964f89ed3b1888b246c51f77c9d25ae2ef6bf
            a71b077c15cd26da2c531cb1b3df8f334e2033a58960b1daa45d537421e974da0e41a9f8122dafba3adb1446817ca6fc219c9c2e9c42869f89cbf4bd
            1f87e99e8310febcd16e5671ecec453106b8bf89ee3e82db1d4103d67ebe1ab801806c43de829c80a90931371b7e45299a0cf3138dfe7e6462d641b9
            5c2c5b1c1d
            """),
        ("snappy-xerial-random", "snappy", "random",
            """
            82534e4150505900000000010000000100000bbdb817f4b70b8989a57520456d8461815412eed4b530450bb7e399d48eb06e2f77e9f79571ba2fe5bc
            f3b9121393788ea918ee75e489567adb3f809291776f62ef99b369834687edfb24aba75f69002d1228e523865e5322c2bcba6395329b349740e217e5
            fc09ba98e2ed9b0a5e6e77c81bca775509b71aa43042e153386abca9b47b374e322c64cd037887cacb3c8402c7950907e1f77bb9750ea284e155135b
            cf776178426802d06143035806e26cfa063f71563e8d5d3962163ede85d351e768cd2c198236aedad346a66c69d746e7afbf46f879f1d75cd0534e1a
            7d5d8d83577531ea4c0d7d24327a09be4b932a019a0e21a6e89a035995bc6af01f6ae068746808a3f8668ae454d6c406048f327f9f239919e500f76a
            8b492a18c57262ce979e48fddcb8eb5313536ffced42749b97f74707c79ccbc588f3254ac6ee2bed990e8aae527cb9a946e8a1585c25098c5981c329
            e6e698a466b2f43d7a5652fd51b0666fb0290c1ec58ef3d2abaf0889bcbaa5379b54763dfc7c2fab3a20f036977d73f85037fbea683cfc2131598bcb
            9a9884e93c617dca234c6e4b5cc71cd0436c4a01891f9f4508eb56ff469aa88bcb16f9f72382c481b11848d53ac1f0032d758342b45910667b929723
            43ea77ff252a9b18a731649b80d855002b8681062e92b572275b65879b2957447ec2116082cc040620e6755167842f86878eea131cb8794b3ca0b7df
            3fa9301c51998ee6b9f5ca78e6180ed93e156c1da6524161d1e167844a9d1ea53f09b86113e806c9a29c8526513f486cdd83a57ee14a9f27240417d4
            a9ccb113744287cc1c26904115b9cfc7bad43b421dc571628fed1c9fee1a20f5b1a5895fb44b3716c4cc4586ea453e15784eff93d5d36a7f07b3cfff
            051a1b9dba9fbec3d91d5ef564513dd0fa386ac6e326ab97dca6268ea415d18143fd9f861d326875baaf9422522e8f571b89ed9453d358850c353d47
            bb8a3a5b7fba466631d79eae2ff97355e8da555327305d3521ce1d973d794862a58b22c6914aa6f64e0579a710f491467dcda4fcf5265362a38e1304
            4569df97bb8fa0fa51a457efcc351096369787ad698097895e6266d3338b5204fefe9a9e540ecd3097c0f30703de7cb478dbec42056a443438dd2f40
            283ef2ce3e2f102fc881c09e3c9710f74c79d539adb75abda704c4335d8e4662da1e0a9cdff4da026f60927d17204677fd7d335daf2466d6a9c52ec0
            a46d43efa1a4b3a4b94690cfa1225b04ff542f3f7062ad585619ab4462259c11e573bda0d647051fa21cca4db73f336dcf2a6107fca15c62788ebfc1
            2a9d2360f8974d2ccf801746736f1f36083031ef5c9b7587fab258b3ef7c3b045aa5dee3b5d28b4de6c6024f05362841eb6c6ec27f9e0277c00bb882
            92dbb7c448b4e3d3f51c0eba7291de732f6a7c25bb6c011e112ba18ea827950939a2cabb4e424b688f6b6f2bcc5ac2eac902b49ccda7043ae93bea86
            097b077fbcc90d9fc3c82eda5bb946574a99c7ecabf6685c7a958d50dfc575163b81251bf3491829ffbda36131fe2af846c405b1ae3f301e1bafb496
            cbc2d9f596b10817b71982125a9ac335e931b4c417569371a9d5a39b076c93468629afdd7282c8a9df31e4102dd6a68e5c4a7c7515c48a6473ae5a89
            96454096e7f38e84286c7d0a428ad6dccee963a4614219c1988802c2e7c5eca120b1d4bfc51710a30fe83e73bb1cef2e974c13afd0112462f81a13c3
            da0ff39bfe2966fafa8ecaf37f6d241a1fdec9bedf77cee781ad350e8ef1d49f2586042f86240f7d5e4f572ad074463847c8f944fee1ac834c11e47e
            b1855e8da122ba15121be781c7524d015a74be050cd31a784d02c4bd0a32c86ab94fc8c725daab05f985053e0f90453076e6a1b945f6c21222522fcb
            910a7a8afec72c8389a671b793da83ec0c00d76f7b410a8cca2a8acad74b04e7bb919196d863a0fba57fa1e2399377c3989b9b76c1fd0fb673660957
            c3625c475fbea6469f9e3c65515dd6404127f9fb8a5828fda093c96f19a2d9733e114f2555895152aced1afa6636a688050f22ccbb3016bc707b50ef
            92d790d5a1d0f5b776eb2a7256ca50f3ba04aa71dcc20a6d011aff6b892bbb6db8fdc6344216653698dbc85ef5adf68627bf79b51eb9c918360e79c2
            441e2323620b154a7b5bb8da9552c4cee10d26ec845eac0a236b760431051d78f8c9a04868f913cda31806db4447b6797362f65daadadb2a44502a68
            caf68247fda64a13a3c0587612c466717db3351902257e116f2a9ecbd8e1fd7ed9da42e6ab2d38bee9577efe20d7f1d4198dda64e5cdd840ad468ca6
            3696067c37a9f20c5bd5827f14b61b1b26cbbf3ceecd3d1476d31a223b273e73b8e55e9cba592d7263164290fbd6c7867a15e7e1d66cf5df0dae5def
            f1c44beab6491d143ce489d11d698e2776af1cf7762f82fba8619c7e00d6b8dfa7164dc386375a1d94429fdfe0457f7d5e38b0267190a8c23ca5c7aa
            a9c445293514dab682292fef9a6a075504232cca89691ccbc3b1716d6a2f11195ef0190774b68a7b0197b1c2275458ece27aaf46d13bf79ec50af436
            0bf8108479d14fb03bf5f7ca5bf8fbce11f92b5ad0c31e290da5db57cd114a53f6f75da351dffd5b62c9b75be8c4234b32501858287591ab15a05dae
            35408afe02248f2e3f933c41c12962e6007442716152b69e41082104c123185a540fcd6d097840dd9964249b300d9223fc806f7876f69ee473f5e66c
            e926a21582f52bdae3eb0668b9cbcc9f886eddc9325ec4984a3568e116b4f81b66a29496186abc7b66747987f63f4d869f43dc92fc885709b306ac4f
            83bb6e490f8f86946ce797896c0b32f2a838bf894f842634b27640028b6101e51085622dbce30fc9d8e4d53ccca8c960272f39de6f2a5469aa9f99bd
            a93f005b1787e9014599c8ebb3d78ecc5e45d68bcc9cd4bed82dfee73d7c7871e5984068ef3b1efb82a649b3553bd971fad7f12aedf5a8616084bc67
            c483f55517625ac6f01917554c0529da1685cf637858b1f4e4b5cdffe12725a2962f2aa31898e62b7398ed457aab01164f2f88dab1c0aea308515ad0
            320fd24e0bf62d91be2f7c51cf30b705e492692056b11b0e7b0682edb143680c2b335a247b501658e321b3ee5b5a8ecb62b2f8b08582a137b022c38b
            38030eeaa48c57dc3fb6ff305e6624bb718d8ad0cc02487e331a328c270d0a36f30865a475115f2ead9ffe5207f567716842c34cfb7aee42b8f2e647
            b9beeea43cca857177bb0ad21f832cf4b7c613c699f05078c51385b46d81d49f3c2d088e6ac286888181f280ecdba04f44d2c1735a104a8a04c4a38c
            a84015cb8a54f0acd5687f236b5badf06c1f739b881009300519c8bb8f85e182c3a6c0057a283eb6d53289780d42d3d9f8c5bd105a7982b5f183e442
            3e50d74e152cee83e4a38964c39bbcc13f2dfef5e64896e69204c5ba76c7b459ea1a1ca7f649b77ea0bc6a6ef6182f34da15c4fb901d155408aa6af7
            ec5d50376add4947be75332f866c788cc523fb0ab4f1bea24dbf539495620824acbbd2149590f5e4c62979cc6faa4d758b34387ba7ba83a475a368dd
            102439f80d5c5028452cba3865dca28e326f7fe39dc2fdbf8a67acb760436b6751e9922d66b5e2aa52a92ef9f307c6ada7b2a68d5445630f36f0d195
            6717756930a9ae7a1140a2d492fde9e1c821fc61a66c5c2a093682a1814e8af4e0969e1d855b23966675a6dcdf2285a63ca35de207943774130c71ad
            45796e8d2538fdb928f78a3bbbcb07fc0f109801a7040168a322d021ca40496d596716188d76ab76f2757b1f6abadc6afcbebbaa62bdff2b510fbeeb
            864922189513194e71c7c08dbacf8dfbcabb3e5f7d248559c4457063e9529a889f9f14e6d17211e527a4533458fa5988324545136b3b8fc625146c47
            43e4fcb16ebb360fe57e949609847da4a4f0767cfdd109bf9cfb71a9dda30a1137bc7b1f4a15a1caaa2f3a196edf561576a87e9080d6a199ea5ac2ba
            456964f89ed3b1888b246c51f77c9d25ae2ef6bfa71b077c15cd26da2c531cb1b3df8f334e2033a58960b1daa45d537421e974da0e41a9f8122dafba
            3adb1446817ca6fc219c9c2e9c42869f89cbf4bd1f87e99e8310febcd16e5671ecec453106b8bf89ee3e82db1d4103d67ebe1ab801806c43de829c80
            a90931371b7e45299a0cf3138dfe7e6462d641b95c2c5b1c1d
            """),
        ("lz4-random", "lz4", "random",
            """
            04224d186840b80b000000000000f1b80b00808989a57520456d8461815412eed4b530450bb7e399d48eb06e2f77e9f79571ba2fe5bcf3b912139378
            8ea918ee75e489567adb3f809291776f62ef99b369834687edfb24aba75f69002d1228e523865e5322c2bcba6395329b349740e217e5fc09ba98e2ed
            9b0a5e6e77c81bca775509b71aa43042e153386abca9b47b374e322c64cd037887cacb3c8402c7950907e1f77bb9750ea284e155135bcf7761784268
            02d06143035806e26cfa063f71563e8d5d3962163ede85d351e768cd2c198236aedad346a66c69d746e7afbf46f879f1d75cd0534e1a7d5d8d835775
            31ea4c0d7d24327a09be4b932a019a0e21a6e89a035995bc6af01f6ae068746808a3f8668ae454d6c406048f327f9f239919e500f76a8b492a18c572
            62ce979e48fddcb8eb5313536ffced42749b97f74707c79ccbc588f3254ac6ee2bed990e8aae527cb9a946e8a1585c25098c5981c329e6e698a466b2
            f43d7a5652fd51b0666fb0290c1ec58ef3d2abaf0889bcbaa5379b54763dfc7c2fab3a20f036977d73f85037fbea683cfc2131598bcb9a9884e93c61
            7dca234c6e4b5cc71cd0436c4a01891f9f4508eb56ff469aa88bcb16f9f72382c481b11848d53ac1f0032d758342b45910667b92972343ea77ff252a
            9b18a731649b80d855002b8681062e92b572275b65879b2957447ec2116082cc040620e6755167842f86878eea131cb8794b3ca0b7df3fa9301c5199
            8ee6b9f5ca78e6180ed93e156c1da6524161d1e167844a9d1ea53f09b86113e806c9a29c8526513f486cdd83a57ee14a9f27240417d4a9ccb1137442
            87cc1c26904115b9cfc7bad43b421dc571628fed1c9fee1a20f5b1a5895fb44b3716c4cc4586ea453e15784eff93d5d36a7f07b3cfff051a1b9dba9f
            bec3d91d5ef564513dd0fa386ac6e326ab97dca6268ea415d18143fd9f861d326875baaf9422522e8f571b89ed9453d358850c353d47bb8a3a5b7fba
            466631d79eae2ff97355e8da555327305d3521ce1d973d794862a58b22c6914aa6f64e0579a710f491467dcda4fcf5265362a38e13044569df97bb8f
            a0fa51a457efcc351096369787ad698097895e6266d3338b5204fefe9a9e540ecd3097c0f30703de7cb478dbec42056a443438dd2f40283ef2ce3e2f
            102fc881c09e3c9710f74c79d539adb75abda704c4335d8e4662da1e0a9cdff4da026f60927d17204677fd7d335daf2466d6a9c52ec0a46d43efa1a4
            b3a4b94690cfa1225b04ff542f3f7062ad585619ab4462259c11e573bda0d647051fa21cca4db73f336dcf2a6107fca15c62788ebfc12a9d2360f897
            4d2ccf801746736f1f36083031ef5c9b7587fab258b3ef7c3b045aa5dee3b5d28b4de6c6024f05362841eb6c6ec27f9e0277c00bb88292dbb7c448b4
            e3d3f51c0eba7291de732f6a7c25bb6c011e112ba18ea827950939a2cabb4e424b688f6b6f2bcc5ac2eac902b49ccda7043ae93bea86097b077fbcc9
            0d9fc3c82eda5bb946574a99c7ecabf6685c7a958d50dfc575163b81251bf3491829ffbda36131fe2af846c405b1ae3f301e1bafb496cbc2d9f596b1
            0817b71982125a9ac335e931b4c417569371a9d5a39b076c93468629afdd7282c8a9df31e4102dd6a68e5c4a7c7515c48a6473ae5a8996454096e7f3
            8e84286c7d0a428ad6dccee963a4614219c1988802c2e7c5eca120b1d4bfc51710a30fe83e73bb1cef2e974c13afd0112462f81a13c3da0ff39bfe29
            66fafa8ecaf37f6d241a1fdec9bedf77cee781ad350e8ef1d49f2586042f86240f7d5e4f572ad074463847c8f944fee1ac834c11e47eb1855e8da122
            ba15121be781c7524d015a74be050cd31a784d02c4bd0a32c86ab94fc8c725daab05f985053e0f90453076e6a1b945f6c21222522fcb910a7a8afec7
            2c8389a671b793da83ec0c00d76f7b410a8cca2a8acad74b04e7bb919196d863a0fba57fa1e2399377c3989b9b76c1fd0fb673660957c3625c475fbe
            a6469f9e3c65515dd6404127f9fb8a5828fda093c96f19a2d9733e114f2555895152aced1afa6636a688050f22ccbb3016bc707b50ef92d790d5a1d0
            f5b776eb2a7256ca50f3ba04aa71dcc20a6d011aff6b892bbb6db8fdc6344216653698dbc85ef5adf68627bf79b51eb9c918360e79c2441e2323620b
            154a7b5bb8da9552c4cee10d26ec845eac0a236b760431051d78f8c9a04868f913cda31806db4447b6797362f65daadadb2a44502a68caf68247fda6
            4a13a3c0587612c466717db3351902257e116f2a9ecbd8e1fd7ed9da42e6ab2d38bee9577efe20d7f1d4198dda64e5cdd840ad468ca63696067c37a9
            f20c5bd5827f14b61b1b26cbbf3ceecd3d1476d31a223b273e73b8e55e9cba592d7263164290fbd6c7867a15e7e1d66cf5df0dae5deff1c44beab649
            1d143ce489d11d698e2776af1cf7762f82fba8619c7e00d6b8dfa7164dc386375a1d94429fdfe0457f7d5e38b0267190a8c23ca5c7aaa9c445293514
            dab682292fef9a6a075504232cca89691ccbc3b1716d6a2f11195ef0190774b68a7b0197b1c2275458ece27aaf46d13bf79ec50af4360bf8108479d1
            4fb03bf5f7ca5bf8fbce11f92b5ad0c31e290da5db57cd114a53f6f75da351dffd5b62c9b75be8c4234b32501858287591ab15a05dae35408afe0224
            8f2e3f933c41c12962e6007442716152b69e41082104c123185a540fcd6d097840dd9964249b300d9223fc806f7876f69ee473f5e66ce926a21582f5
            2bdae3eb0668b9cbcc9f886eddc9325ec4984a3568e116b4f81b66a29496186abc7b66747987f63f4d869f43dc92fc885709b306ac4f83bb6e490f8f
            86946ce797896c0b32f2a838bf894f842634b27640028b6101e51085622dbce30fc9d8e4d53ccca8c960272f39de6f2a5469aa9f99bda93f005b1787
            e9014599c8ebb3d78ecc5e45d68bcc9cd4bed82dfee73d7c7871e5984068ef3b1efb82a649b3553bd971fad7f12aedf5a8616084bc67c483f5551762
            5ac6f01917554c0529da1685cf637858b1f4e4b5cdffe12725a2962f2aa31898e62b7398ed457aab01164f2f88dab1c0aea308515ad0320fd24e0bf6
            2d91be2f7c51cf30b705e492692056b11b0e7b0682edb143680c2b335a247b501658e321b3ee5b5a8ecb62b2f8b08582a137b022c38b38030eeaa48c
            57dc3fb6ff305e6624bb718d8ad0cc02487e331a328c270d0a36f30865a475115f2ead9ffe5207f567716842c34cfb7aee42b8f2e647b9beeea43cca
            857177bb0ad21f832cf4b7c613c699f05078c51385b46d81d49f3c2d088e6ac286888181f280ecdba04f44d2c1735a104a8a04c4a38ca84015cb8a54
            f0acd5687f236b5badf06c1f739b881009300519c8bb8f85e182c3a6c0057a283eb6d53289780d42d3d9f8c5bd105a7982b5f183e4423e50d74e152c
            ee83e4a38964c39bbcc13f2dfef5e64896e69204c5ba76c7b459ea1a1ca7f649b77ea0bc6a6ef6182f34da15c4fb901d155408aa6af7ec5d50376add
            4947be75332f866c788cc523fb0ab4f1bea24dbf539495620824acbbd2149590f5e4c62979cc6faa4d758b34387ba7ba83a475a368dd102439f80d5c
            5028452cba3865dca28e326f7fe39dc2fdbf8a67acb760436b6751e9922d66b5e2aa52a92ef9f307c6ada7b2a68d5445630f36f0d1956717756930a9
            ae7a1140a2d492fde9e1c821fc61a66c5c2a093682a1814e8af4e0969e1d855b23966675a6dcdf2285a63ca35de207943774130c71ad45796e8d2538
            fdb928f78a3bbbcb07fc0f109801a7040168a322d021ca40496d596716188d76ab76f2757b1f6abadc6afcbebbaa62bdff2b510fbeeb864922189513
            194e71c7c08dbacf8dfbcabb3e5f7d248559c4457063e9529a889f9f14e6d17211e527a4533458fa5988324545136b3b8fc625146c4743e4fcb16ebb
            360fe57e949609847da4a4f0767cfdd109bf9cfb71a9dda30a1137bc7b1f4a15a1caaa2f3a196edf561576a87e9080d6a199ea5ac2ba456964f89ed3
            b1888b246c51f77c9d25ae2ef6bfa71b077c15cd26da2c531cb1b3df8f334e2033a58960b1daa45d537421e974da0e41a9f8122dafba3adb1446817c
            a6fc219c9c2e9c42869f89cbf4bd1f87e99e8310febcd16e5671ecec453106b8bf89ee3e82db1d4103d67ebe1ab801806c43de829c80a90931371b7e
            45299a0cf3138dfe7e6462d641b95c2c5b1c1d00000000
            """),
        ("lz4-checksums-random", "lz4", "random",
            """
            04224d187c40b80b0000000000000fb80b00808989a57520456d8461815412eed4b530450bb7e399d48eb06e2f77e9f79571ba2fe5bcf3b912139378
            8ea918ee75e489567adb3f809291776f62ef99b369834687edfb24aba75f69002d1228e523865e5322c2bcba6395329b349740e217e5fc09ba98e2ed
            9b0a5e6e77c81bca775509b71aa43042e153386abca9b47b374e322c64cd037887cacb3c8402c7950907e1f77bb9750ea284e155135bcf7761784268
            02d06143035806e26cfa063f71563e8d5d3962163ede85d351e768cd2c198236aedad346a66c69d746e7afbf46f879f1d75cd0534e1a7d5d8d835775
            31ea4c0d7d24327a09be4b932a019a0e21a6e89a035995bc6af01f6ae068746808a3f8668ae454d6c406048f327f9f239919e500f76a8b492a18c572
            62ce979e48fddcb8eb5313536ffced42749b97f74707c79ccbc588f3254ac6ee2bed990e8aae527cb9a946e8a1585c25098c5981c329e6e698a466b2
            f43d7a5652fd51b0666fb0290c1ec58ef3d2abaf0889bcbaa5379b54763dfc7c2fab3a20f036977d73f85037fbea683cfc2131598bcb9a9884e93c61
            7dca234c6e4b5cc71cd0436c4a01891f9f4508eb56ff469aa88bcb16f9f72382c481b11848d53ac1f0032d758342b45910667b92972343ea77ff252a
            9b18a731649b80d855002b8681062e92b572275b65879b2957447ec2116082cc040620e6755167842f86878eea131cb8794b3ca0b7df3fa9301c5199
            8ee6b9f5ca78e6180ed93e156c1da6524161d1e167844a9d1ea53f09b86113e806c9a29c8526513f486cdd83a57ee14a9f27240417d4a9ccb1137442
            87cc1c26904115b9cfc7bad43b421dc571628fed1c9fee1a20f5b1a5895fb44b3716c4cc4586ea453e15784eff93d5d36a7f07b3cfff051a1b9dba9f
            bec3d91d5ef564513dd0fa386ac6e326ab97dca6268ea415d18143fd9f861d326875baaf9422522e8f571b89ed9453d358850c353d47bb8a3a5b7fba
            466631d79eae2ff97355e8da555327305d3521ce1d973d794862a58b22c6914aa6f64e0579a710f491467dcda4fcf5265362a38e13044569df97bb8f
            a0fa51a457efcc351096369787ad698097895e6266d3338b5204fefe9a9e540ecd3097c0f30703de7cb478dbec42056a443438dd2f40283ef2ce3e2f
            102fc881c09e3c9710f74c79d539adb75abda704c4335d8e4662da1e0a9cdff4da026f60927d17204677fd7d335daf2466d6a9c52ec0a46d43efa1a4
            b3a4b94690cfa1225b04ff542f3f7062ad585619ab4462259c11e573bda0d647051fa21cca4db73f336dcf2a6107fca15c62788ebfc12a9d2360f897
            4d2ccf801746736f1f36083031ef5c9b7587fab258b3ef7c3b045aa5dee3b5d28b4de6c6024f05362841eb6c6ec27f9e0277c00bb88292dbb7c448b4
            e3d3f51c0eba7291de732f6a7c25bb6c011e112ba18ea827950939a2cabb4e424b688f6b6f2bcc5ac2eac902b49ccda7043ae93bea86097b077fbcc9
            0d9fc3c82eda5bb946574a99c7ecabf6685c7a958d50dfc575163b81251bf3491829ffbda36131fe2af846c405b1ae3f301e1bafb496cbc2d9f596b1
            0817b71982125a9ac335e931b4c417569371a9d5a39b076c93468629afdd7282c8a9df31e4102dd6a68e5c4a7c7515c48a6473ae5a8996454096e7f3
            8e84286c7d0a428ad6dccee963a4614219c1988802c2e7c5eca120b1d4bfc51710a30fe83e73bb1cef2e974c13afd0112462f81a13c3da0ff39bfe29
            66fafa8ecaf37f6d241a1fdec9bedf77cee781ad350e8ef1d49f2586042f86240f7d5e4f572ad074463847c8f944fee1ac834c11e47eb1855e8da122
            ba15121be781c7524d015a74be050cd31a784d02c4bd0a32c86ab94fc8c725daab05f985053e0f90453076e6a1b945f6c21222522fcb910a7a8afec7
            2c8389a671b793da83ec0c00d76f7b410a8cca2a8acad74b04e7bb919196d863a0fba57fa1e2399377c3989b9b76c1fd0fb673660957c3625c475fbe
            a6469f9e3c65515dd6404127f9fb8a5828fda093c96f19a2d9733e114f2555895152aced1afa6636a688050f22ccbb3016bc707b50ef92d790d5a1d0
            f5b776eb2a7256ca50f3ba04aa71dcc20a6d011aff6b892bbb6db8fdc6344216653698dbc85ef5adf68627bf79b51eb9c918360e79c2441e2323620b
            154a7b5bb8da9552c4cee10d26ec845eac0a236b760431051d78f8c9a04868f913cda31806db4447b6797362f65daadadb2a44502a68caf68247fda6
            4a13a3c0587612c466717db3351902257e116f2a9ecbd8e1fd7ed9da42e6ab2d38bee9577efe20d7f1d4198dda64e5cdd840ad468ca63696067c37a9
            f20c5bd5827f14b61b1b26cbbf3ceecd3d1476d31a223b273e73b8e55e9cba592d7263164290fbd6c7867a15e7e1d66cf5df0dae5deff1c44beab649
            1d143ce489d11d698e2776af1cf7762f82fba8619c7e00d6b8dfa7164dc386375a1d94429fdfe0457f7d5e38b0267190a8c23ca5c7aaa9c445293514
            dab682292fef9a6a075504232cca89691ccbc3b1716d6a2f11195ef0190774b68a7b0197b1c2275458ece27aaf46d13bf79ec50af4360bf8108479d1
            4fb03bf5f7ca5bf8fbce11f92b5ad0c31e290da5db57cd114a53f6f75da351dffd5b62c9b75be8c4234b32501858287591ab15a05dae35408afe0224
            8f2e3f933c41c12962e6007442716152b69e41082104c123185a540fcd6d097840dd9964249b300d9223fc806f7876f69ee473f5e66ce926a21582f5
            2bdae3eb0668b9cbcc9f886eddc9325ec4984a3568e116b4f81b66a29496186abc7b66747987f63f4d869f43dc92fc885709b306ac4f83bb6e490f8f
            86946ce797896c0b32f2a838bf894f842634b27640028b6101e51085622dbce30fc9d8e4d53ccca8c960272f39de6f2a5469aa9f99bda93f005b1787
            e9014599c8ebb3d78ecc5e45d68bcc9cd4bed82dfee73d7c7871e5984068ef3b1efb82a649b3553bd971fad7f12aedf5a8616084bc67c483f5551762
            5ac6f01917554c0529da1685cf637858b1f4e4b5cdffe12725a2962f2aa31898e62b7398ed457aab01164f2f88dab1c0aea308515ad0320fd24e0bf6
            2d91be2f7c51cf30b705e492692056b11b0e7b0682edb143680c2b335a247b501658e321b3ee5b5a8ecb62b2f8b08582a137b022c38b38030eeaa48c
            57dc3fb6ff305e6624bb718d8ad0cc02487e331a328c270d0a36f30865a475115f2ead9ffe5207f567716842c34cfb7aee42b8f2e647b9beeea43cca
            857177bb0ad21f832cf4b7c613c699f05078c51385b46d81d49f3c2d088e6ac286888181f280ecdba04f44d2c1735a104a8a04c4a38ca84015cb8a54
            f0acd5687f236b5badf06c1f739b881009300519c8bb8f85e182c3a6c0057a283eb6d53289780d42d3d9f8c5bd105a7982b5f183e4423e50d74e152c
            ee83e4a38964c39bbcc13f2dfef5e64896e69204c5ba76c7b459ea1a1ca7f649b77ea0bc6a6ef6182f34da15c4fb901d155408aa6af7ec5d50376add
            4947be75332f866c788cc523fb0ab4f1bea24dbf539495620824acbbd2149590f5e4c62979cc6faa4d758b34387ba7ba83a475a368dd102439f80d5c
            5028452cba3865dca28e326f7fe39dc2fdbf8a67acb760436b6751e9922d66b5e2aa52a92ef9f307c6ada7b2a68d5445630f36f0d1956717756930a9
            ae7a1140a2d492fde9e1c821fc61a66c5c2a093682a1814e8af4e0969e1d855b23966675a6dcdf2285a63ca35de207943774130c71ad45796e8d2538
            fdb928f78a3bbbcb07fc0f109801a7040168a322d021ca40496d596716188d76ab76f2757b1f6abadc6afcbebbaa62bdff2b510fbeeb864922189513
            194e71c7c08dbacf8dfbcabb3e5f7d248559c4457063e9529a889f9f14e6d17211e527a4533458fa5988324545136b3b8fc625146c4743e4fcb16ebb
            360fe57e949609847da4a4f0767cfdd109bf9cfb71a9dda30a1137bc7b1f4a15a1caaa2f3a196edf561576a87e9080d6a199ea5ac2ba456964f89ed3
            b1888b246c51f77c9d25ae2ef6bfa71b077c15cd26da2c531cb1b3df8f334e2033a58960b1daa45d537421e974da0e41a9f8122dafba3adb1446817c
            a6fc219c9c2e9c42869f89cbf4bd1f87e99e8310febcd16e5671ecec453106b8bf89ee3e82db1d4103d67ebe1ab801806c43de829c80a90931371b7e
            45299a0cf3138dfe7e6462d641b95c2c5b1c1d5f8ee651000000005f8ee651
            """),
        ("gzip-random", "gzip", "random",
            """
            1f8b080000000000020301b80b47f48989a57520456d8461815412eed4b530450bb7e399d48eb06e2f77e9f79571ba2fe5bcf3b9121393788ea918ee
            75e489567adb3f809291776f62ef99b369834687edfb24aba75f69002d1228e523865e5322c2bcba6395329b349740e217e5fc09ba98e2ed9b0a5e6e
            77c81bca775509b71aa43042e153386abca9b47b374e322c64cd037887cacb3c8402c7950907e1f77bb9750ea284e155135bcf776178426802d06143
            035806e26cfa063f71563e8d5d3962163ede85d351e768cd2c198236aedad346a66c69d746e7afbf46f879f1d75cd0534e1a7d5d8d83577531ea4c0d
            7d24327a09be4b932a019a0e21a6e89a035995bc6af01f6ae068746808a3f8668ae454d6c406048f327f9f239919e500f76a8b492a18c57262ce979e
            48fddcb8eb5313536ffced42749b97f74707c79ccbc588f3254ac6ee2bed990e8aae527cb9a946e8a1585c25098c5981c329e6e698a466b2f43d7a56
            52fd51b0666fb0290c1ec58ef3d2abaf0889bcbaa5379b54763dfc7c2fab3a20f036977d73f85037fbea683cfc2131598bcb9a9884e93c617dca234c
            6e4b5cc71cd0436c4a01891f9f4508eb56ff469aa88bcb16f9f72382c481b11848d53ac1f0032d758342b45910667b92972343ea77ff252a9b18a731
            649b80d855002b8681062e92b572275b65879b2957447ec2116082cc040620e6755167842f86878eea131cb8794b3ca0b7df3fa9301c51998ee6b9f5
            ca78e6180ed93e156c1da6524161d1e167844a9d1ea53f09b86113e806c9a29c8526513f486cdd83a57ee14a9f27240417d4a9ccb113744287cc1c26
            904115b9cfc7bad43b421dc571628fed1c9fee1a20f5b1a5895fb44b3716c4cc4586ea453e15784eff93d5d36a7f07b3cfff051a1b9dba9fbec3d91d
            5ef564513dd0fa386ac6e326ab97dca6268ea415d18143fd9f861d326875baaf9422522e8f571b89ed9453d358850c353d47bb8a3a5b7fba466631d7
            9eae2ff97355e8da555327305d3521ce1d973d794862a58b22c6914aa6f64e0579a710f491467dcda4fcf5265362a38e13044569df97bb8fa0fa51a4
            57efcc351096369787ad698097895e6266d3338b5204fefe9a9e540ecd3097c0f30703de7cb478dbec42056a443438dd2f40283ef2ce3e2f102fc881
            c09e3c9710f74c79d539adb75abda704c4335d8e4662da1e0a9cdff4da026f60927d17204677fd7d335daf2466d6a9c52ec0a46d43efa1a4b3a4b946
            90cfa1225b04ff542f3f7062ad585619ab4462259c11e573bda0d647051fa21cca4db73f336dcf2a6107fca15c62788ebfc12a9d2360f8974d2ccf80
            1746736f1f36083031ef5c9b7587fab258b3ef7c3b045aa5dee3b5d28b4de6c6024f05362841eb6c6ec27f9e0277c00bb88292dbb7c448b4e3d3f51c
            0eba7291de732f6a7c25bb6c011e112ba18ea827950939a2cabb4e424b688f6b6f2bcc5ac2eac902b49ccda7043ae93bea86097b077fbcc90d9fc3c8
            2eda5bb946574a99c7ecabf6685c7a958d50dfc575163b81251bf3491829ffbda36131fe2af846c405b1ae3f301e1bafb496cbc2d9f596b10817b719
            82125a9ac335e931b4c417569371a9d5a39b076c93468629afdd7282c8a9df31e4102dd6a68e5c4a7c7515c48a6473ae5a8996454096e7f38e84286c
            7d0a428ad6dccee963a4614219c1988802c2e7c5eca120b1d4bfc51710a30fe83e73bb1cef2e974c13afd0112462f81a13c3da0ff39bfe2966fafa8e
            caf37f6d241a1fdec9bedf77cee781ad350e8ef1d49f2586042f86240f7d5e4f572ad074463847c8f944fee1ac834c11e47eb1855e8da122ba15121b
            e781c7524d015a74be050cd31a784d02c4bd0a32c86ab94fc8c725daab05f985053e0f90453076e6a1b945f6c21222522fcb910a7a8afec72c8389a6
            71b793da83ec0c00d76f7b410a8cca2a8acad74b04e7bb919196d863a0fba57fa1e2399377c3989b9b76c1fd0fb673660957c3625c475fbea6469f9e
            3c65515dd6404127f9fb8a5828fda093c96f19a2d9733e114f2555895152aced1afa6636a688050f22ccbb3016bc707b50ef92d790d5a1d0f5b776eb
            2a7256ca50f3ba04aa71dcc20a6d011aff6b892bbb6db8fdc6344216653698dbc85ef5adf68627bf79b51eb9c918360e79c2441e2323620b154a7b5b
            b8da9552c4cee10d26ec845eac0a236b760431051d78f8c9a04868f913cda31806db4447b6797362f65daadadb2a44502a68caf68247fda64a13a3c0
            587612c466717db3351902257e116f2a9ecbd8e1fd7ed9da42e6ab2d38bee9577efe20d7f1d4198dda64e5cdd840ad468ca63696067c37a9f20c5bd5
            827f14b61b1b26cbbf3ceecd3d1476d31a223b273e73b8e55e9cba592d7263164290fbd6c7867a15e7e1d66cf5df0dae5deff1c44beab6491d143ce4
            89d11d698e2776af1cf7762f82fba8619c7e00d6b8dfa7164dc386375a1d94429fdfe0457f7d5e38b0267190a8c23ca5c7aaa9c445293514dab68229
            2fef9a6a075504232cca89691ccbc3b1716d6a2f11195ef0190774b68a7b0197b1c2275458ece27aaf46d13bf79ec50af4360bf8108479d14fb03bf5
            f7ca5bf8fbce11f92b5ad0c31e290da5db57cd114a53f6f75da351dffd5b62c9b75be8c4234b32501858287591ab15a05dae35408afe02248f2e3f93
            3c41c12962e6007442716152b69e41082104c123185a540fcd6d097840dd9964249b300d9223fc806f7876f69ee473f5e66ce926a21582f52bdae3eb
            0668b9cbcc9f886eddc9325ec4984a3568e116b4f81b66a29496186abc7b66747987f63f4d869f43dc92fc885709b306ac4f83bb6e490f8f86946ce7
            97896c0b32f2a838bf894f842634b27640028b6101e51085622dbce30fc9d8e4d53ccca8c960272f39de6f2a5469aa9f99bda93f005b1787e9014599
            c8ebb3d78ecc5e45d68bcc9cd4bed82dfee73d7c7871e5984068ef3b1efb82a649b3553bd971fad7f12aedf5a8616084bc67c483f55517625ac6f019
            17554c0529da1685cf637858b1f4e4b5cdffe12725a2962f2aa31898e62b7398ed457aab01164f2f88dab1c0aea308515ad0320fd24e0bf62d91be2f
            7c51cf30b705e492692056b11b0e7b0682edb143680c2b335a247b501658e321b3ee5b5a8ecb62b2f8b08582a137b022c38b38030eeaa48c57dc3fb6
            ff305e6624bb718d8ad0cc02487e331a328c270d0a36f30865a475115f2ead9ffe5207f567716842c34cfb7aee42b8f2e647b9beeea43cca857177bb
            0ad21f832cf4b7c613c699f05078c51385b46d81d49f3c2d088e6ac286888181f280ecdba04f44d2c1735a104a8a04c4a38ca84015cb8a54f0acd568
            7f236b5badf06c1f739b881009300519c8bb8f85e182c3a6c0057a283eb6d53289780d42d3d9f8c5bd105a7982b5f183e4423e50d74e152cee83e4a3
            8964c39bbcc13f2dfef5e64896e69204c5ba76c7b459ea1a1ca7f649b77ea0bc6a6ef6182f34da15c4fb901d155408aa6af7ec5d50376add4947be75
            332f866c788cc523fb0ab4f1bea24dbf539495620824acbbd2149590f5e4c62979cc6faa4d758b34387ba7ba83a475a368dd102439f80d5c5028452c
            ba3865dca28e326f7fe39dc2fdbf8a67acb760436b6751e9922d66b5e2aa52a92ef9f307c6ada7b2a68d5445630f36f0d1956717756930a9ae7a1140
            a2d492fde9e1c821fc61a66c5c2a093682a1814e8af4e0969e1d855b23966675a6dcdf2285a63ca35de207943774130c71ad45796e8d2538fdb928f7
            8a3bbbcb07fc0f109801a7040168a322d021ca40496d596716188d76ab76f2757b1f6abadc6afcbebbaa62bdff2b510fbeeb864922189513194e71c7
            c08dbacf8dfbcabb3e5f7d248559c4457063e9529a889f9f14e6d17211e527a4533458fa5988324545136b3b8fc625146c4743e4fcb16ebb360fe57e
            949609847da4a4f0767cfdd109bf9cfb71a9dda30a1137bc7b1f4a15a1caaa2f3a196edf561576a87e9080d6a199ea5ac2ba456964f89ed3b1888b24
            6c51f77c9d25ae2ef6bfa71b077c15cd26da2c531cb1b3df8f334e2033a58960b1daa45d537421e974da0e41a9f8122dafba3adb1446817ca6fc219c
            9c2e9c42869f89cbf4bd1f87e99e8310febcd16e5671ecec453106b8bf89ee3e82db1d4103d67ebe1ab801806c43de829c80a90931371b7e45299a0c
            f3138dfe7e6462d641b95c2c5b1c1d3036ca79b80b0000
            """),
        ("gzip-fname-random", "gzip", "random",
            """
            1f8b08080000000002ff7265636f7264732e62696e0001b80b47f48989a57520456d8461815412eed4b530450bb7e399d48eb06e2f77e9f79571ba2f
            e5bcf3b9121393788ea918ee75e489567adb3f809291776f62ef99b369834687edfb24aba75f69002d1228e523865e5322c2bcba6395329b349740e2
            17e5fc09ba98e2ed9b0a5e6e77c81bca775509b71aa43042e153386abca9b47b374e322c64cd037887cacb3c8402c7950907e1f77bb9750ea284e155
            135bcf776178426802d06143035806e26cfa063f71563e8d5d3962163ede85d351e768cd2c198236aedad346a66c69d746e7afbf46f879f1d75cd053
            4e1a7d5d8d83577531ea4c0d7d24327a09be4b932a019a0e21a6e89a035995bc6af01f6ae068746808a3f8668ae454d6c406048f327f9f239919e500
            f76a8b492a18c57262ce979e48fddcb8eb5313536ffced42749b97f74707c79ccbc588f3254ac6ee2bed990e8aae527cb9a946e8a1585c25098c5981
            c329e6e698a466b2f43d7a5652fd51b0666fb0290c1ec58ef3d2abaf0889bcbaa5379b54763dfc7c2fab3a20f036977d73f85037fbea683cfc213159
            8bcb9a9884e93c617dca234c6e4b5cc71cd0436c4a01891f9f4508eb56ff469aa88bcb16f9f72382c481b11848d53ac1f0032d758342b45910667b92
            972343ea77ff252a9b18a731649b80d855002b8681062e92b572275b65879b2957447ec2116082cc040620e6755167842f86878eea131cb8794b3ca0
            b7df3fa9301c51998ee6b9f5ca78e6180ed93e156c1da6524161d1e167844a9d1ea53f09b86113e806c9a29c8526513f486cdd83a57ee14a9f272404
            17d4a9ccb113744287cc1c26904115b9cfc7bad43b421dc571628fed1c9fee1a20f5b1a5895fb44b3716c4cc4586ea453e15784eff93d5d36a7f07b3
            cfff051a1b9dba9fbec3d91d5ef564513dd0fa386ac6e326ab97dca6268ea415d18143fd9f861d326875baaf9422522e8f571b89ed9453d358850c35
            3d47bb8a3a5b7fba466631d79eae2ff97355e8da555327305d3521ce1d973d794862a58b22c6914aa6f64e0579a710f491467dcda4fcf5265362a38e
            13044569df97bb8fa0fa51a457efcc351096369787ad698097895e6266d3338b5204fefe9a9e540ecd3097c0f30703de7cb478dbec42056a443438dd
            2f40283ef2ce3e2f102fc881c09e3c9710f74c79d539adb75abda704c4335d8e4662da1e0a9cdff4da026f60927d17204677fd7d335daf2466d6a9c5
            2ec0a46d43efa1a4b3a4b94690cfa1225b04ff542f3f7062ad585619ab4462259c11e573bda0d647051fa21cca4db73f336dcf2a6107fca15c62788e
            bfc12a9d2360f8974d2ccf801746736f1f36083031ef5c9b7587fab258b3ef7c3b045aa5dee3b5d28b4de6c6024f05362841eb6c6ec27f9e0277c00b
            b88292dbb7c448b4e3d3f51c0eba7291de732f6a7c25bb6c011e112ba18ea827950939a2cabb4e424b688f6b6f2bcc5ac2eac902b49ccda7043ae93b
            ea86097b077fbcc90d9fc3c82eda5bb946574a99c7ecabf6685c7a958d50dfc575163b81251bf3491829ffbda36131fe2af846c405b1ae3f301e1baf
            b496cbc2d9f596b10817b71982125a9ac335e931b4c417569371a9d5a39b076c93468629afdd7282c8a9df31e4102dd6a68e5c4a7c7515c48a6473ae
            5a8996454096e7f38e84286c7d0a428ad6dccee963a4614219c1988802c2e7c5eca120b1d4bfc51710a30fe83e73bb1cef2e974c13afd0112462f81a
            13c3da0ff39bfe2966fafa8ecaf37f6d241a1fdec9bedf77cee781ad350e8ef1d49f2586042f86240f7d5e4f572ad074463847c8f944fee1ac834c11
            e47eb1855e8da122ba15121be781c7524d015a74be050cd31a784d02c4bd0a32c86ab94fc8c725daab05f985053e0f90453076e6a1b945f6c2122252
            2fcb910a7a8afec72c8389a671b793da83ec0c00d76f7b410a8cca2a8acad74b04e7bb919196d863a0fba57fa1e2399377c3989b9b76c1fd0fb67366
            0957c3625c475fbea6469f9e3c65515dd6404127f9fb8a5828fda093c96f19a2d9733e114f2555895152aced1afa6636a688050f22ccbb3016bc707b
            50ef92d790d5a1d0f5b776eb2a7256ca50f3ba04aa71dcc20a6d011aff6b892bbb6db8fdc6344216653698dbc85ef5adf68627bf79b51eb9c918360e
            79c2441e2323620b154a7b5bb8da9552c4cee10d26ec845eac0a236b760431051d78f8c9a04868f913cda31806db4447b6797362f65daadadb2a4450
            2a68caf68247fda64a13a3c0587612c466717db3351902257e116f2a9ecbd8e1fd7ed9da42e6ab2d38bee9577efe20d7f1d4198dda64e5cdd840ad46
            8ca63696067c37a9f20c5bd5827f14b61b1b26cbbf3ceecd3d1476d31a223b273e73b8e55e9cba592d7263164290fbd6c7867a15e7e1d66cf5df0dae
            5deff1c44beab6491d143ce489d11d698e2776af1cf7762f82fba8619c7e00d6b8dfa7164dc386375a1d94429fdfe0457f7d5e38b0267190a8c23ca5
            c7aaa9c445293514dab682292fef9a6a075504232cca89691ccbc3b1716d6a2f11195ef0190774b68a7b0197b1c2275458ece27aaf46d13bf79ec50a
            f4360bf8108479d14fb03bf5f7ca5bf8fbce11f92b5ad0c31e290da5db57cd114a53f6f75da351dffd5b62c9b75be8c4234b32501858287591ab15a0
            5dae35408afe02248f2e3f933c41c12962e6007442716152b69e41082104c123185a540fcd6d097840dd9964249b300d9223fc806f7876f69ee473f5
            e66ce926a21582f52bdae3eb0668b9cbcc9f886eddc9325ec4984a3568e116b4f81b66a29496186abc7b66747987f63f4d869f43dc92fc885709b306
            ac4f83bb6e490f8f86946ce797896c0b32f2a838bf894f842634b27640028b6101e51085622dbce30fc9d8e4d53ccca8c960272f39de6f2a5469aa9f
            99bda93f005b1787e9014599c8ebb3d78ecc5e45d68bcc9cd4bed82dfee73d7c7871e5984068ef3b1efb82a649b3553bd971fad7f12aedf5a8616084
            bc67c483f55517625ac6f01917554c0529da1685cf637858b1f4e4b5cdffe12725a2962f2aa31898e62b7398ed457aab01164f2f88dab1c0aea30851
            5ad0320fd24e0bf62d91be2f7c51cf30b705e492692056b11b0e7b0682edb143680c2b335a247b501658e321b3ee5b5a8ecb62b2f8b08582a137b022
            c38b38030eeaa48c57dc3fb6ff305e6624bb718d8ad0cc02487e331a328c270d0a36f30865a475115f2ead9ffe5207f567716842c34cfb7aee42b8f2
            e647b9beeea43cca857177bb0ad21f832cf4b7c613c699f05078c51385b46d81d49f3c2d088e6ac286888181f280ecdba04f44d2c1735a104a8a04c4
            a38ca84015cb8a54f0acd5687f236b5badf06c1f739b881009300519c8bb8f85e182c3a6c0057a283eb6d53289780d42d3d9f8c5bd105a7982b5f183
            e4423e50d74e152cee83e4a38964c39bbcc13f2dfef5e64896e69204c5ba76c7b459ea1a1ca7f649b77ea0bc6a6ef6182f34da15c4fb901d155408aa
            6af7ec5d50376add4947be75332f866c788cc523fb0ab4f1bea24dbf539495620824acbbd2149590f5e4c62979cc6faa4d758b34387ba7ba83a475a3
            68dd102439f80d5c5028452cba3865dca28e326f7fe39dc2fdbf8a67acb760436b6751e9922d66b5e2aa52a92ef9f307c6ada7b2a68d5445630f36f0
            d1956717756930a9ae7a1140a2d492fde9e1c821fc61a66c5c2a093682a1814e8af4e0969e1d855b23966675a6dcdf2285a63ca35de207943774130c
            71ad45796e8d2538fdb928f78a3bbbcb07fc0f109801a7040168a322d021ca40496d596716188d76ab76f2757b1f6abadc6afcbebbaa62bdff2b510f
            beeb864922189513194e71c7c08dbacf8dfbcabb3e5f7d248559c4457063e9529a889f9f14e6d17211e527a4533458fa5988324545136b3b8fc62514
            6c4743e4fcb16ebb360fe57e949609847da4a4f0767cfdd109bf9cfb71a9dda30a1137bc7b1f4a15a1caaa2f3a196edf561576a87e9080d6a199ea5a
            c2ba456964f89ed3b1888b246c51f77c9d25ae2ef6bfa71b077c15cd26da2c531cb1b3df8f334e2033a58960b1daa45d537421e974da0e41a9f8122d
            afba3adb1446817ca6fc219c9c2e9c42869f89cbf4bd1f87e99e8310febcd16e5671ecec453106b8bf89ee3e82db1d4103d67ebe1ab801806c43de82
            9c80a90931371b7e45299a0cf3138dfe7e6462d641b95c2c5b1c1d3036ca79b80b0000
            """),
        ("gzip-stored-random", "gzip", "random",
            """
            1f8b080000000000040301b80b47f48989a57520456d8461815412eed4b530450bb7e399d48eb06e2f77e9f79571ba2fe5bcf3b9121393788ea918ee
            75e489567adb3f809291776f62ef99b369834687edfb24aba75f69002d1228e523865e5322c2bcba6395329b349740e217e5fc09ba98e2ed9b0a5e6e
            77c81bca775509b71aa43042e153386abca9b47b374e322c64cd037887cacb3c8402c7950907e1f77bb9750ea284e155135bcf776178426802d06143
            035806e26cfa063f71563e8d5d3962163ede85d351e768cd2c198236aedad346a66c69d746e7afbf46f879f1d75cd0534e1a7d5d8d83577531ea4c0d
            7d24327a09be4b932a019a0e21a6e89a035995bc6af01f6ae068746808a3f8668ae454d6c406048f327f9f239919e500f76a8b492a18c57262ce979e
            48fddcb8eb5313536ffced42749b97f74707c79ccbc588f3254ac6ee2bed990e8aae527cb9a946e8a1585c25098c5981c329e6e698a466b2f43d7a56
            52fd51b0666fb0290c1ec58ef3d2abaf0889bcbaa5379b54763dfc7c2fab3a20f036977d73f85037fbea683cfc2131598bcb9a9884e93c617dca234c
            6e4b5cc71cd0436c4a01891f9f4508eb56ff469aa88bcb16f9f72382c481b11848d53ac1f0032d758342b45910667b92972343ea77ff252a9b18a731
            649b80d855002b8681062e92b572275b65879b2957447ec2116082cc040620e6755167842f86878eea131cb8794b3ca0b7df3fa9301c51998ee6b9f5
            ca78e6180ed93e156c1da6524161d1e167844a9d1ea53f09b86113e806c9a29c8526513f486cdd83a57ee14a9f27240417d4a9ccb113744287cc1c26
            904115b9cfc7bad43b421dc571628fed1c9fee1a20f5b1a5895fb44b3716c4cc4586ea453e15784eff93d5d36a7f07b3cfff051a1b9dba9fbec3d91d
            5ef564513dd0fa386ac6e326ab97dca6268ea415d18143fd9f861d326875baaf9422522e8f571b89ed9453d358850c353d47bb8a3a5b7fba466631d7
            9eae2ff97355e8da555327305d3521ce1d973d794862a58b22c6914aa6f64e0579a710f491467dcda4fcf5265362a38e13044569df97bb8fa0fa51a4
            57efcc351096369787ad698097895e6266d3338b5204fefe9a9e540ecd3097c0f30703de7cb478dbec42056a443438dd2f40283ef2ce3e2f102fc881
            c09e3c9710f74c79d539adb75abda704c4335d8e4662da1e0a9cdff4da026f60927d17204677fd7d335daf2466d6a9c52ec0a46d43efa1a4b3a4b946
            90cfa1225b04ff542f3f7062ad585619ab4462259c11e573bda0d647051fa21cca4db73f336dcf2a6107fca15c62788ebfc12a9d2360f8974d2ccf80
            1746736f1f36083031ef5c9b7587fab258b3ef7c3b045aa5dee3b5d28b4de6c6024f05362841eb6c6ec27f9e0277c00bb88292dbb7c448b4e3d3f51c
            0eba7291de732f6a7c25bb6c011e112ba18ea827950939a2cabb4e424b688f6b6f2bcc5ac2eac902b49ccda7043ae93bea86097b077fbcc90d9fc3c8
            2eda5bb946574a99c7ecabf6685c7a958d50dfc575163b81251bf3491829ffbda36131fe2af846c405b1ae3f301e1bafb496cbc2d9f596b10817b719
            82125a9ac335e931b4c417569371a9d5a39b076c93468629afdd7282c8a9df31e4102dd6a68e5c4a7c7515c48a6473ae5a8996454096e7f38e84286c
            7d0a428ad6dccee963a4614219c1988802c2e7c5eca120b1d4bfc51710a30fe83e73bb1cef2e974c13afd0112462f81a13c3da0ff39bfe2966fafa8e
            caf37f6d241a1fdec9bedf77cee781ad350e8ef1d49f2586042f86240f7d5e4f572ad074463847c8f944fee1ac834c11e47eb1855e8da122ba15121b
            e781c7524d015a74be050cd31a784d02c4bd0a32c86ab94fc8c725daab05f985053e0f90453076e6a1b945f6c21222522fcb910a7a8afec72c8389a6
            71b793da83ec0c00d76f7b410a8cca2a8acad74b04e7bb919196d863a0fba57fa1e2399377c3989b9b76c1fd0fb673660957c3625c475fbea6469f9e
            3c65515dd6404127f9fb8a5828fda093c96f19a2d9733e114f2555895152aced1afa6636a688050f22ccbb3016bc707b50ef92d790d5a1d0f5b776eb
            2a7256ca50f3ba04aa71dcc20a6d011aff6b892bbb6db8fdc6344216653698dbc85ef5adf68627bf79b51eb9c918360e79c2441e2323620b154a7b5b
            b8da9552c4cee10d26ec845eac0a236b760431051d78f8c9a04868f913cda31806db4447b6797362f65daadadb2a44502a68caf68247fda64a13a3c0
            587612c466717db3351902257e116f2a9ecbd8e1fd7ed9da42e6ab2d38bee9577efe20d7f1d4198dda64e5cdd840ad468ca63696067c37a9f20c5bd5
            827f14b61b1b26cbbf3ceecd3d1476d31a223b273e73b8e55e9cba592d7263164290fbd6c7867a15e7e1d66cf5df0dae5deff1c44beab6491d143ce4
            89d11d698e2776af1cf7762f82fba8619c7e00d6b8dfa7164dc386375a1d94429fdfe0457f7d5e38b0267190a8c23ca5c7aaa9c445293514dab68229
            2fef9a6a075504232cca89691ccbc3b1716d6a2f11195ef0190774b68a7b0197b1c2275458ece27aaf46d13bf79ec50af4360bf8108479d14fb03bf5
            f7ca5bf8fbce11f92b5ad0c31e290da5db57cd114a53f6f75da351dffd5b62c9b75be8c4234b32501858287591ab15a05dae35408afe02248f2e3f93
            3c41c12962e6007442716152b69e41082104c123185a540fcd6d097840dd9964249b300d9223fc806f7876f69ee473f5e66ce926a21582f52bdae3eb
            0668b9cbcc9f886eddc9325ec4984a3568e116b4f81b66a29496186abc7b66747987f63f4d869f43dc92fc885709b306ac4f83bb6e490f8f86946ce7
            97896c0b32f2a838bf894f842634b27640028b6101e51085622dbce30fc9d8e4d53ccca8c960272f39de6f2a5469aa9f99bda93f005b1787e9014599
            c8ebb3d78ecc5e45d68bcc9cd4bed82dfee73d7c7871e5984068ef3b1efb82a649b3553bd971fad7f12aedf5a8616084bc67c483f55517625ac6f019
            17554c0529da1685cf637858b1f4e4b5cdffe12725a2962f2aa31898e62b7398ed457aab01164f2f88dab1c0aea308515ad0320fd24e0bf62d91be2f
            7c51cf30b705e492692056b11b0e7b0682edb143680c2b335a247b501658e321b3ee5b5a8ecb62b2f8b08582a137b022c38b38030eeaa48c57dc3fb6
            ff305e6624bb718d8ad0cc02487e331a328c270d0a36f30865a475115f2ead9ffe5207f567716842c34cfb7aee42b8f2e647b9beeea43cca857177bb
            0ad21f832cf4b7c613c699f05078c51385b46d81d49f3c2d088e6ac286888181f280ecdba04f44d2c1735a104a8a04c4a38ca84015cb8a54f0acd568
            7f236b5badf06c1f739b881009300519c8bb8f85e182c3a6c0057a283eb6d53289780d42d3d9f8c5bd105a7982b5f183e4423e50d74e152cee83e4a3
            8964c39bbcc13f2dfef5e64896e69204c5ba76c7b459ea1a1ca7f649b77ea0bc6a6ef6182f34da15c4fb901d155408aa6af7ec5d50376add4947be75
            332f866c788cc523fb0ab4f1bea24dbf539495620824acbbd2149590f5e4c62979cc6faa4d758b34387ba7ba83a475a368dd102439f80d5c5028452c
            ba3865dca28e326f7fe39dc2fdbf8a67acb760436b6751e9922d66b5e2aa52a92ef9f307c6ada7b2a68d5445630f36f0d1956717756930a9ae7a1140
            a2d492fde9e1c821fc61a66c5c2a093682a1814e8af4e0969e1d855b23966675a6dcdf2285a63ca35de207943774130c71ad45796e8d2538fdb928f7
            8a3bbbcb07fc0f109801a7040168a322d021ca40496d596716188d76ab76f2757b1f6abadc6afcbebbaa62bdff2b510fbeeb864922189513194e71c7
            c08dbacf8dfbcabb3e5f7d248559c4457063e9529a889f9f14e6d17211e527a4533458fa5988324545136b3b8fc625146c4743e4fcb16ebb360fe57e
            949609847da4a4f0767cfdd109bf9cfb71a9dda30a1137bc7b1f4a15a1caaa2f3a196edf561576a87e9080d6a199ea5ac2ba456964f89ed3b1888b24
            6c51f77c9d25ae2ef6bfa71b077c15cd26da2c531cb1b3df8f334e2033a58960b1daa45d537421e974da0e41a9f8122dafba3adb1446817ca6fc219c
            9c2e9c42869f89cbf4bd1f87e99e8310febcd16e5671ecec453106b8bf89ee3e82db1d4103d67ebe1ab801806c43de829c80a90931371b7e45299a0c
            f3138dfe7e6462d641b95c2c5b1c1d3036ca79b80b0000
            """),
        ("lz4-independent-repetitive", "lz4", "repetitive",
            """
            04224d186c40a086010000000000354c020000ff2400686520717569636b2062726f776e20636f66666565206a756d7073206f76657220746865206c
            617a79206b61666b612e20543200ffffffa51f01b603ffffffa50f6c071f1f02e803ffffffd71f03e803ffffffd71f04e803ffffffd71f05e803ffff
            ffd71f06e803ffffffd71f07e803ffffffd71f08e803ffffffd71f09e803ffffffd71f0ae803ffffffd71f0be803ffffffd71f0ce803ffffffd71f0d
            e803ffffffd71f0ee803ffffffd71f0fe803ffffffd71f10e803ffffffd71f11e803ffffffd71f12e803ffffffd71f13e803ffffffd71f14e803ffff
            ffd71f15e803ffffffd71f16e803ffffffd71f17e803ffffffd71f18e803ffffffd71f19e803ffffffd71f1ae803ffffffd71f1be803ffffffd71f1c
            e803ffffffd71f1de803ffffffd71f1ee803ffffffd71f1fe803ffffffd71f20e803ffffffd71f21e803ffffffd71f22e803ffffffd71f23e803ffff
            ffd71f24e803ffffffd71f25e803ffffffd71f26e803ffffffd71f27e803ffffffd71f28e803ffffffd71f29e803ffffffd71f2ae803ffffffd71f2b
            e803ffffffd71f2ce803ffffffd71f2de803ffffffd71f2ee803ffffffd71f2fe803ffffffd71f30e803ffffffd71f31e803ffffffd71f32e803ffff
            ffd71f33e803ffffffd71f34e803ffffffd71f35e803ffffffd71f36e803ffffffd71f37e803ffffffd71f38e803ffffffd71f39e803ffffffd71f3a
            e803ffffffd71f3be803ffffffd71f3ce803ffffffd71f3de803ffffffd71f3ee803ffffffd71f3fe803ffffffd71f40e803ffffffd71f41e803ffff
            0150657220746858010000ff2365206c617a79206b61666b612e2054686520717569636b2062726f776e20636f66666565206a756d7073206f766572
            2074683200ff8c1f42c201ffaf0f8403ffb00fc201511f43e803ffffffd71f44e803ffffffd71f45e803ffffffd71f46e803ffffffd71f47e803ffff
            ffd71f48e803ffffffd71f49e803ffffffd71f4ae803ffffffd71f4be803ffffffd71f4ce803ffffffd71f4de803ffffffd71f4ee803ffffffd71f4f
            e803ffffffd71f50e803ffffffd71f51e803ffffffd71f52e803ffffffd71f53e803ffffffd70fcc42510f6400ffffff741f55d007ffffffd71f56e8
            03ffffffd71f57e803ffffffd71f58e803ffffffd71f59e803ffffffd71f5ae803ffffffd71f5be803ffffffd71f5ce803ffffffd71f5de803ffffff
            d71f5ee803ffffffd71f5fe803ffffffd71f60e803ffffffd71f61e803ffffffd71f62e803ffffffd71f63e803ffffffd250666b612e2000000000d2
            c80c18
            """),
        ("gzip-allfields-short", "gzip", "short",
            """
            1f8b081e0000000000ff06006162020078797265636f7264732e62696e006120636f6d6d656e740054c4cb48cdc9c9d751c84e4ccb4e04006e16609e
            0c000000
            """),
        ("gzip-allfields-repetitive", "gzip", "repetitive",
            """
            1f8b081e0000000000ff06006162020078797265636f7264732e62696e006120636f6d6d656e740054c4edd069978e050080e16409c9162a591e7b85
            a105d977d9295aecde99f3cea92686a9e1e8d7f337dce7fa7e5f5fee0ffe1c0f2fe7ff9a9a1926e7665f3f1fa666a7a7c7e3e1eff9672ffe1d665f8d
            e786ffde15ff8cfe7f33cc8ca6674613c35d8220de33b1c02b82c88b0fbd2288bc58e81541e4c522af08222f167b451079b1c42b82c88b8fbc2288bc
            58ea1541e4c532af08222f967b451079f1b1570491172bbc2288bcf8c42b82c88b955e11445eacf28a20f262b5570491176bbc2288bc58eb1541e4c5
            a75e11445eacf38a20f262bd570491171bbc2288bcf8cc2b82c88bcfbd2288bcf8c22b82c88b8d5e11445e7ce91541e4c526af08222f367b451079b1
            c52b82c88bad5e11445e0c5e11445e6cf38a20f262bb570491173bbc2288bcd8e91541e4c52eaf08222f767b451079b1c72b82c88bafbc2288bcf8da
            2b82c88b6fbc2288bcd8eb1541e4c53eaf08222ff67b45107931e11541e4c501af08222f0e7a451079f1ad57049117df79451079f1bd570491173f78
            45107971c82b82c88bc35e11445e1cf18a20f2e247af08222f8e7a45107971cc2b82c88be35e11445e9cf08a20f2e2a457049117a7bc2288bc38ed15
            41e4c519af08222fce7a45107971ce2b82c88bf35e11445e5cf08a20f2e2a25704911797bc2288bcf8c92b82c88bcb5e11445e5cf18a20f2e2aa5704
            9117d7bc2288bcb8ee1541e4c50daf08222f6e7a45107971cb2b82c88bdb5e11445efcec1541e4c52f5e11445edcf18a20088220de7bf1ab57049117
            bf79451079f1bb570491177f7845107971cf2b82c88bfb5e11445e3cf08a20f2e2a1570491178fbc2288bc78ec1541e4c513af08222f9e7a45107931
            f28a20f262d22b82c88b29af08222fde02d45a5794a0860100
            """),
        ("gzip-fixed-repetitive", "gzip", "repetitive",
            """
            1f8b08000000000000ff63c84855282ccd4cce56482aca2fcf5348ce4f4b4b4d55c82acd2d2856c82f4b2d522801aac849acaa54c84e4ccb4ed45308
            19d531aa6354c710d3c1381a56a33a46750c7b1d4ca36135aa6354c7b0d7c13c1a56a33a46750c7b1d2ca36135aa6354c7b0d7c13a1a56a33a46750c
            7b1d6ca36135aa6354c7b0d7c13e1a56a33a46750c7b1d1ca36135aa6354c7b0d7c1391a56a33a46750c7b1d5ca36135aa6354c7b0d7c13d1a56a33a
            46750c7b1d3ca36135aa6354c7b0d7c13b1a56a33a46750c7b1d7ca36135aa6354c7b0d7c13f1a56a33a46750c7b1d02a36135aa6354c7b0d721381a
            56a33a46750c7b1d42a36135aa6354c7b0d7213c1a56a33a46750c7b1d22a36135aa6354c7b0d7213a1a56a33a46750c7b1d62a36135aa6354c7b0d7
            213e1a56a33a46750c7b1d12a36135aa6354c7b0d721391a56a33a46750c7b1d52a36135aa6354c7b0d7213d1a56a33a46750c7b1d32a36135aa6354
            c7b0d7213b1a56a33a46750c7b1d72a36135aa6354c7b0d7213f1a56a33a46750c7b1d0aa36135aa6354c7b0d7a1381a56a33a46750c7b1d4aa36135
            aa6354c7b0d7a13c1a56a33a46750c7b1d2aa36135aa6354c7b0d7a13a1a56a33a46750c7b1d6aa36135aa6354c7b0d7a13e1a56a33a46750c7b1d1a
            a36135aa6354c7b0d7a1391a56a33a46750c7b1d5aa36135aa6354c7b0d7a13d1a56a33a46750c7b1d3aa36135aa6354c7b0d7a13b1a56a33a46750c
            7b1d7aa36135aa6354c7b0d7a13f1a56a33a46750c7b1d06a36135aa6354c7b0d761381a56a33a46750c7b1d46a36135aa6354c7b0d7613c1a56a33a
            46750c7b1d26a36135aa6354c7b0d7613a1a56a33a46750c7b1d66a36135aa6354c7b0d7613e1a56a33a46750c7b1d16a36135aa6354c7b0d761391a
            56a33a46750c7b1d56a36135aa6354c7b0d7613d1a56a33a46750c7b1d36a36135aa6354c7b0d7613b1a56a33a46750c7b1d76a36135aa6354c7b0d7
            613f1a56a33a46750c7b1d0ea36135aa6354c7b0d7e1381a56a33a46750c7b1d4ea36135aa6354c7b0d7e13c1a56a33a46750c7b1d2ea36135aa6354
            c7b0d7e13a1a56a33a46750c7b1d6ea36135aa6354c7b0d7e13e1a56a33a46750c7b1d1ea36135aa6354c7b0d7e1391a56a33a46750c7b1d5ea36135
            aa6354c7b0d7e13d1a56a33a46750c7b1d3ea36135aa6354c7b0d7e13b1a56a33a46750c7b1d7ea36135aa6354c7b0d7e13f1a56a33a46750c7b1d01
            a36135aa6354c7b0d711381a56a33a46750c7b1d41a36135aa6354c7b0d7113c1a56a33a46758cea18d531aa6354c790d7113a1a56a33a46750c7b1d
            61a36135aa6354c7b0d7113e1a56a33a46750c7b1d11a36135aa6354c7b0d711391a56a33a46750c7b1d51a36135aa6354c7b0d7113d1a56a33a4675
            0c7b1d31a36135aa6354c7b0d7113b1a56a33a46750c7b1d71a36135aa6354c7b0d7113f1a56a33a46750c7b1d09a36135aa6354c7b0d791381a56a3
            3a46750c7b1d49a36135aa6354c7b0d7913c1a56a33a46750c7b1d00d45a5794a0860100
            """),
        ("gzip-concatenated", "gzip", "short+random",
            """
            1f8b0800000000000203cb48cdc9c9d751c84e4ccb4e04006e16609e0c0000001f8b080000000000020301b80b47f48989a57520456d8461815412ee
            d4b530450bb7e399d48eb06e2f77e9f79571ba2fe5bcf3b9121393788ea918ee75e489567adb3f809291776f62ef99b369834687edfb24aba75f6900
            2d1228e523865e5322c2bcba6395329b349740e217e5fc09ba98e2ed9b0a5e6e77c81bca775509b71aa43042e153386abca9b47b374e322c64cd0378
            87cacb3c8402c7950907e1f77bb9750ea284e155135bcf776178426802d06143035806e26cfa063f71563e8d5d3962163ede85d351e768cd2c198236
            aedad346a66c69d746e7afbf46f879f1d75cd0534e1a7d5d8d83577531ea4c0d7d24327a09be4b932a019a0e21a6e89a035995bc6af01f6ae0687468
            08a3f8668ae454d6c406048f327f9f239919e500f76a8b492a18c57262ce979e48fddcb8eb5313536ffced42749b97f74707c79ccbc588f3254ac6ee
            2bed990e8aae527cb9a946e8a1585c25098c5981c329e6e698a466b2f43d7a5652fd51b0666fb0290c1ec58ef3d2abaf0889bcbaa5379b54763dfc7c
            2fab3a20f036977d73f85037fbea683cfc2131598bcb9a9884e93c617dca234c6e4b5cc71cd0436c4a01891f9f4508eb56ff469aa88bcb16f9f72382
            c481b11848d53ac1f0032d758342b45910667b92972343ea77ff252a9b18a731649b80d855002b8681062e92b572275b65879b2957447ec2116082cc
            040620e6755167842f86878eea131cb8794b3ca0b7df3fa9301c51998ee6b9f5ca78e6180ed93e156c1da6524161d1e167844a9d1ea53f09b86113e8
            06c9a29c8526513f486cdd83a57ee14a9f27240417d4a9ccb113744287cc1c26904115b9cfc7bad43b421dc571628fed1c9fee1a20f5b1a5895fb44b
            3716c4cc4586ea453e15784eff93d5d36a7f07b3cfff051a1b9dba9fbec3d91d5ef564513dd0fa386ac6e326ab97dca6268ea415d18143fd9f861d32
            6875baaf9422522e8f571b89ed9453d358850c353d47bb8a3a5b7fba466631d79eae2ff97355e8da555327305d3521ce1d973d794862a58b22c6914a
            a6f64e0579a710f491467dcda4fcf5265362a38e13044569df97bb8fa0fa51a457efcc351096369787ad698097895e6266d3338b5204fefe9a9e540e
            cd3097c0f30703de7cb478dbec42056a443438dd2f40283ef2ce3e2f102fc881c09e3c9710f74c79d539adb75abda704c4335d8e4662da1e0a9cdff4
            da026f60927d17204677fd7d335daf2466d6a9c52ec0a46d43efa1a4b3a4b94690cfa1225b04ff542f3f7062ad585619ab4462259c11e573bda0d647
            051fa21cca4db73f336dcf2a6107fca15c62788ebfc12a9d2360f8974d2ccf801746736f1f36083031ef5c9b7587fab258b3ef7c3b045aa5dee3b5d2
            8b4de6c6024f05362841eb6c6ec27f9e0277c00bb88292dbb7c448b4e3d3f51c0eba7291de732f6a7c25bb6c011e112ba18ea827950939a2cabb4e42
            4b688f6b6f2bcc5ac2eac902b49ccda7043ae93bea86097b077fbcc90d9fc3c82eda5bb946574a99c7ecabf6685c7a958d50dfc575163b81251bf349
            1829ffbda36131fe2af846c405b1ae3f301e1bafb496cbc2d9f596b10817b71982125a9ac335e931b4c417569371a9d5a39b076c93468629afdd7282
            c8a9df31e4102dd6a68e5c4a7c7515c48a6473ae5a8996454096e7f38e84286c7d0a428ad6dccee963a4614219c1988802c2e7c5eca120b1d4bfc517
            10a30fe83e73bb1cef2e974c13afd0112462f81a13c3da0ff39bfe2966fafa8ecaf37f6d241a1fdec9bedf77cee781ad350e8ef1d49f2586042f8624
            0f7d5e4f572ad074463847c8f944fee1ac834c11e47eb1855e8da122ba15121be781c7524d015a74be050cd31a784d02c4bd0a32c86ab94fc8c725da
            ab05f985053e0f90453076e6a1b945f6c21222522fcb910a7a8afec72c8389a671b793da83ec0c00d76f7b410a8cca2a8acad74b04e7bb919196d863
            a0fba57fa1e2399377c3989b9b76c1fd0fb673660957c3625c475fbea6469f9e3c65515dd6404127f9fb8a5828fda093c96f19a2d9733e114f255589
            5152aced1afa6636a688050f22ccbb3016bc707b50ef92d790d5a1d0f5b776eb2a7256ca50f3ba04aa71dcc20a6d011aff6b892bbb6db8fdc6344216
            653698dbc85ef5adf68627bf79b51eb9c918360e79c2441e2323620b154a7b5bb8da9552c4cee10d26ec845eac0a236b760431051d78f8c9a04868f9
            13cda31806db4447b6797362f65daadadb2a44502a68caf68247fda64a13a3c0587612c466717db3351902257e116f2a9ecbd8e1fd7ed9da42e6ab2d
            38bee9577efe20d7f1d4198dda64e5cdd840ad468ca63696067c37a9f20c5bd5827f14b61b1b26cbbf3ceecd3d1476d31a223b273e73b8e55e9cba59
            2d7263164290fbd6c7867a15e7e1d66cf5df0dae5deff1c44beab6491d143ce489d11d698e2776af1cf7762f82fba8619c7e00d6b8dfa7164dc38637
            5a1d94429fdfe0457f7d5e38b0267190a8c23ca5c7aaa9c445293514dab682292fef9a6a075504232cca89691ccbc3b1716d6a2f11195ef0190774b6
            8a7b0197b1c2275458ece27aaf46d13bf79ec50af4360bf8108479d14fb03bf5f7ca5bf8fbce11f92b5ad0c31e290da5db57cd114a53f6f75da351df
            fd5b62c9b75be8c4234b32501858287591ab15a05dae35408afe02248f2e3f933c41c12962e6007442716152b69e41082104c123185a540fcd6d0978
            40dd9964249b300d9223fc806f7876f69ee473f5e66ce926a21582f52bdae3eb0668b9cbcc9f886eddc9325ec4984a3568e116b4f81b66a29496186a
            bc7b66747987f63f4d869f43dc92fc885709b306ac4f83bb6e490f8f86946ce797896c0b32f2a838bf894f842634b27640028b6101e51085622dbce3
            0fc9d8e4d53ccca8c960272f39de6f2a5469aa9f99bda93f005b1787e9014599c8ebb3d78ecc5e45d68bcc9cd4bed82dfee73d7c7871e5984068ef3b
            1efb82a649b3553bd971fad7f12aedf5a8616084bc67c483f55517625ac6f01917554c0529da1685cf637858b1f4e4b5cdffe12725a2962f2aa31898
            e62b7398ed457aab01164f2f88dab1c0aea308515ad0320fd24e0bf62d91be2f7c51cf30b705e492692056b11b0e7b0682edb143680c2b335a247b50
            1658e321b3ee5b5a8ecb62b2f8b08582a137b022c38b38030eeaa48c57dc3fb6ff305e6624bb718d8ad0cc02487e331a328c270d0a36f30865a47511
            5f2ead9ffe5207f567716842c34cfb7aee42b8f2e647b9beeea43cca857177bb0ad21f832cf4b7c613c699f05078c51385b46d81d49f3c2d088e6ac2
            86888181f280ecdba04f44d2c1735a104a8a04c4a38ca84015cb8a54f0acd5687f236b5badf06c1f739b881009300519c8bb8f85e182c3a6c0057a28
            3eb6d53289780d42d3d9f8c5bd105a7982b5f183e4423e50d74e152cee83e4a38964c39bbcc13f2dfef5e64896e69204c5ba76c7b459ea1a1ca7f649
            b77ea0bc6a6ef6182f34da15c4fb901d155408aa6af7ec5d50376add4947be75332f866c788cc523fb0ab4f1bea24dbf539495620824acbbd2149590
            f5e4c62979cc6faa4d758b34387ba7ba83a475a368dd102439f80d5c5028452cba3865dca28e326f7fe39dc2fdbf8a67acb760436b6751e9922d66b5
            e2aa52a92ef9f307c6ada7b2a68d5445630f36f0d1956717756930a9ae7a1140a2d492fde9e1c821fc61a66c5c2a093682a1814e8af4e0969e1d855b
            23966675a6dcdf2285a63ca35de207943774130c71ad45796e8d2538fdb928f78a3bbbcb07fc0f109801a7040168a322d021ca40496d596716188d76
            ab76f2757b1f6abadc6afcbebbaa62bdff2b510fbeeb864922189513194e71c7c08dbacf8dfbcabb3e5f7d248559c4457063e9529a889f9f14e6d172
            11e527a4533458fa5988324545136b3b8fc625146c4743e4fcb16ebb360fe57e949609847da4a4f0767cfdd109bf9cfb71a9dda30a1137bc7b1f4a15
            a1caaa2f3a196edf561576a87e9080d6a199ea5ac2ba456964f89ed3b1888b246c51f77c9d25ae2ef6bfa71b077c15cd26da2c531cb1b3df8f334e20
            33a58960b1daa45d537421e974da0e41a9f8122dafba3adb1446817ca6fc219c9c2e9c42869f89cbf4bd1f87e99e8310febcd16e5671ecec453106b8
            bf89ee3e82db1d4103d67ebe1ab801806c43de829c80a90931371b7e45299a0cf3138dfe7e6462d641b95c2c5b1c1d3036ca79b80b0000
            """),
    ]

    /// 2 MiB of zeros, compressed.
    static let bombs: [(codec: String, hex: String)] = [
        ("gzip",
            """
            1f8b0800000000000203edc13101000000c2a0f54f6d0c1fa00000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            0000000000000000000000000000000000be067e87898d00002000
            """),
        ("lz4",
            """
            04224d1848400000200000000000c20b0100001f000100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe75000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe85000000000000a0100000f0100ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe85000000000000a0100000f0100ffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
            ffffffffffffffffffe850000000000000000000
            """),
    ]

    /// Whole RecordBatch v2 built by kafka-python's DefaultRecordBatchBuilder.
    static let batches: [(codec: String, hex: String)] = [
        ("gzip",
            """
            0000000000000000000000cc0000000002c8c1ba7e0001000000020000018bcfe568000000018bcfe56809ffffffffffffffffffffffffffff000000
            031f8b0800e011066b02ffedd6b10dc2301085e1b371458528a8afa244884152b18089ce4ab880c1898d9229988239610dacd7bfaff9abb72722a7c7
            5de8d33871f14316fa34b4b6e6dd5027fccc7dab7c49f175e7368620c2d77c7b8c1c8b249e7e8bc12f33ab0fea0f7c868080f83361d00a02a27a61d1
            0a02a27ab1422b0888ea85432b0888fa7fbbed6cd9d0d6393d19fa027e3cbd34b2130000
            """),
        ("snappy",
            """
            00000000000000000000019d00000000020855f7d40002000000020000018bcfe568000000018bcfe56809ffffffffffffffffffffffffffff000000
            0382534e4150505900000000010000000100000158b227f04f26000000046b301666697273742076616c756500a64e000a0201904e00686520717569
            636b2062726f776e20636f66666565206a756d7073206f76657220746865206c617a79206b61666b612e205468fe3200fe3200fe3200fe3200fe3200
            fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200fe3200ce32000001fee803fee803fee803fee803fee803fee803fee803fee803fee803fe
            e803fee803fee803fee803fee803fee8039ae8030002fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8
            03fee803fee8039ae8030003fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae803
            0004fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee803fee8039ae80334020268027610001204
            046b320100
            """),
        ("lz4",
            """
            0000000000000000000000ce00000000027e4d26c70003000000020000018bcfe568000000018bcfe56809ffffffffffffffffffffffffffff000000
            0304224d186840b213000000000000f386000000ff4026000000046b301666697273742076616c756500a64e000a0201904e00686520717569636b20
            62726f776e20636f66666565206a756d7073206f76657220746865206c617a79206b61666b612e20543200ffffffa51f01e803ffffffd71f02e803ff
            ffffd71f03e803ffffffd71f04e803ffffffd7e0020268027610001204046b32010000000000
            """),
    ]
}
