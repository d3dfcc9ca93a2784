import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

/// Kills the cleaner at every step of a compaction, through the storage file layer
/// (`MemoryFileSystem.die(afterOperations:)`: the n-th mutating file operation is the last to
/// take effect), then restarts — as a process crash or a power cut — and checks that the latest
/// value of every key is still there, nothing half-swapped is left behind, and the log goes on.
@Suite struct CompactionCrashTests {
    /// A log of 80 keyed batches (with tombstones) over small segments, synced, and what was written.
    func prepared(_ fs: MemoryFileSystem, _ clock: ManualTimeSource) throws -> (PartitionLog, [ReadRecord]) {
        let log = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: .silent)
        let written = try fillKeyed(log, batches: 80, perBatch: 4, keys: 9, clock: clock, tombstoneEvery: 11)
        try log.flush()
        return (log, written)
    }

    func checkIntact(_ log: PartitionLog, written: [ReadRecord], context: String) throws {
        let records = try readAllRecords(log)
        let byOffset = Dictionary(uniqueKeysWithValues: written.map { ($0.offset, $0) })
        for record in records { #expect(byOffset[record.offset] == record, "\(context): \(record) was never written") }
        var latest: [String: ReadRecord] = [:]
        for record in written { if let key = record.key { latest[key] = record } }
        let present = Set(records.map(\.offset))
        for (key, record) in latest {
            #expect(present.contains(record.offset), "\(context): the latest record of \(key) (\(record)) is gone")
        }
        #expect(log.offsets.logEndOffset == written.count, "\(context): log end offset")
    }

    @Test(arguments: [false, true])
    func killingTheCleanerAtAnyStepLosesNothing(powerLoss: Bool) throws {
        var random = SplitMix64(seed: powerLoss ? 17 : 5)
        var step = 1
        var completed = false
        while !completed && step < 400 {
            let fs = MemoryFileSystem()
            let clock = ManualTimeSource()
            let (log, written) = try prepared(fs, clock)
            fs.die(afterOperations: step)
            _ = try? log.compact()
            completed = !fs.isDead
            if powerLoss { fs.crash(using: &random) } else { fs.restartProcess() }
            let context = "\(powerLoss ? "power cut" : "crash") after \(step) operations"
            let capture = LogCapture()
            let reopened = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: capture.logger)
            try checkIntact(reopened, written: written, context: context)
            #expect(!capture.warnings.contains { $0.contains("corrupt") }, "\(context): \(capture.warnings)")
            let leftovers = try fs.listDirectory("/p").filter {
                $0.hasSuffix(CleanerSwapManifest.cleanedSuffix) || $0 == CleanerSwapManifest.fileName || $0.hasSuffix(".deleted")
            }
            #expect(leftovers.isEmpty, "\(context): \(leftovers)")
            // The log goes on: appends continue at the end, and a full compaction then succeeds.
            let next = try reopened.append(try keyedBatch([KeyedRecord(key: "after", value: "crash")]))
            #expect(next.baseOffset == Int64(written.count), "\(context)")
            _ = try reopened.compact(force: true)
            try checkIntact(reopened, written: written + [ReadRecord(offset: next.baseOffset, key: "after", value: "crash")], context: context + ", compacted again")
            step += 1
        }
        #expect(completed, "the compaction finished without dying within \(step) operations")
        #expect(step > 20, "the compaction should take many file operations")
    }

    @Test func aCommittedSwapIsFinishedByRecoveryAndAnUncommittedOneIsDropped() throws {
        let fs = MemoryFileSystem()
        let clock = ManualTimeSource()
        let (log, written) = try prepared(fs, clock)
        try log.close()
        let bases = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: .silent).segmentBaseOffsets
        // An uncommitted clean: a .cleaned file and no manifest. It is removed, the data kept.
        fs.setContents([1, 2, 3], of: "/p/" + SegmentFileName.stem(bases[0]) + ".log.cleaned")
        var reopened = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: .silent)
        try checkIntact(reopened, written: written, context: "uncommitted")
        #expect(!fs.fileExists("/p/" + SegmentFileName.stem(bases[0]) + ".log.cleaned"))
        try reopened.close()
        // A committed swap (manifest written) of the first two segments into one: recovery
        // removes the second and puts the cleaned file in place of the first.
        let first = try #require(fs.contents(of: "/p/" + SegmentFileName.stem(bases[0]) + ".log"))
        let second = try #require(fs.contents(of: "/p/" + SegmentFileName.stem(bases[1]) + ".log"))
        fs.setContents(first + second, of: "/p/" + SegmentFileName.stem(bases[0]) + ".log.cleaned")
        fs.setContents(CleanerSwapManifest(base: bases[0], replaced: [bases[0], bases[1]]).serialized(), of: "/p/cleaner.swap")
        fs.setContents(CleanerCheckpoint(firstDirtyOffset: 0, gapHorizon: bases[2]).serialized(), of: "/p/cleaner.checkpoint")
        reopened = try PartitionLog.open(directory: "/p", config: compactedConfig(), fileSystem: fs, time: clock, logger: .silent)
        #expect(reopened.segmentBaseOffsets == [bases[0]] + bases.dropFirst(2))
        #expect(!fs.fileExists("/p/cleaner.swap"))
        try checkIntact(reopened, written: written, context: "committed")
    }
}
