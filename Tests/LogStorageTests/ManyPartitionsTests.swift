import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

/// A store with many more partitions than it may hold files open: descriptors stay under the
/// cap through appends, reads, rolls, restarts and crashes; untouched partitions cost nothing
/// to open or close; a creation that fails half-way leaves nothing behind.
@Suite struct ManyPartitionsTests {
    let clock = ManualTimeSource()

    /// Small segments (several per partition) and no syncs on append.
    func manyConfig(partitions: Int32) throws -> TopicConfig {
        var config = TopicConfig(partitionCount: partitions)
        try config.set("internal.segment.bytes", "2048")
        try config.set("durability", "never")
        try config.set("file.delete.delay.ms", "0")
        return config
    }

    func open(_ fs: MemoryFileSystem, cap: Int, logger: Logger = .silent) throws -> LogStore {
        try LogStore.open(dataDirectory: "/data", fileSystem: fs, time: clock, logger: logger, maxOpenFiles: cap)
    }

    /// Appends `rounds` batches to each partition in `partitions`; returns what each holds.
    func fill(_ store: LogStore, _ topic: String, partitions: [Int32], rounds: Int, tag: Int = 0) throws -> [Int32: [StoredBatch]] {
        var expected: [Int32: [StoredBatch]] = [:]
        for round in 0..<rounds {
            for partition in partitions {
                let batch = try makeBatch(tag: tag + round * 100_000 + Int(partition), records: 2, valueSize: 300)
                let result = try store.partition(topic, partition).append(batch)
                expected[partition, default: []].append(StoredBatch(baseOffset: result.baseOffset, batch: batch))
            }
        }
        return expected
    }

    @Test func openFilesStayUnderTheCapWithMorePartitionsThanDescriptors() throws {
        let fs = MemoryFileSystem()
        let cap = 16
        let partitions = Array(Int32(0)..<300)
        var expected: [Int32: [StoredBatch]] = [:]
        do {
            let store = try open(fs, cap: cap)
            try store.createTopic("many", config: try manyConfig(partitions: 300))
            #expect(fs.openFileCount == 0, "creating partitions keeps no file open")
            // Appends and reads are single-threaded here: the cache's files, the one being
            // opened and a region being read. Anything beyond fails with EMFILE.
            fs.limitOpenFiles(to: cap + 2)
            fs.resetPeakOpenFileCount()
            expected = try fill(store, "many", partitions: partitions, rounds: 6)
            for partition in partitions {
                #expect(try store.partition("many", partition).segmentCount > 1, "the test needs rolls")
                #expect(try readAll(store.partition("many", partition)) == expected[partition])
            }
            #expect(fs.peakOpenFileCount <= cap + 2)
            #expect(store.files.openCount <= cap)
            #expect(store.files.statistics.closed > 1000, "files were closed and opened again on demand")
            fs.limitOpenFiles(to: nil)
            try store.close()
        }
        #expect(fs.openFileCount == 0, "a closed store holds no file")

        // A clean open only checks each segment's last batches, through the cache (on all
        // cores: each worker holds at most a file beyond the cache's); reading everything stays
        // under the cap.
        fs.resetPeakOpenFileCount()
        let store = try open(fs, cap: cap)
        #expect(store.files.openCount <= cap)
        #expect(fs.peakOpenFileCount <= cap + 16)
        fs.limitOpenFiles(to: cap + 2)
        fs.resetPeakOpenFileCount()
        for partition in partitions {
            #expect(try readAll(store.partition("many", partition)) == expected[partition])
        }
        #expect(fs.peakOpenFileCount <= cap + 2)
        fs.limitOpenFiles(to: nil)
        try store.close()
    }

    @Test func untouchedPartitionsCostNothingToOpenOrClose() throws {
        let fs = MemoryFileSystem()
        do {
            let store = try open(fs, cap: 8)
            try store.createTopic("idle", config: try manyConfig(partitions: 500))
            _ = try fill(store, "idle", partitions: [7], rounds: 1)
            try store.close()
        }
        let written = fs.bytesWritten
        let read = fs.bytesRead
        let syncs = fs.syncCount
        let store = try open(fs, cap: 8)
        #expect(try store.partition("idle", 7).offsets.logEndOffset == 2)
        try store.close()
        #expect(fs.bytesWritten == written, "a clean open and close of untouched partitions writes nothing")
        #expect(fs.syncCount == syncs, "and syncs no file")
        #expect(fs.bytesRead - read < 500 * 1_200, "only the checkpoints (1 KiB) are read, no segment")
    }

    @Test func aCheckpointTurnsUncleanBeforeTheFirstAppendAfterACleanOpen() throws {
        let fs = MemoryFileSystem()
        do {
            let store = try open(fs, cap: 4)
            try store.createTopic("t", config: try manyConfig(partitions: 2))
            try store.close()
        }
        let store = try open(fs, cap: 4)
        func clean(_ partition: Int) -> Bool? {
            PartitionCheckpoint.parseFile(fs.contents(of: "/data/topics/t/\(partition)/partition.checkpoint") ?? [])?.checkpoint.clean
        }
        #expect(clean(0) == true)
        _ = try fill(store, "t", partitions: [0], rounds: 1)
        #expect(clean(0) == false, "a crash from now on must not be taken for a clean shutdown")
        #expect(clean(1) == true)
        try store.close()
        #expect(clean(0) == true)
    }

    @Test func aProcessCrashWithManyPartitionsLosesNothingAndRecoversWithOneSync() throws {
        let fs = MemoryFileSystem()
        let cap = 8
        let touched = Array(stride(from: Int32(0), to: 200, by: 2))
        var expected: [String: [Int32: [StoredBatch]]] = [:]
        let topics: [(name: String, durability: String, partitions: Int32)] = [("crash", "never", 200), ("acked", "always", 20), ("timed", "interval", 10)]
        do {
            let store = try open(fs, cap: cap)
            for topic in topics {
                var config = try manyConfig(partitions: topic.partitions)
                try config.set("durability", topic.durability)
                try store.createTopic(topic.name, config: config)
            }
            try store.close()
        }
        do {
            let store = try open(fs, cap: cap)
            expected["crash"] = try fill(store, "crash", partitions: touched, rounds: 5)
            expected["acked"] = try fill(store, "acked", partitions: Array(0..<20), rounds: 2)
            expected["timed"] = try fill(store, "timed", partitions: Array(0..<10), rounds: 2)
            // SIGKILL: no close; written bytes stay in the (simulated) page cache.
        }
        fs.restartProcess()
        let syncs = fs.syncCount
        let syncAlls = fs.syncAllCount
        fs.resetPeakOpenFileCount()
        let capture = LogCapture()
        let store = try open(fs, cap: cap, logger: capture.logger)
        for topic in topics {
            for partition in Int32(0)..<topic.partitions {
                #expect(try readAll(store.partition(topic.name, partition)) == expected[topic.name]?[partition] ?? [])
            }
        }
        #expect(fs.syncAllCount == syncAlls + 1, "recovery syncs once for the whole store (for the durability=always logs)")
        #expect(fs.syncCount == syncs, "and no file one by one")
        #expect(fs.peakOpenFileCount <= cap + 16)
        let recovered = capture.all.filter { $0.contains("no clean shutdown recorded") }
        #expect(recovered.count == touched.count + 30, "only the partitions written to are checked")
        // Recovered interval logs are synced by the flusher within flush.ms, not before the start.
        #expect(store.pendingFlushes.count == 10)
        #expect(try store.partition("timed", 0).durableOffset == 0)
        clock.advance(millis: 1_000)
        store.flushDuePartitions()
        #expect(store.pendingFlushes.count == 0)
        #expect(try store.partition("timed", 0).durableOffset == store.partition("timed", 0).offsets.logEndOffset)
        // The recovered logs go on as usual.
        let more = try fill(store, "crash", partitions: [0, 1], rounds: 1, tag: 7_000_000)
        #expect(try readAll(store.partition("crash", 0)) == (expected["crash"]?[0] ?? []) + (more[0] ?? []))
        try store.close()
    }

    @Test func onlyLogsWithUnsyncedIntervalAppendsAreVisitedByTheFlusher() throws {
        let fs = MemoryFileSystem()
        let store = try open(fs, cap: 4)
        var config = try manyConfig(partitions: 50)
        try config.set("durability", "interval")
        try store.createTopic("f", config: config)
        #expect(store.pendingFlushes.count == 0, "an idle store has nothing for the flusher")
        _ = try fill(store, "f", partitions: [3, 7], rounds: 1)
        #expect(store.pendingFlushes.count == 2)
        store.flushDuePartitions()
        #expect(store.pendingFlushes.count == 2, "not due before flush.ms")
        clock.advance(millis: 1_000)
        store.flushDuePartitions()
        #expect(store.pendingFlushes.count == 0)
        #expect(try store.partition("f", 3).durableOffset == 2)
        // Unsynced appends under `never` are picked up once the topic switches to `interval`.
        try config.set("durability", "never")
        try store.updateTopic("f", config: config)
        _ = try fill(store, "f", partitions: [4], rounds: 1)
        #expect(store.pendingFlushes.count == 0)
        try config.set("durability", "interval")
        try store.updateTopic("f", config: config)
        #expect(store.pendingFlushes.count == 1)
        clock.advance(millis: 1_000)
        store.flushDuePartitions()
        #expect(try store.partition("f", 4).durableOffset == 2)
        #expect(store.pendingFlushes.count == 0)
        try store.close()
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func aPowerCutWithManyPartitionsKeepsEverySyncedBatch(seed: UInt64) throws {
        let fs = MemoryFileSystem()
        var random = SplitMix64(seed: seed)
        let partitions = Array(Int32(0)..<120)
        var synced: [Int32: [StoredBatch]] = [:]
        var all: [Int32: [StoredBatch]] = [:]
        do {
            let store = try open(fs, cap: 8)
            try store.createTopic("cut", config: try manyConfig(partitions: 120))
            synced = try fill(store, "cut", partitions: partitions, rounds: 3)
            for partition in partitions { try store.partition("cut", partition).flush() }
            let unsynced = try fill(store, "cut", partitions: partitions, rounds: 3, tag: 1_000_000)
            for partition in partitions { all[partition] = (synced[partition] ?? []) + (unsynced[partition] ?? []) }
        }
        fs.crash(using: &random)
        let store = try open(fs, cap: 8)
        for partition in partitions {
            let batches = try readAll(store.partition("cut", partition))
            let kept = try #require(synced[partition])
            #expect(batches.count >= kept.count && Array(batches.prefix(kept.count)) == kept, "partition \(partition) lost synced batches")
            #expect(batches == Array((all[partition] ?? []).prefix(batches.count)), "partition \(partition) is not a prefix of what was appended")
        }
        try store.close()
    }

    @Test func aCleanCloseFollowedByAPowerCutKeepsEverythingAndScansNothing() throws {
        let fs = MemoryFileSystem()
        var random = SplitMix64(seed: 42)
        let partitions = Array(Int32(0)..<100)
        var expected: [Int32: [StoredBatch]] = [:]
        do {
            let store = try open(fs, cap: 8)
            try store.createTopic("closed", config: try manyConfig(partitions: 100))
            expected = try fill(store, "closed", partitions: partitions, rounds: 4)
            try store.close()
        }
        fs.crash(using: &random)
        let capture = LogCapture()
        let store = try open(fs, cap: 8, logger: capture.logger)
        for partition in partitions {
            #expect(try readAll(store.partition("closed", partition)) == expected[partition])
        }
        #expect(capture.warnings.isEmpty)
        #expect(!capture.all.contains { $0.contains("no clean shutdown recorded") }, "every partition was closed cleanly and durably")
        try store.close()
    }

    /// A close's operations: 20 partitions with active segments big enough for index files,
    /// so about 4 per partition, a sync, one checkpoint write each, a sync.
    @Test(arguments: [1, 2, 10, 40, 81, 90, 101])
    func aCrashInTheMiddleOfACloseLeavesRecoverableLogs(operations: Int) throws {
        let fs = MemoryFileSystem()
        var random = SplitMix64(seed: UInt64(operations))
        let partitions = Array(Int32(0)..<20)
        var expected: [Int32: [StoredBatch]] = [:]
        do {
            let store = try open(fs, cap: 8)
            var config = try manyConfig(partitions: 20)
            try config.set("internal.segment.bytes", "1048576")
            try store.createTopic("dying", config: config)
            expected = try fill(store, "dying", partitions: partitions, rounds: 30)
            #expect(try store.partition("dying", 0).sizeInBytes > PartitionLog.smallActiveSegment)
            fs.die(afterOperations: operations)
            #expect(throws: LogStorageError.self) { try store.close() }
            #expect(fs.isDead)
        }
        fs.crash(using: &random)
        let store = try open(fs, cap: 8)
        for partition in partitions {
            let batches = try readAll(store.partition("dying", partition))
            #expect(batches == Array((expected[partition] ?? []).prefix(batches.count)))
        }
        try store.close()
    }

    func idempotent(producer: Int64, sequence: Int32, valueSize: Int = 100) throws -> ValidatedBatches {
        var builder = RecordBatchBuilder(producerId: producer, producerEpoch: 0, baseSequence: sequence)
        builder.append(RecordInput(value: [UInt8](repeating: UInt8(truncatingIfNeeded: sequence), count: valueSize), timestamp: 1_000))
        return try ValidatedBatches(validating: builder.build())
    }

    /// A store's close writes no producer snapshot for a small active segment (nor for one
    /// whose producers did not change); the next open rebuilds the producers from the batches.
    @Test(arguments: [100, 30_000])
    func idempotentProducersAreKnownAgainAfterAStoreRestart(valueSize: Int) throws {
        let fs = MemoryFileSystem()
        var config = try manyConfig(partitions: 40)
        try config.set("internal.segment.bytes", "1048576")
        do {
            let store = try open(fs, cap: 8)
            try store.createTopic("idem", config: config)
            for partition in Int32(0)..<40 {
                for sequence in Int32(0)..<3 {
                    _ = try store.partition("idem", partition).append(try idempotent(producer: Int64(partition) + 100, sequence: sequence, valueSize: valueSize))
                }
            }
            try store.close()
        }
        #expect(fs.contents(of: "/data/topics/idem/0/producer.snapshot") == nil || valueSize > 1000, "small active segments get no snapshot")
        for round in 0..<2 {
            let store = try open(fs, cap: 8)
            for partition in Int32(0)..<40 {
                let log = try store.partition("idem", partition)
                let retry = try log.append(try idempotent(producer: Int64(partition) + 100, sequence: 2, valueSize: valueSize))
                #expect(retry == AppendResult(baseOffset: 2, lastOffset: 2, isDuplicate: true), "round \(round), partition \(partition)")
                #expect(throws: LogStorageError.outOfOrderSequence(producerId: Int64(partition) + 100, expected: 3, got: 7)) {
                    try log.append(try idempotent(producer: Int64(partition) + 100, sequence: 7, valueSize: valueSize))
                }
            }
            try store.close()
        }
    }

    @Test func aCreationThatFailsHalfWayLeavesNoTopicBehind() throws {
        let fs = MemoryFileSystem()
        let capture = LogCapture()
        let store = try LogStore.open(dataDirectory: "/data", fileSystem: fs, time: clock, logger: capture.logger, maxOpenFiles: 16)
        try store.createTopic("other", config: TopicConfig(partitionCount: 2))
        fs.failOpens { $0.hasPrefix("/data/topics/big/1017/") }
        do {
            try store.createTopic("big", config: TopicConfig(partitionCount: 2000))
            Issue.record("the creation must fail")
        } catch {
            guard case .system(let cause) = error else { throw error }
            #expect(cause.code == 24)
            #expect("\(error)".contains("topic big not created (nothing kept): creating partition 1017 of 2000: open /data/topics/big/1017/"))
            #expect("\(error)".contains("errno 24"))
        }
        #expect(store.topic("big") == nil)
        #expect(store.topics.map(\.name) == ["other"])
        #expect(store.allPartitions.count == 2)
        #expect(throws: LogStorageError.unknownTopic("big")) { try store.partition("big", 0) }
        #expect(!fs.directoryExists("/data/topics/big"))
        #expect(try fs.listDirectory("/data/topics").sorted() == ["other"])
        #expect(capture.all.contains { $0.contains("creating topic big failed, removing what was made") })
        #expect(fs.openFileCount == 0)

        // The name is free: a later creation works, and a restart finds only complete topics.
        fs.failOpens(where: nil)
        try store.createTopic("big", config: TopicConfig(partitionCount: 2000))
        _ = try store.partition("big", 1999).append(try makeBatch(tag: 1))
        try store.close()
        let reopened = try open(fs, cap: 16)
        #expect(reopened.topics.map(\.name) == ["big", "other"])
        #expect(try reopened.partition("big", 1999).offsets.logEndOffset == 1)
        try reopened.close()
    }

    @Test func absurdPartitionCountsAreRefusedBeforeAnythingIsMade() throws {
        let fs = MemoryFileSystem()
        let store = try open(fs, cap: 4)
        #expect(throws: LogStorageError.invalidConfig("partition count must be between 1 and 100000, got 1000000")) {
            try store.createTopic("huge", config: TopicConfig(partitionCount: 1_000_000))
        }
        #expect(!fs.directoryExists("/data/topics/huge"))
        try store.createTopic("grown", config: TopicConfig(partitionCount: 1))
        #expect(throws: LogStorageError.invalidConfig("partition count must grow from 1 and stay at most 100000, got 1000000")) {
            try store.addPartitions("grown", to: 1_000_000, ifCurrently: 1)
        }
        #expect(try fs.listDirectory("/data/topics/grown").sorted() == ["0", "topic.conf"])
        try store.close()
    }

    @Test func growingATopicCreatesOnlyTheNewPartitionsAndTheyWork() throws {
        let fs = MemoryFileSystem()
        let store = try open(fs, cap: 4)
        try store.createTopic("g", config: try manyConfig(partitions: 3))
        let before = try fill(store, "g", partitions: [0, 1, 2], rounds: 2)
        try store.addPartitions("g", to: 500, ifCurrently: 3)
        let after = try fill(store, "g", partitions: [0, 499], rounds: 1, tag: 9_000_000)
        #expect(try readAll(store.partition("g", 0)) == (before[0] ?? []) + (after[0] ?? []))
        #expect(try readAll(store.partition("g", 499)) == after[499])
        try store.close()
        let reopened = try open(fs, cap: 4)
        #expect(reopened.topic("g")?.config.partitionCount == 500)
        #expect(try readAll(reopened.partition("g", 499)) == after[499])
        try reopened.close()
    }
}
