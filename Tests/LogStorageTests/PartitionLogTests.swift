import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

@Suite struct PartitionLogTests {
    let fs = MemoryFileSystem()
    let clock = ManualTimeSource()

    func open(_ config: LogConfig = smallConfig(), logger: Logger = .silent) throws -> PartitionLog {
        try PartitionLog.open(directory: "/data/t/0", config: config, fileSystem: fs, time: clock, logger: logger)
    }

    @Test func emptyLogHasZeroOffsetsAndReadsNothing() throws {
        let log = try open()
        #expect(log.offsets == LogOffsets(logStartOffset: 0, highWatermark: 0, logEndOffset: 0))
        #expect(try log.read(from: 0, maxBytes: 1000).region == nil)
        #expect(throws: LogStorageError.offsetOutOfRange(requested: 1, logStartOffset: 0, logEndOffset: 0)) {
            try log.read(from: 1, maxBytes: 1000)
        }
        #expect(try log.lookup(timestamp: 0) == nil)
    }

    @Test func appendAssignsContiguousOffsetsAndRoundTrips() throws {
        let log = try open(smallConfig(segmentBytes: 1 << 20))
        var expected: [StoredBatch] = []
        var next: Int64 = 0
        for tag in 0..<50 {
            let batch = try makeBatch(tag: tag, records: tag % 5 + 1)
            let result = try log.append(batch)
            #expect(result.baseOffset == next)
            #expect(result.lastOffset == next + batch.offsetCount - 1)
            expected.append(StoredBatch(baseOffset: next, batch: batch))
            next += batch.offsetCount
        }
        #expect(log.offsets.logEndOffset == next)
        #expect(try readAll(log) == expected)
        #expect(try readAll(log, maxBytes: 1) == expected, "a tiny budget still returns one whole batch")
    }

    @Test func storedBatchesDifferOnlyInBaseOffsetAndEpoch() throws {
        let log = try open()
        _ = try log.append(try makeBatch(tag: 1, records: 3))
        let batch = try makeBatch(tag: 2, records: 2)
        _ = try log.append(batch)
        let region = try #require(try log.read(from: 3, maxBytes: 10_000).region)
        let stored = try region.readBytes()
        #expect(stored.count == batch.bytes.count)
        #expect(Array(stored[0..<8]) == [0, 0, 0, 0, 0, 0, 0, 3])
        #expect(Array(stored[12..<16]) == [0, 0, 0, 0], "leader epoch is stamped 0")
        #expect(Array(stored[8..<12]) == Array(batch.bytes[8..<12]))
        #expect(Array(stored[16...]) == Array(batch.bytes[16...]))
        // A multi-batch append stores several batches with consecutive offsets.
        var bytes = try makeBatch(tag: 3, records: 2).bytes
        bytes += try makeBatch(tag: 4, records: 3).bytes
        let both = try ValidatedBatches(validating: bytes)
        #expect(try log.append(both) == AppendResult(baseOffset: 5, lastOffset: 9))
        #expect(try readAll(log).map(\.baseOffset) == [0, 3, 5, 7])
    }

    @Test func everyOffsetIsFoundAtEveryIndexBoundary() throws {
        // Tiny index interval and segments: lookups land exactly on, just before and just after
        // index entries and segment boundaries.
        for interval in [0, 1, 100, 300, 5000] {
            let fs = MemoryFileSystem()
            let log = try PartitionLog.open(directory: "/p", config: smallConfig(segmentBytes: 4096, indexInterval: interval),
                                            fileSystem: fs, time: clock, logger: .silent)
            var batches: [StoredBatch] = []
            var next: Int64 = 0
            for tag in 0..<120 {
                let batch = try makeBatch(tag: tag, records: tag % 4 + 1, valueSize: 10 + tag % 50)
                _ = try log.append(batch)
                batches.append(StoredBatch(baseOffset: next, batch: batch))
                next += batch.offsetCount
            }
            #expect(log.segmentCount > 3)
            for offset in 0..<next {
                let region = try #require(try log.read(from: offset, maxBytes: 1).region)
                let bytes = try region.readBytes()
                let header = try RecordBatchHeader(parsing: bytes, at: 0)
                let expected = try #require(batches.first { $0.baseOffset <= offset && offset <= $0.lastOffset })
                #expect(header.baseOffset == expected.baseOffset, "offset \(offset) interval \(interval)")
                #expect(region.length == header.totalSize)
            }
            #expect(try log.read(from: next, maxBytes: 100).region == nil)
            #expect(try readAll(log, maxBytes: 700) == batches)
        }
    }

    @Test func readRespectsTheByteBudgetWithWholeBatches() throws {
        let log = try open(smallConfig(segmentBytes: 1 << 20, indexInterval: 64))
        var sizes: [Int] = []
        for tag in 0..<20 {
            let batch = try makeBatch(tag: tag, valueSize: 40 + tag * 3)
            sizes.append(batch.bytes.count)
            _ = try log.append(batch)
        }
        for budget in [0, 1, sizes[0], sizes[0] + 1, sizes[0] + sizes[1], 1000, 100_000] {
            let region = try #require(try log.read(from: 0, maxBytes: budget).region)
            var expected = 0
            var count = 0
            while count < sizes.count && expected + sizes[count] <= budget { expected += sizes[count]; count += 1 }
            if count == 0 { expected = sizes[0] }
            #expect(region.length == expected, "budget \(budget)")
        }
        #expect(try log.read(from: 0, maxBytes: 10, minOneBatch: false).region == nil)
    }

    @Test func rollsBySizeAndByAge() throws {
        var config = smallConfig(segmentBytes: 4096)
        config.segmentMillis = 60_000
        let log = try open(config)
        let batch = try makeBatch(tag: 0, valueSize: 1000)
        for _ in 0..<3 { _ = try log.append(batch) }
        #expect(log.segmentCount == 1)
        _ = try log.append(batch)  // would pass 4096
        #expect(log.segmentBaseOffsets == [0, 3])
        clock.advance(millis: 59_999)
        _ = try log.append(batch)
        #expect(log.segmentCount == 2)
        clock.advance(millis: 1)
        _ = try log.append(batch)
        #expect(log.segmentBaseOffsets == [0, 3, 5])
        // Sealed segments have their index files written.
        #expect(fs.fileExists("/data/t/0/00000000000000000000.index"))
        #expect(fs.fileExists("/data/t/0/00000000000000000003.timeindex"))
        #expect(try readAll(log).count == 6)
    }

    @Test func rejectsBatchesOverTheLimit() throws {
        var config = smallConfig()
        config.maxBatchBytes = 200
        let log = try open(config)
        let big = try makeBatch(tag: 0, valueSize: 300)
        #expect(throws: LogStorageError.batchTooLarge(size: big.bytes.count, limit: 200)) { try log.append(big) }
        #expect(log.offsets.logEndOffset == 0)
    }

    @Test func timestampLookupFindsTheEarliestBatchAtOrAfter() throws {
        let log = try open(smallConfig(segmentBytes: 4096, indexInterval: 100))
        // Timestamps go up and down: the answer is the first batch whose max ≥ t, not the
        // first batch with a larger timestamp after a smaller one.
        let timestamps: [Int64] = (0..<80).map { (i: Int) -> Int64 in
            let bump: Int64 = i % 7 == 3 ? 500 : 0
            let dip: Int64 = i % 5 == 0 ? 40 : 0
            return 1_000 + Int64(i * 10) + bump - dip
        }
        for (tag, ts) in timestamps.enumerated() { _ = try log.append(try makeBatch(tag: tag, records: 1, timestamp: ts, valueSize: 60)) }
        #expect(log.segmentCount > 2)
        for target in stride(from: Int64(900), through: 2_400, by: 7) {
            let expected = timestamps.firstIndex { $0 >= target }
            let found = try log.lookup(timestamp: target)
            #expect(found?.offset == expected.map(Int64.init), "target \(target)")
            if let found, let expected {
                #expect(found.timestamp == timestamps[expected])
                let header = try RecordBatchHeader(parsing: try found.batch.readBytes(), at: 0)
                #expect(header.baseOffset == Int64(expected))
            }
        }
        let max = try #require(try log.lookupMaxTimestamp())
        #expect(max.timestamp == timestamps.max())
        #expect(max.offset == Int64(timestamps.firstIndex(of: timestamps.max() ?? 0) ?? -1))
    }

    @Test func alwaysSyncsBeforeAcknowledgingAndHidesUnsyncedData() throws {
        let log = try open(smallConfig(durability: .always, segmentBytes: 1 << 20))
        let syncsBefore = fs.syncCount
        _ = try log.append(try makeBatch(tag: 0))
        #expect(fs.syncCount == syncsBefore + 1)
        #expect(log.offsets.highWatermark == 1)
        var random = SplitMix64(seed: 1)
        fs.crash(using: &random)
        let reopened = try open(smallConfig(durability: .always))
        #expect(reopened.offsets.logEndOffset == 1, "an acknowledged always-append survives power loss")
    }

    @Test func intervalSyncsWhenDue() throws {
        let log = try open(smallConfig(durability: .interval(milliseconds: 100), segmentBytes: 1 << 20))
        _ = try log.append(try makeBatch(tag: 0))
        #expect(try log.flushIfDue() == false)
        clock.advance(millis: 100)
        #expect(try log.flushIfDue() == true)
        #expect(try log.flushIfDue() == false, "nothing new to sync")
        _ = try log.append(try makeBatch(tag: 1))
        #expect(try log.flushIfDue() == false, "the interval restarts at the last sync")
        var random = SplitMix64(seed: 7)
        fs.crash(using: &random)
        let reopened = try open()
        #expect(reopened.offsets.logEndOffset >= 1)
    }

    @Test func concurrentAlwaysAppendsShareSyncs() async throws {
        let log = try open(smallConfig(durability: .always, segmentBytes: 1 << 20))
        let batch = try makeBatch(tag: 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<50 { _ = try log.append(batch) } }
            }
            try await group.waitForAll()
        }
        #expect(log.offsets.logEndOffset == 400)
        #expect(log.offsets.highWatermark == 400)
        #expect(try readAll(log).count == 400)
    }

    @Test func failedWriteUsesNoOffsetAndTheLogGoesOn() throws {
        let log = try open()
        _ = try log.append(try makeBatch(tag: 0))
        fs.failNextWrite(afterBytes: 10)
        #expect(throws: LogStorageError.self) { try log.append(try makeBatch(tag: 1)) }
        #expect(log.offsets.logEndOffset == 1)
        #expect(try log.append(try makeBatch(tag: 2)).baseOffset == 1)
        #expect(try readAll(log).count == 2)
    }

    @Test func closedLogRefusesWork() throws {
        let log = try open()
        try log.close()
        try log.close()
        #expect(throws: LogStorageError.closed) { try log.append(try makeBatch(tag: 0)) }
        #expect(throws: LogStorageError.closed) { try log.read(from: 0, maxBytes: 10) }
    }
}
