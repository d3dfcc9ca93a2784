import KafkaRecords
import Testing

@Suite("Malformed and hostile input")
struct MalformedInputTests {
    // MARK: Header level

    @Test func everyTruncationPointThrows() {
        let bytes = sampleBatch(records: 5)
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            let expected = RecordBatchError.truncated(needed: length < 61 ? 61 : bytes.count, available: length)
            #expect(caught { try ValidatedBatches(validating: prefix) } == expected)
            #expect(caught { try RecordBatchHeader.validate(prefix) } == expected)
            #expect(caught { try RecordBatchRecords.decode(prefix) } == expected)
            #expect(caught { try RecordBatchRecords.decode(prefix, verifyCRC: false) } == expected)
            if length < 61 {
                #expect(caught { try RecordBatchHeader(parsing: prefix, at: 0) } == expected)
            } else {
                #expect(caught { try RecordBatchHeader(parsing: prefix, at: 0) } == nil)
            }
            let peek = prefix.withUnsafeBytes { raw in caught { try RecordBatchHeader.peekLength(raw) } }
            #expect(peek == (length < 12 ? .truncated(needed: 12, available: length) : nil))
        }
    }

    @Test func indexOutsideTheArrayIsTruncatedNotACrash() {
        let bytes = sampleBatch()
        for index in [-1, -100, bytes.count, bytes.count + 1, Int.max] {
            #expect(caught { try RecordBatchHeader(parsing: bytes, at: index) } == .truncated(needed: 61, available: 0))
            #expect(caught { try RecordBatchHeader.validate(bytes, at: index) } == .truncated(needed: 61, available: 0))
            #expect(caught { try RecordBatchRecords.decode(bytes, at: index) } == .truncated(needed: 61, available: 0))
        }
    }

    @Test func lengthFieldsOutsideTheLegalRange() {
        let bytes = sampleBatch()
        func withLength(_ length: Int32) -> [UInt8] {
            var copy = bytes
            withUnsafeBytes(of: length.bigEndian) { copy.replaceSubrange(8..<12, with: $0) }
            return copy
        }
        #expect(caught { try RecordBatchHeader.validate(withLength(Int32(bytes.count))) }
                == .truncated(needed: bytes.count + 12, available: bytes.count))
        #expect(caught { try RecordBatchHeader.validate(withLength(Int32.max)) }
                == .truncated(needed: Int(Int32.max) + 12, available: bytes.count))
        for length: Int32 in [48, 0, -1, Int32.min] {
            #expect(caught { try RecordBatchHeader.validate(withLength(length)) } == .invalidLength(length))
            #expect(caught { try ValidatedBatches(validating: withLength(length)) } == .invalidLength(length))
        }
        // A shorter but legal length makes the CRC cover fewer bytes: a mismatch.
        let shorter = caught { try RecordBatchHeader.validate(withLength(Int32(bytes.count - 13))) }
        #expect(shorter.map { if case .crcMismatch = $0 { true } else { false } } == true)
    }

    @Test func negativeDeltasCountsAndBadCodecsAreRejectedEvenWithAValidCRC() {
        #expect(caught { try RecordBatchHeader.validate(batch(records: [], recordCount: 0, lastOffsetDelta: -1)) }
                == .invalidLastOffsetDelta(-1))
        #expect(caught { try RecordBatchHeader.validate(batch(records: [], recordCount: -1)) } == .invalidRecordCount(-1))
        #expect(caught { try RecordBatchHeader.validate(batch(records: [], recordCount: Int32.min)) }
                == .invalidRecordCount(Int32.min))
        for codec: Int16 in 5...7 {
            #expect(caught { try RecordBatchHeader.validate(batch(records: [], recordCount: 0, attributes: codec)) }
                    == .invalidCompression(codec))
        }
    }

    @Test func legacyMagicIsUnsupported() {
        for magic: UInt8 in [0, 1, 3, 0xFF] {
            var bytes = sampleBatch()
            bytes[16] = magic
            #expect(caught { try RecordBatchHeader.validate(bytes) } == .unsupportedMagic(Int8(bitPattern: magic)))
            #expect(caught { try RecordBatchHeader(parsing: bytes, at: 0) } == .unsupportedMagic(Int8(bitPattern: magic)))
        }
    }

    @Test func everySingleBitFlipIsDetected() throws {
        let bytes = sampleBatch(records: 4)
        for position in 0..<bytes.count {
            for bit in 0..<8 {
                var flipped = bytes
                flipped[position] ^= UInt8(1) << UInt8(bit)
                let error = caught { try ValidatedBatches(validating: flipped) }
                if (0..<8).contains(position) || (12..<16).contains(position) {
                    // baseOffset and partitionLeaderEpoch are outside the CRC by design.
                    #expect(error == nil, "byte \(position) bit \(bit)")
                } else {
                    #expect(error != nil, "byte \(position) bit \(bit) went undetected")
                }
            }
        }
    }

    @Test func randomGarbageNeverCrashes() {
        for seed in 0..<3_000 as Range<UInt64> {
            var rng = SplitMix64(seed: seed)
            var bytes = rng.bytes(Int(rng.next() % 400))
            // Half the buffers get a plausible header so parsing goes deeper than the magic check.
            if seed % 2 == 0 && bytes.count >= 61 {
                bytes[16] = 2
                let length = Int32(min(bytes.count - 12, 49 + Int(rng.next() % 400)))
                withUnsafeBytes(of: length.bigEndian) { bytes.replaceSubrange(8..<12, with: $0) }
                bytes[21] = 0
                bytes[22] &= 0x07 < 5 ? 0x07 : 0
                if seed % 4 == 0 {
                    // Fix the CRC too, so record decoding runs on garbage.
                    let end = Int(length) + 12
                    let crc = referenceCRC32C(bytes[21..<end])
                    withUnsafeBytes(of: crc.bigEndian) { bytes.replaceSubrange(17..<21, with: $0) }
                }
            }
            _ = caught { try ValidatedBatches(validating: bytes) }
            _ = caught { try RecordBatchHeader(parsing: bytes, at: 0) }
            _ = caught { try RecordBatchRecords.decode(bytes) }
            _ = caught { try RecordBatchRecords.decode(bytes, verifyCRC: false) }
            _ = caught { try RecordBatchIterator.batches(in: bytes, verifyCRC: seed % 3 == 0) }
            var reader = ByteReader(bytes)
            while reader.remaining > 0 {
                if (try? reader.readVarlong()) == nil { reader.position += 1 }
            }
        }
    }

    // MARK: Record level, inside batches with a valid CRC

    static func expectMalformed(_ records: [UInt8], recordCount: Int32 = 1, _ comment: Comment) {
        let bytes = batch(records: records, recordCount: recordCount, lastOffsetDelta: max(0, recordCount - 1))
        let error = caught { try RecordBatchRecords.decode(bytes) }
        #expect(isMalformedRecord(error), comment)
        // The batch itself is fine: validation does not look inside records.
        #expect(caught { try ValidatedBatches(validating: bytes) } == nil)
    }

    /// A well-formed record body (after the length varint) for building variations.
    static func body(key: Int32 = 1, keyBytes: [UInt8] = [0x6B], headerCount: Int32 = 0, extra: [UInt8] = []) -> [UInt8] {
        recordArea { writer in
            writer.writeInt8(0)
            writer.writeVarlong(0)
            writer.writeVarint(0)
            writer.writeVarint(key)
            writer.writeBytes(keyBytes)
            writer.writeVarint(-1)
            writer.writeVarint(headerCount)
            writer.writeBytes(extra)
        }
    }

    static func record(_ body: [UInt8], declaredLength: Int32? = nil) -> [UInt8] {
        recordArea { writer in
            writer.writeVarint(declaredLength ?? Int32(body.count))
            writer.writeBytes(body)
        }
    }

    @Test func wellFormedHandMadeRecordDecodes() throws {
        let bytes = batch(records: Self.record(Self.body()))
        #expect(try RecordBatchRecords.decode(bytes) == [Record(offset: 0, timestamp: 1_000, key: [0x6B], value: nil)])
    }

    @Test func recordLengthLargerThanRemaining() {
        Self.expectMalformed(Self.record(Self.body(), declaredLength: 100), "length past the end")
        Self.expectMalformed(Self.record(Self.body(), declaredLength: Int32.max), "huge length")
    }

    @Test func negativeRecordLength() {
        Self.expectMalformed(Self.record(Self.body(), declaredLength: -1), "length -1")
        Self.expectMalformed(Self.record(Self.body(), declaredLength: Int32.min), "length min")
    }

    @Test func declaredLengthDisagreesWithFields() {
        let body = Self.body()
        // Fields end before the declared length.
        Self.expectMalformed(Self.record(body + [0]), "extra byte inside the record")
        // Fields run past the declared length (the next bytes exist but belong to no record).
        Self.expectMalformed(Self.record(body, declaredLength: Int32(body.count - 1)) + [0], "fields overrun length")
    }

    @Test func invalidKeyAndValueLengths() {
        Self.expectMalformed(Self.record(Self.body(key: -5, keyBytes: [])), "key length -5")
        Self.expectMalformed(Self.record(Self.body(key: -2, keyBytes: [])), "key length -2")
        Self.expectMalformed(Self.record(Self.body(key: 50, keyBytes: [1, 2])), "key longer than record")
        Self.expectMalformed(Self.record(Self.body(key: Int32.max, keyBytes: [1, 2])), "key length max")
        let badValue = recordArea { writer in
            writer.writeInt8(0); writer.writeVarlong(0); writer.writeVarint(0)
            writer.writeVarint(-1); writer.writeVarint(-7); writer.writeVarint(0)
        }
        Self.expectMalformed(Self.record(badValue), "value length -7")
    }

    @Test func absurdHeaderCounts() {
        Self.expectMalformed(Self.record(Self.body(headerCount: 1_000_000_000)), "header count 1e9")
        Self.expectMalformed(Self.record(Self.body(headerCount: -1)), "header count -1")
        Self.expectMalformed(Self.record(Self.body(headerCount: 2, extra: [0x02, 0x61, 0x01])), "second header missing")
    }

    @Test func invalidHeaderKeys() {
        let nullKey = Self.body(headerCount: 1, extra: recordArea { $0.writeVarint(-1); $0.writeVarint(-1) })
        Self.expectMalformed(Self.record(nullKey), "null header key")
        let badUTF8 = Self.body(headerCount: 1, extra: recordArea { $0.writeVarint(2); $0.writeBytes([0xC3, 0x28]); $0.writeVarint(-1) })
        Self.expectMalformed(Self.record(badUTF8), "header key not UTF-8")
    }

    @Test func malformedVarintsInsideRecords() {
        Self.expectMalformed([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "record length varint too long")
        let badTimestamp = [UInt8(0)] + [UInt8](repeating: 0xFF, count: 11)
        Self.expectMalformed(Self.record(badTimestamp), "timestampDelta varlong too long")
    }

    @Test func recordCountDisagreesWithRecords() {
        let one = Self.record(Self.body())
        Self.expectMalformed(one, recordCount: 2, "fewer records than recordCount")
        Self.expectMalformed(one + one, recordCount: 1, "bytes after the last record")
        Self.expectMalformed(one, recordCount: 1_000_000_000, "recordCount 1e9")
        Self.expectMalformed([], recordCount: Int32.max, "recordCount max, empty area")
    }

    @Test func mutatedRecordAreasWithValidCRCNeverCrash() throws {
        var builder = RecordBatchBuilder()
        for index in 0..<6 {
            builder.append(RecordInput(key: [UInt8(index)], value: Array("value \(index)".utf8),
                                       headers: [RecordHeader(key: "h", value: index % 2 == 0 ? nil : [1])],
                                       timestamp: 1_000 + Int64(index)))
        }
        let area = builder.encodedRecords
        var decodedSomething = 0
        for seed in 0..<4_000 as Range<UInt64> {
            var rng = SplitMix64(seed: seed)
            var mutated = area
            for _ in 0...(rng.next() % 3) {
                let position = Int(rng.next() % UInt64(mutated.count))
                mutated[position] = UInt8(truncatingIfNeeded: rng.next())
            }
            if seed % 5 == 0 { mutated.removeLast(Int(rng.next() % 10)) }
            let bytes = batch(records: mutated, recordCount: 6, lastOffsetDelta: 5)
            do {
                _ = try RecordBatchRecords.decode(bytes)
                decodedSomething += 1
            } catch {
                #expect(isMalformedRecord(error), "seed \(seed): \(error)")
            }
        }
        #expect(decodedSomething > 0)  // some mutations (e.g. inside values) stay decodable
    }
}
