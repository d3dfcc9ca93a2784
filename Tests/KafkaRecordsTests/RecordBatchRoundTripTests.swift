import KafkaRecords
import Testing

@Suite("Builder, validation and decoding round trips")
struct RecordBatchRoundTripTests {
    static let variedInputs: [RecordInput] = [
        RecordInput(key: nil, value: nil, timestamp: 5_000),
        RecordInput(key: [], value: [], timestamp: 5_000),
        RecordInput(key: Array("clé-🔑".utf8), value: Array(repeating: 0xAB, count: 300), timestamp: 4_000),
        RecordInput(key: [1], value: nil, headers: [
            RecordHeader(key: "trace-id", value: Array("abc".utf8)),
            RecordHeader(key: "null-value", value: nil),
            RecordHeader(key: "", value: []),
            RecordHeader(key: "ключ☕️", value: [0, 255]),
        ], timestamp: 9_999_999),
        RecordInput(value: Array(repeating: 7, count: 70_000), timestamp: Int64(Int32.max) * 4),
        RecordInput(value: [42], timestamp: -1),
    ]

    @Test func roundTripPreservesEveryField() throws {
        var builder = RecordBatchBuilder(
            baseOffset: 100, producerId: 123_456_789_012, producerEpoch: 7, baseSequence: 41,
            isTransactional: true, partitionLeaderEpoch: 3)
        for input in Self.variedInputs { builder.append(input) }
        #expect(builder.count == Self.variedInputs.count)
        let bytes = builder.build()
        #expect(bytes.count == builder.estimatedSize)

        let header = try RecordBatchHeader.validate(bytes)
        #expect(header.baseOffset == 100)
        #expect(header.totalSize == bytes.count)
        #expect(header.partitionLeaderEpoch == 3)
        #expect(header.magic == 2)
        #expect(header.lastOffsetDelta == Int32(Self.variedInputs.count - 1))
        #expect(header.lastOffset == 100 + Int64(Self.variedInputs.count - 1))
        #expect(header.recordCount == Int32(Self.variedInputs.count))
        #expect(header.baseTimestamp == 5_000)
        #expect(header.maxTimestamp == Int64(Int32.max) * 4)
        #expect(header.producerId == 123_456_789_012)
        #expect(header.producerEpoch == 7)
        #expect(header.baseSequence == 41)
        #expect(header.isTransactional)
        #expect(!header.isControl)
        #expect(header.compression == CompressionCodec.none)
        #expect(header.timestampType == .createTime)
        #expect(try RecordBatchHeader(parsing: bytes, at: 0) == header)

        let records = try RecordBatchRecords.decode(bytes)
        #expect(records.count == Self.variedInputs.count)
        for (index, (record, input)) in zip(records, Self.variedInputs).enumerated() {
            #expect(record.offset == 100 + Int64(index))
            #expect(record.timestamp == input.timestamp)
            #expect(record.key == input.key)
            #expect(record.value == input.value)
            #expect(record.headers == input.headers)
        }
    }

    @Test func crcMatchesAnIndependentComputation() throws {
        let bytes = sampleBatch(records: 17)
        let independent = referenceCRC32C(bytes[21...])
        let stored = UInt32(bytes[17]) << 24 | UInt32(bytes[18]) << 16 | UInt32(bytes[19]) << 8 | UInt32(bytes[20])
        #expect(stored == independent)
        #expect(try RecordBatchHeader.validate(bytes).crc == independent)
    }

    @Test func manyRecordsWithVaryingTimestamps() throws {
        var rng = SplitMix64(seed: 5)
        var builder = RecordBatchBuilder()
        var inputs: [RecordInput] = []
        for index in 0..<2_000 {
            // Timestamps jump around the first one, so deltas are both positive and negative.
            let timestamp = 1_700_000_000_000 + Int64(rng.next() % 2_000_000) - 1_000_000
            let input = RecordInput(
                key: index % 5 == 0 ? nil : Array("key-\(index)".utf8),
                value: rng.bytes(Int(rng.next() % 200)),
                headers: (0..<Int(rng.next() % 3)).map { RecordHeader(key: "h\($0)", value: $0 == 1 ? nil : rng.bytes(2)) },
                timestamp: timestamp)
            inputs.append(input)
            builder.append(input)
        }
        let bytes = builder.build()
        let header = try RecordBatchHeader.validate(bytes)
        #expect(header.baseTimestamp == inputs[0].timestamp)
        #expect(header.maxTimestamp == inputs.map(\.timestamp).max())
        #expect(header.recordCount == 2_000)
        let records = try RecordBatchRecords.decode(bytes)
        #expect(records.map(\.timestamp) == inputs.map(\.timestamp))
        #expect(records.map(\.offset) == Array(0..<2_000))
        #expect(records.map(\.key) == inputs.map(\.key))
        #expect(records.map(\.value) == inputs.map(\.value))
        #expect(records.map(\.headers) == inputs.map(\.headers))
    }

    @Test func decodeAtAnIndexInsideALargerBuffer() throws {
        let first = sampleBatch(records: 2, seed: 1)
        let second = sampleBatch(records: 4, seed: 2)
        let combined = first + second + [0xEE]
        let records = try RecordBatchRecords.decode(combined, at: first.count)
        #expect(records == (try RecordBatchRecords.decode(second)))
        #expect(try RecordBatchHeader.validate(combined, at: first.count) == (try RecordBatchHeader.validate(second)))
    }

    @Test func emptyBuilderProducesAValidEmptyBatch() throws {
        let bytes = RecordBatchBuilder().build()
        #expect(bytes.count == RecordBatchHeader.size)
        let header = try RecordBatchHeader.validate(bytes)
        #expect(header.recordCount == 0)
        #expect(header.lastOffsetDelta == 0)
        #expect(header.baseTimestamp == -1)
        #expect(header.maxTimestamp == -1)
        #expect(try RecordBatchRecords.decode(bytes).isEmpty)
    }

    /// A batch flagged as compressed whose records area is not valid compressed data validates
    /// (the CRC covers it) but does not decode: the codec's error surfaces as malformedRecord.
    @Test func compressedFlagOverPlainRecordsValidatesButDoesNotDecode() throws {
        for codec in CompressionCodec.allCases where codec != .none {
            let bytes = batch(records: [1, 2, 3, 4, 5], attributes: codec.rawValue)
            let header = try RecordBatchHeader.validate(bytes)
            #expect(header.compression == codec)
            #expect(isMalformedRecord(caught { try RecordBatchRecords.decode(bytes) }))
        }
    }

    @Test func logAppendTimeUsesTheBatchMaxTimestamp() throws {
        var builder = RecordBatchBuilder()
        builder.append(RecordInput(value: [1], timestamp: 10))
        builder.append(RecordInput(value: [2], timestamp: 20))
        let records = builder.encodedRecords
        let bytes = batch(records: records, recordCount: 2, lastOffsetDelta: 1, attributes: 0x08,
                          baseTimestamp: 10, maxTimestamp: 99_999)
        let header = try RecordBatchHeader.validate(bytes)
        #expect(header.timestampType == .logAppendTime)
        #expect(try RecordBatchRecords.decode(bytes).map(\.timestamp) == [99_999, 99_999])
    }

    @Test func compactedBatchWithGapsDecodes() throws {
        // Compaction keeps lastOffsetDelta but drops records: recordCount != lastOffsetDelta + 1 is legal.
        var builder = RecordBatchBuilder()
        builder.append(RecordInput(value: [1], timestamp: 10))
        let bytes = batch(records: builder.encodedRecords, recordCount: 1, lastOffsetDelta: 9, baseOffset: 50)
        let header = try RecordBatchHeader.validate(bytes)
        #expect(header.offsetCount == 10)
        #expect(try RecordBatchRecords.decode(bytes).map(\.offset) == [50])
    }

    @Test func iteratorWalksWholeBatchesAndStopsAtAPartialOne() throws {
        let batches = (1...4).map { sampleBatch(records: $0, seed: UInt64($0)) }
        let whole = batches.reduce([], +)
        for cut in [0, 1, 11, 12, 60, 61, batches[3].count - 1] {
            let bytes = [0xAA, 0xBB] + whole.dropLast(batches[3].count) + batches[3].prefix(cut)
            let found = try RecordBatchIterator.batches(in: bytes, range: 2..<bytes.count, verifyCRC: true)
            #expect(found.count == 3)
            var start = 2
            for (index, element) in found.enumerated() {
                #expect(element.range == start..<(start + batches[index].count))
                #expect(Array(bytes[element.range]) == batches[index])
                #expect(element.header == (try RecordBatchHeader.validate(batches[index])))
                start += batches[index].count
            }
            var iterator = RecordBatchIterator(bytes, range: 2..<bytes.count)
            while try iterator.next() != nil {}
            #expect(iterator.remaining == cut)
        }
        #expect(try RecordBatchIterator.batches(in: whole).count == 4)
        #expect(try RecordBatchIterator.batches(in: []).isEmpty)
    }

    @Test func iteratorThrowsOnInvalidCompleteBatches() throws {
        var corrupt = sampleBatch()
        corrupt[corrupt.count - 1] ^= 1
        #expect(try RecordBatchIterator.batches(in: corrupt).count == 1)  // CRC not checked by default
        #expect(caught { try RecordBatchIterator.batches(in: corrupt, verifyCRC: true) }.map {
            if case .crcMismatch = $0 { true } else { false }
        } == true)

        var shortLength = sampleBatch()
        shortLength[8...11] = [0, 0, 0, 10]
        #expect(caught { try RecordBatchIterator.batches(in: shortLength) } == .invalidLength(10))

        var legacy = sampleBatch()
        legacy[16] = 1
        #expect(caught { try RecordBatchIterator.batches(in: legacy) } == .unsupportedMagic(1))

        let badCodec = batch(records: [], recordCount: 0, attributes: 6)
        #expect(caught { try RecordBatchIterator.batches(in: badCodec) } == .invalidCompression(6))
    }
}
