import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

@Suite struct IdempotenceTests {
    let fs = MemoryFileSystem()
    let clock = ManualTimeSource()

    func open(_ config: LogConfig = smallConfig(durability: .always, segmentBytes: 4096)) throws -> PartitionLog {
        try PartitionLog.open(directory: "/idem", config: config, fileSystem: fs, time: clock, logger: .silent)
    }

    func batch(producer: Int64, epoch: Int16 = 0, sequence: Int32, records: Int = 2) throws -> ValidatedBatches {
        var builder = RecordBatchBuilder(producerId: producer, producerEpoch: epoch, baseSequence: sequence)
        for i in 0..<records { builder.append(RecordInput(value: Array(String(repeating: "v\(sequence)-\(i)", count: 40).utf8), timestamp: 1_000)) }
        return try ValidatedBatches(validating: builder.build())
    }

    @Test func retriesAreAnsweredWithTheOriginalOffsets() throws {
        let log = try open()
        let first = try log.append(try batch(producer: 7, sequence: 0))
        let second = try log.append(try batch(producer: 7, sequence: 2))
        #expect(first == AppendResult(baseOffset: 0, lastOffset: 1))
        #expect(second == AppendResult(baseOffset: 2, lastOffset: 3))
        #expect(try log.append(try batch(producer: 7, sequence: 0)) == AppendResult(baseOffset: 0, lastOffset: 1, isDuplicate: true))
        #expect(try log.append(try batch(producer: 7, sequence: 2)) == AppendResult(baseOffset: 2, lastOffset: 3, isDuplicate: true))
        #expect(log.offsets.logEndOffset == 4, "duplicates are not written")
        // Another producer has its own sequence space.
        #expect(try log.append(try batch(producer: 8, sequence: 0)).baseOffset == 4)
    }

    @Test func gapsAndStaleEpochsAreRefused() throws {
        let log = try open()
        _ = try log.append(try batch(producer: 1, epoch: 3, sequence: 0))
        #expect(throws: LogStorageError.outOfOrderSequence(producerId: 1, expected: 2, got: 5)) { try log.append(try batch(producer: 1, epoch: 3, sequence: 5)) }
        #expect(throws: LogStorageError.invalidProducerEpoch(producerId: 1, current: 3, got: 2)) { try log.append(try batch(producer: 1, epoch: 2, sequence: 2)) }
        #expect(throws: LogStorageError.outOfOrderSequence(producerId: 1, expected: 0, got: 4)) { try log.append(try batch(producer: 1, epoch: 4, sequence: 4)) }
        #expect(try log.append(try batch(producer: 1, epoch: 4, sequence: 0)).baseOffset == 2, "a new epoch starts at sequence 0")
        #expect(log.offsets.logEndOffset == 4)
    }

    @Test(arguments: [false, true])
    func producerStateSurvivesRestartsAndRolls(cleanShutdown: Bool) throws {
        var log = try open()
        var sequence: Int32 = 0
        var results: [AppendResult] = []
        for _ in 0..<30 {
            results.append(try log.append(try batch(producer: 42, sequence: sequence, records: 3)))
            sequence += 3
        }
        #expect(log.segmentCount > 2, "the state must outlive rolls (snapshots) too")
        if cleanShutdown { try log.close() } else {
            var random = SplitMix64(seed: 5)
            fs.crash(using: &random)  // everything was acknowledged under `always`, so all survives
        }
        log = try open()
        // A retry of the last batch after the restart is still recognised.
        #expect(try log.append(try batch(producer: 42, sequence: sequence - 3, records: 3)) == AppendResult(baseOffset: results[29].baseOffset, lastOffset: results[29].lastOffset, isDuplicate: true))
        #expect(try log.append(try batch(producer: 42, sequence: sequence, records: 3)).baseOffset == results[29].lastOffset + 1)
        // Damaged snapshot: rebuilt from the log.
        try log.close()
        fs.setContents([1, 2, 3], of: "/idem/producer.snapshot")
        log = try open()
        #expect(try log.append(try batch(producer: 42, sequence: sequence, records: 3)).isDuplicate)
    }
}
