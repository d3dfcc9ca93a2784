import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

/// Log compaction: what is kept (the latest record per key, offsets unchanged), tombstones and
/// their delete horizon, the lag and ratio settings, producer-state batches, and that readers,
/// appends and recovery work over the gaps compaction leaves.
@Suite struct CompactionTests {
    /// Checks the compaction contract: nothing invented, order kept, every key's latest record
    /// still there (unless removed as an expired tombstone), and at most one record per key
    /// below `compactedUpTo`.
    func checkCompacted(_ log: PartitionLog, written: [ReadRecord], compactedUpTo: Int64, tombstonesGone: Bool = false,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let records = try readAllRecords(log)
        let byOffset = Dictionary(uniqueKeysWithValues: written.map { ($0.offset, $0) })
        for record in records {
            #expect(byOffset[record.offset] == record, "record \(record) was never written", sourceLocation: sourceLocation)
        }
        var latest: [String: ReadRecord] = [:]
        for record in written { if let key = record.key { latest[key] = record } }
        let present = Set(records.map(\.offset))
        for (key, record) in latest {
            if record.value == nil && tombstonesGone && record.offset < compactedUpTo { continue }
            #expect(present.contains(record.offset), "the latest record of \(key) (\(record)) is gone", sourceLocation: sourceLocation)
        }
        var seen = Set<String>()
        for record in records where record.offset < compactedUpTo {
            guard let key = record.key else { Issue.record("a keyless record survived compaction", sourceLocation: sourceLocation); continue }
            #expect(seen.insert(key).inserted, "\(key) appears twice below \(compactedUpTo)", sourceLocation: sourceLocation)
        }
    }

    @Test func keepsTheLatestRecordOfEveryKeyWithItsOffset() throws {
        let fs = MemoryFileSystem()
        let clock = ManualTimeSource()
        let log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: .silent)
        let written = try fillKeyed(log, batches: 60, perBatch: 5, keys: 12, clock: clock)
        let segmentsBefore = log.segmentCount
        let sizeBefore = log.sizeInBytes
        #expect(segmentsBefore > 5)
        let candidate = try #require(try log.compactionCandidate())
        #expect(candidate.isDue && candidate.dirtyRatio == 1)
        let summary = try #require(try log.compact())
        #expect(summary.compactedUpTo == log.segmentBaseOffsets.last)
        #expect(summary.recordsRemoved > 200)
        #expect(log.sizeInBytes < sizeBefore / 3)
        try checkCompacted(log, written: written, compactedUpTo: summary.compactedUpTo)
        #expect(latestValues(try readAllRecords(log)) == latestValues(written))
        // Nothing is due right after a clean.
        #expect(try log.compact() == nil)
        // The log end offset and appends are unaffected.
        #expect(log.offsets.logEndOffset == 300)
        let more = try fillKeyed(log, batches: 1, perBatch: 2, keys: 12, seed: 999)
        #expect(more.first?.offset == 300)
    }

    @Test func aSecondPassCompactsTheNewDirtyPartTogetherWithTheCleanOne() throws {
        let clock = ManualTimeSource()
        let log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: MemoryFileSystem(), time: clock, logger: .silent)
        var written = try fillKeyed(log, batches: 40, perBatch: 5, keys: 10, clock: clock)
        let first = try #require(try log.compact())
        // Groups that compacted to nothing are dropped; the rest shrank.
        #expect(log.segmentCount < 8, "segments: \(log.segmentBaseOffsets)")
        written += try fillKeyed(log, batches: 40, perBatch: 5, keys: 10, clock: clock, seed: 200)
        let second = try #require(try log.compact())
        try checkCompacted(log, written: written, compactedUpTo: second.compactedUpTo)
        // The segments the first pass shrank are merged into one by the second.
        #expect(log.segmentBaseOffsets.filter { $0 < first.compactedUpTo }.count == 1, "segments: \(log.segmentBaseOffsets)")
    }

    @Test func readersFindTheNextRecordWhenTheirOffsetWasRemoved() throws {
        let log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: MemoryFileSystem(), time: ManualTimeSource(), logger: .silent)
        let written = try fillKeyed(log, batches: 30, perBatch: 4, keys: 3)
        _ = try #require(try log.compact())
        let kept = try readAllRecords(log).map(\.offset)
        let removed = try #require(written.map(\.offset).first { !kept.contains($0) })
        let read = try log.read(from: removed, maxBytes: 1 << 20)
        let bytes = try #require(read.region).readBytes()
        let records = try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true).flatMap {
            try RecordBatchRecords.decode(Array(bytes[$0.range]))
        }
        #expect(records.first { $0.offset >= removed }?.offset == kept.first { $0 > removed })
    }

    @Test func tombstonesStayUntilTheirDeleteHorizonThenGo() throws {
        let clock = ManualTimeSource()
        var config = compactedConfig()
        config.deleteRetentionMillis = 10_000
        let log = try PartitionLog.open(directory: "/p", config: config, fileSystem: MemoryFileSystem(), time: clock, logger: .silent)
        var written = try fillKeyed(log, batches: 20, perBatch: 5, keys: 10, clock: clock)
        // Delete half the keys.
        for k in 0..<5 {
            let result = try log.append(try keyedBatch([KeyedRecord(key: "key-\((k * 7919) % 10)", value: nil)], timestamp: clock.wallMillis()))
            written.append(ReadRecord(offset: result.baseOffset, key: "key-\((k * 7919) % 10)", value: nil))
        }
        for _ in 0..<12 {  // roll past the tombstones
            let result = try log.append(try keyedBatch([KeyedRecord(key: "filler", value: "f")]))
            written.append(ReadRecord(offset: result.baseOffset, key: "filler", value: "f"))
        }
        let first = try #require(try log.compact())
        try checkCompacted(log, written: written, compactedUpTo: first.compactedUpTo)
        let tombstones = try readAllRecords(log).filter { $0.value == nil && $0.offset < first.compactedUpTo }
        #expect(tombstones.count == 5, "tombstones survive the first compaction")
        #expect(first.tombstonesRemoved == 0)
        // Before the horizon nothing changes; after it the cleaner is due by itself and drops them.
        clock.advance(millis: 5_000)
        #expect(try log.compactionCandidate()?.isDue != true)
        clock.advance(millis: 6_000)
        #expect(try log.compactionCandidate()?.mustClean == true)
        let second = try #require(try log.compact())
        #expect(second.tombstonesRemoved == 5)
        try checkCompacted(log, written: written, compactedUpTo: second.compactedUpTo, tombstonesGone: true)
        #expect(try readAllRecords(log).allSatisfy { $0.value != nil })
    }

    @Test func theMinimumLagKeepsRecentSegmentsDirty() throws {
        let clock = ManualTimeSource()
        var config = compactedConfig()
        config.minCompactionLagMillis = 1_000
        let log = try PartitionLog.open(directory: "/p", config: config, fileSystem: MemoryFileSystem(), time: clock, logger: .silent)
        try fillKeyed(log, batches: 30, perBatch: 5, keys: 4, clock: clock)
        #expect(try log.compact() == nil, "every segment is younger than the lag")
        clock.advance(millis: 2_000)
        let written = try fillKeyed(log, batches: 30, perBatch: 5, keys: 4, clock: clock, seed: 1000)
        let summary = try #require(try log.compact())
        // Only what is older than the lag was compacted: the new records are all still there.
        let records = try readAllRecords(log)
        for record in written { #expect(records.contains(record)) }
        #expect(summary.compactedUpTo <= written[0].offset + 5)
    }

    @Test func theDirtyRatioAndTheMaximumLagDecideWhenACleanIsDue() throws {
        let clock = ManualTimeSource()
        var config = compactedConfig()
        config.minCleanableDirtyRatio = 0.9
        let log = try PartitionLog.open(directory: "/p", config: config, fileSystem: MemoryFileSystem(), time: clock, logger: .silent)
        try fillKeyed(log, batches: 40, perBatch: 5, keys: 500, clock: clock)  // unique keys: compaction removes little
        _ = try #require(try log.compact(force: true))
        try fillKeyed(log, batches: 8, perBatch: 5, keys: 500, clock: clock, seed: 7000)
        let candidate = try #require(try log.compactionCandidate())
        #expect(candidate.dirtyRatio > 0 && candidate.dirtyRatio < 0.9 && !candidate.isDue)
        #expect(try log.compact() == nil)
        // Past max.compaction.lag.ms the dirty records must be compacted whatever the ratio.
        config.maxCompactionLagMillis = 10_000
        log.updateConfig(config)
        clock.advance(millis: 20_000)
        #expect(try log.compactionCandidate()?.mustClean == true)
        #expect(try log.compact() != nil)
    }

    @Test func keylessRecordsAreDroppedAndTheLastBatchOfAProducerIsKept() throws {
        let fs = MemoryFileSystem()
        let clock = ManualTimeSource()
        var log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: .silent)
        // An idempotent producer writes k, then plain producers overwrite it many times.
        let producerBatch = try keyedBatch([KeyedRecord(key: "k", value: "from-producer")], producerId: 7, producerEpoch: 0, baseSequence: 0)
        _ = try log.append(producerBatch)
        _ = try log.append(try keyedBatch([KeyedRecord(key: nil, value: "no key")]))
        for i in 0..<40 { _ = try log.append(try keyedBatch([KeyedRecord(key: "k", value: "plain-\(i)")])) }
        let summary = try #require(try log.compact())
        #expect(summary.recordsRemoved >= 30)
        let records = try readAllRecords(log)
        #expect(!records.contains { $0.key == nil })
        #expect(!records.contains { $0.value == "from-producer" })
        // The producer's batch stays, emptied, so its sequence state can be rebuilt from the log.
        let region = try #require(try log.read(from: 0, maxBytes: 61).region)
        let header = try RecordBatchHeader(parsing: try region.readBytes(), at: 0)
        #expect(header.producerId == 7 && header.recordCount == 0 && header.baseOffset == 0)
        // After a crash that lost the producer snapshot, a retry of that batch is still a duplicate.
        try log.close()
        try fs.removeFile("/p/producer.snapshot")
        fs.setContents(Array("version 1\nclean 0\n".utf8), of: "/p/partition.checkpoint")
        log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: .silent)
        let retry = try log.append(try keyedBatch([KeyedRecord(key: "k", value: "from-producer")], producerId: 7, producerEpoch: 0, baseSequence: 0))
        #expect(retry.isDuplicate && retry.baseOffset == 0)
    }

    @Test func compressedBatchesAreCompactedToo() throws {
        let log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: MemoryFileSystem(), time: ManualTimeSource(), logger: .silent)
        var written: [ReadRecord] = []
        for b in 0..<30 {
            let records = (0..<4).map { KeyedRecord(key: "key-\(($0 + b) % 6)", value: "gz-\(b)-\($0)") }
            let result = try log.append(try gzipBatch(records))
            for (i, record) in records.enumerated() { written.append(ReadRecord(offset: result.baseOffset + Int64(i), key: record.key, value: record.value)) }
        }
        let summary = try #require(try log.compact())
        try checkCompacted(log, written: written, compactedUpTo: summary.compactedUpTo)
        #expect(latestValues(try readAllRecords(log)) == latestValues(written))
    }

    @Test func compactedLogsRecoverWithTheirGapsAfterACleanStopAndAfterACrash() throws {
        let fs = MemoryFileSystem()
        let clock = ManualTimeSource()
        var log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: .silent)
        let written = try fillKeyed(log, batches: 50, perBatch: 5, keys: 7, clock: clock)
        let summary = try #require(try log.compact())
        let compacted = try readAllRecords(log)
        try log.close()
        log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: .silent)
        #expect(try readAllRecords(log) == compacted)
        // A crash (no clean checkpoint) makes recovery scan segments: the gaps are accepted.
        var random = SplitMix64(seed: 3)
        fs.crash(using: &random)
        let capture = LogCapture()
        log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: capture.logger)
        #expect(try readAllRecords(log) == compacted)
        #expect(!capture.warnings.contains { $0.contains("corrupt") })
        try checkCompacted(log, written: written, compactedUpTo: summary.compactedUpTo)
        #expect(try log.append(try keyedBatch([KeyedRecord(key: "x", value: "y")])).baseOffset == 250)
    }

    @Test func deleteOnlyPoliciesAreNeverCompactedAndCompactOnlyIgnoresRetention() throws {
        let clock = ManualTimeSource()
        var config = compactedConfig(policy: .delete)
        let plain = try PartitionLog.open(directory: "/a", config: config, fileSystem: MemoryFileSystem(), time: clock, logger: .silent)
        try fillKeyed(plain, batches: 20, perBatch: 5, keys: 2, clock: clock)
        #expect(try plain.compactionCandidate() == nil)
        #expect(try plain.compact(force: true) == nil)
        config = compactedConfig(policy: .compact)
        config.retentionMillis = 1
        let compacted = try PartitionLog.open(directory: "/b", config: config, fileSystem: MemoryFileSystem(), time: clock, logger: .silent)
        try fillKeyed(compacted, batches: 20, perBatch: 5, keys: 2, clock: clock)
        clock.advance(millis: 1_000)
        #expect(try compacted.applyRetention() == 0, "compact alone keeps data whatever its age")
    }

    @Test func anIdleActiveSegmentRollsAfterSegmentMs() throws {
        let clock = ManualTimeSource()
        var config = compactedConfig(segmentBytes: 1 << 20)
        config.segmentMillis = 1_000
        let log = try PartitionLog.open(directory: "/p", config: config, fileSystem: MemoryFileSystem(), time: clock, logger: .silent)
        try fillKeyed(log, batches: 10, perBatch: 5, keys: 3, clock: clock)
        #expect(log.segmentCount == 1)
        #expect(try log.rollIfIdle() == false)
        #expect(try log.compact() == nil, "the active segment is never compacted")
        clock.advance(millis: 1_000)
        #expect(try log.rollIfIdle() == true)
        #expect(log.segmentCount == 2)
        let summary = try #require(try log.compact())
        #expect(summary.compactedUpTo == 50)
        #expect(try readAllRecords(log).count == 3)
    }

    @Test func appendsAndReadsContinueWhileACompactionRuns() async throws {
        let clock = ManualTimeSource()
        let log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: MemoryFileSystem(), time: clock, logger: .silent)
        var written = try fillKeyed(log, batches: 200, perBatch: 5, keys: 20, clock: clock)
        let appender = Task.detached { () throws -> [ReadRecord] in
            try fillKeyed(log, batches: 200, perBatch: 5, keys: 20, seed: 10_000)
        }
        var passes = 0
        while try log.compact(offsetMapBytes: 1 << 20) != nil, passes < 50 { passes += 1 }
        written += try await appender.value
        try log.compact()
        written.sort { $0.offset < $1.offset }
        let records = try readAllRecords(log)
        #expect(latestValues(records) == latestValues(written))
        #expect(log.offsets.logEndOffset == 2_000)
    }

    @Test func aSmallKeyMapCompactsInSeveralPasses() throws {
        let log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: MemoryFileSystem(), time: ManualTimeSource(), logger: .silent)
        let written = try fillKeyed(log, batches: 80, perBatch: 5, keys: 60)
        // Room for about ten keys per pass: each pass covers part of the dirty range.
        let first = try #require(try log.compact(offsetMapBytes: 10 * (CompactionOffsetMap.entryOverhead + 7)))
        #expect(first.compactedUpTo < 395)
        var passes = 1
        while try log.compact(offsetMapBytes: 10 * (CompactionOffsetMap.entryOverhead + 7), force: true) != nil, passes < 100 { passes += 1 }
        #expect(passes > 3)
        try checkCompacted(log, written: written, compactedUpTo: try #require(log.segmentBaseOffsets.last))
    }
}
