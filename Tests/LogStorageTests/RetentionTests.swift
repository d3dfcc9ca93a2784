import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

@Suite struct RetentionTests {
    let fs = MemoryFileSystem()
    let clock = ManualTimeSource(wallMillis: 1_700_000_000_000)

    func open(_ config: LogConfig) throws -> PartitionLog {
        try PartitionLog.open(directory: "/ret", config: config, fileSystem: fs, time: clock, logger: .silent)
    }

    /// Appends batches of ~1 KiB with the given timestamps.
    func fill(_ log: PartitionLog, timestamps: [Int64]) throws {
        for (tag, ts) in timestamps.enumerated() { _ = try log.append(try makeBatch(tag: tag, timestamp: ts, valueSize: 1000)) }
    }

    @Test func retentionByTimeDeletesWholeExpiredSegmentsFromTheHead() throws {
        var config = smallConfig(segmentBytes: 4096)
        config.retentionMillis = 60_000
        let log = try open(config)
        let now = clock.wallMillis()
        // 3 batches per segment: segments [0-2] old, [3-5] old, [6-8] fresh, [9] active fresh.
        try fill(log, timestamps: [now - 200_000, now - 190_000, now - 180_000,
                                   now - 120_000, now - 110_000, now - 61_000,
                                   now - 10_000, now - 5_000, now, now])
        #expect(log.segmentBaseOffsets == [0, 3, 6, 9])
        #expect(try log.applyRetention() == 2)
        #expect(log.segmentBaseOffsets == [6, 9])
        #expect(log.offsets.logStartOffset == 6)
        #expect(!fs.fileExists("/ret/00000000000000000000.log"))
        #expect(!fs.fileExists("/ret/00000000000000000003.index"))
        #expect(throws: LogStorageError.offsetOutOfRange(requested: 5, logStartOffset: 6, logEndOffset: 10)) {
            try log.read(from: 5, maxBytes: 100)
        }
        #expect(try readAll(log).map(\.baseOffset) == [6, 7, 8, 9])
        #expect(try log.applyRetention() == 0)
    }

    @Test func anExpiredActiveSegmentIsRolledThenDeleted() throws {
        var config = smallConfig(segmentBytes: 1 << 20)
        config.retentionMillis = 1_000
        let log = try open(config)
        try fill(log, timestamps: [clock.wallMillis(), clock.wallMillis()])
        clock.advance(millis: 5_000)
        #expect(try log.applyRetention() == 1)
        #expect(log.offsets == LogOffsets(logStartOffset: 2, highWatermark: 2, logEndOffset: 2))
        #expect(try log.read(from: 2, maxBytes: 100).region == nil)
        #expect(try log.append(try makeBatch(tag: 5)).baseOffset == 2, "offsets continue after everything expired")
    }

    @Test func retentionBySizeKeepsTheLogUnderTheLimit() throws {
        var config = smallConfig(segmentBytes: 4096)
        config.retentionBytes = 8_000
        config.retentionMillis = -1
        let log = try open(config)
        try fill(log, timestamps: Array(repeating: 0, count: 20))
        let before = log.sizeInBytes
        let deleted = try log.applyRetention()
        #expect(deleted > 0)
        #expect(log.sizeInBytes >= 8_000 - 4096 && log.sizeInBytes < before)
        // Deleting one more segment would take it below the limit.
        #expect(try log.applyRetention() == 0)
        let remaining = try readAll(log)
        #expect(remaining.first?.baseOffset == log.offsets.logStartOffset)
        #expect(remaining.last?.lastOffset == 19)
    }

    @Test func deleteRecordsMovesTheStartAndSurvivesRestart() throws {
        let config = smallConfig(segmentBytes: 4096)
        let log = try open(config)
        try fill(log, timestamps: Array(repeating: 0, count: 10))
        #expect(try log.deleteRecords(before: 4) == 4)
        #expect(log.segmentBaseOffsets.first == 3, "the segment holding offset 4 stays")
        #expect(log.offsets.logStartOffset == 4)
        // The start never moves back, and reads below it fail.
        #expect(try log.deleteRecords(before: 2) == 4)
        #expect(throws: LogStorageError.self) { try log.read(from: 3, maxBytes: 100) }
        let region = try #require(try log.read(from: 4, maxBytes: 1).region)
        #expect(try RecordBatchHeader(parsing: try region.readBytes(), at: 0).baseOffset == 4)
        #expect(throws: LogStorageError.offsetOutOfRange(requested: 11, logStartOffset: 4, logEndOffset: 10)) {
            try log.deleteRecords(before: 11)
        }
        // Crash without closing (data synced, so only the start offset is in question): the
        // start offset was persisted when it moved.
        try log.flush()
        var random = SplitMix64(seed: 3)
        fs.crash(using: &random)
        let reopened = try open(config)
        #expect(reopened.offsets.logStartOffset == 4)
        #expect(try readAll(reopened).map(\.baseOffset) == [4, 5, 6, 7, 8, 9])
        // -1 means "up to the high watermark".
        #expect(try reopened.deleteRecords(before: -1) == 10)
        #expect(reopened.offsets.logStartOffset == 10)
        #expect(try reopened.lookup(timestamp: 0) == nil)
    }
}
