import KafkaRecords
import Testing

@Suite("ValidatedBatches")
struct ValidatedBatchesTests {
    static func producerBatch(records: Int, timestamp: Int64) -> [UInt8] {
        var builder = RecordBatchBuilder(producerId: 9, producerEpoch: 1, baseSequence: 0)
        for index in 0..<records {
            builder.append(RecordInput(key: [UInt8(index)], value: [1, 2, 3], timestamp: timestamp + Int64(index)))
        }
        return builder.build()
    }

    @Test func validatesConcatenatedBatches() throws {
        let parts = [Self.producerBatch(records: 3, timestamp: 100), Self.producerBatch(records: 1, timestamp: 900),
                     Self.producerBatch(records: 5, timestamp: 50)]
        let validated = try ValidatedBatches(validating: parts.reduce([], +))
        #expect(validated.headers.count == 3)
        #expect(validated.batchCount == 3)
        #expect(validated.offsetCount == 9)
        #expect(validated.maxTimestamp == 900)
        #expect(validated.headers.map(\.totalSize).reduce(0, +) == validated.bytes.count)
        var start = 0
        for (index, part) in parts.enumerated() {
            #expect(validated.range(ofBatch: index) == start..<(start + part.count))
            start += part.count
        }
    }

    @Test func assignOffsetsRewritesOnlyOffsetAndEpochBytes() throws {
        let parts = [Self.producerBatch(records: 3, timestamp: 100), Self.producerBatch(records: 2, timestamp: 200),
                     batch(records: [], recordCount: 0, lastOffsetDelta: 4)]
        let original = parts.reduce([], +)
        var validated = try ValidatedBatches(validating: original)
        validated.assignOffsets(startingAt: 1_000, partitionLeaderEpoch: 0x0102_0304)

        #expect(validated.bytes.count == original.count)
        #expect(validated.headers.map(\.baseOffset) == [1_000, 1_003, 1_005])
        #expect(validated.headers.allSatisfy { $0.partitionLeaderEpoch == 0x0102_0304 })
        var start = 0
        for (index, part) in parts.enumerated() {
            let range = start..<(start + part.count)
            let rewritten = Array(validated.bytes[range])
            for position in rewritten.indices where !(0..<8).contains(position) && !(12..<16).contains(position) {
                #expect(rewritten[position] == part[position], "batch \(index) byte \(position)")
            }
            // The rewritten batch still validates and its header matches the stored one.
            #expect(try RecordBatchHeader.validate(rewritten) == validated.headers[index])
            start += part.count
        }
        #expect(try RecordBatchRecords.decode(validated.bytes, at: 0).map(\.offset) == [1_000, 1_001, 1_002])
        #expect(try RecordBatchRecords.decode(validated.bytes, at: parts[0].count).map(\.offset) == [1_003, 1_004])
        #expect(try ValidatedBatches(validating: validated.bytes).headers == validated.headers)
    }

    @Test func rewriteIgnoresTooShortBuffers() {
        var bytes: [UInt8] = [1, 2, 3]
        bytes.withUnsafeMutableBytes { RecordBatchHeader.rewrite(baseOffset: 5, partitionLeaderEpoch: 5, in: $0) }
        #expect(bytes == [1, 2, 3])
    }

    @Test func controlBatchesNeedPermission() throws {
        let control = batch(records: [], recordCount: 0, attributes: 0x30)
        #expect(caught { try ValidatedBatches(validating: control) } == .controlBatchNotAllowed)
        let allowed = try ValidatedBatches(validating: control, allowControl: true)
        #expect(allowed.headers[0].isControl)
        #expect(allowed.headers[0].isTransactional)
    }

    @Test func maximumBatchSizeIsEnforced() throws {
        let bytes = Self.producerBatch(records: 3, timestamp: 1)
        _ = try ValidatedBatches(validating: bytes, maxBatchSize: bytes.count)
        #expect(caught { try ValidatedBatches(validating: bytes, maxBatchSize: bytes.count - 1) }
                == .batchTooLarge(size: bytes.count, limit: bytes.count - 1))
        #expect(caught { try RecordBatchHeader.validate(bytes, maxBatchSize: 61) }
                == .batchTooLarge(size: bytes.count, limit: 61))
    }

    @Test func emptyAndTrailingBytesAreTruncated() {
        #expect(caught { try ValidatedBatches(validating: []) } == .truncated(needed: 61, available: 0))
        let bytes = Self.producerBatch(records: 2, timestamp: 1)
        #expect(caught { try ValidatedBatches(validating: bytes + [0, 0, 0]) } == .truncated(needed: 61, available: 3))
        let second = Self.producerBatch(records: 2, timestamp: 1)
        #expect(caught { try ValidatedBatches(validating: bytes + second.dropLast()) }
                == .truncated(needed: second.count, available: second.count - 1))
    }
}
