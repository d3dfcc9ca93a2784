import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

@Suite struct RecoveryTests {
    let fs = MemoryFileSystem()
    let clock = ManualTimeSource()
    let capture = LogCapture()
    let directory = "/r"
    var activeLogPath: String { "/r/00000000000000000000.log" }

    func open(_ config: LogConfig = smallConfig(segmentBytes: 1 << 20)) throws -> PartitionLog {
        try PartitionLog.open(directory: directory, config: config, fileSystem: fs, time: clock, logger: capture.logger)
    }

    /// Appends `count` batches and abandons the log without closing it (a crash).
    func writeBatches(_ count: Int, config: LogConfig = smallConfig(segmentBytes: 1 << 20)) throws -> [StoredBatch] {
        let log = try open(config)
        for tag in 0..<count { _ = try log.append(try makeBatch(tag: tag, records: tag % 3 + 1, valueSize: 50)) }
        return try readAll(log)
    }

    @Test func cleanShutdownIsTrustedWithoutAScan() throws {
        let config = smallConfig(segmentBytes: 8192)
        let log = try open(config)
        for tag in 0..<200 { _ = try log.append(try makeBatch(tag: tag, valueSize: 200)) }
        let before = try readAll(log)
        try log.close()
        let readBefore = fs.bytesRead
        let reopened = try open(config)
        let dataSize = log.sizeInBytes
        #expect(dataSize > 50_000)
        #expect(fs.bytesRead - readBefore < dataSize / 10, "a clean open reads indexes and the checkpoint, not the segments")
        #expect(capture.warnings.isEmpty)
        #expect(try readAll(reopened) == before)
        #expect(try reopened.append(try makeBatch(tag: 999)).baseOffset == 200)
    }

    @Test func uncleanShutdownScansOnlyFromTheRecoveryPoint() throws {
        let config = smallConfig(segmentBytes: 8192)
        let log = try open(config)
        for tag in 0..<200 { _ = try log.append(try makeBatch(tag: tag, valueSize: 200)) }
        let before = try readAll(log)
        let activeSize = try #require(fs.contents(of: "/r/" + SegmentFileName.stem(log.segmentBaseOffsets.last ?? 0) + ".log")).count
        let readBefore = fs.bytesRead
        let reopened = try open(config)
        // Besides the active segment: the 1 KiB checkpoint, the producer snapshot, index tails.
        #expect(fs.bytesRead - readBefore < Int64(activeSize + 5_000), "only the active segment is scanned")
        #expect(try readAll(reopened) == before)
    }

    @Test func garbageAfterTheLastBatchIsTruncatedAndReported() throws {
        let batches = try writeBatches(20)
        var bytes = try #require(fs.contents(of: activeLogPath))
        let validSize = bytes.count
        bytes += [0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 99, 1, 2, 3]
        fs.setContents(bytes, of: activeLogPath)
        let log = try open()
        #expect(try readAll(log) == batches)
        #expect(fs.contents(of: activeLogPath)?.count == validSize)
        #expect(capture.warnings.contains { $0.contains(activeLogPath) && $0.contains("at byte \(validSize)") })
    }

    @Test func lengthLargerThanTheFileIsTruncated() throws {
        let batches = try writeBatches(10)
        var bytes = try #require(fs.contents(of: activeLogPath))
        // Find the last batch and give it an absurd length.
        let lastStart = bytes.count - (batches[9].body.count + 21)
        bytes.replaceSubrange((lastStart + 8)..<(lastStart + 12), with: [0x7F, 0xFF, 0xFF, 0xFF])
        fs.setContents(bytes, of: activeLogPath)
        let log = try open()
        #expect(try readAll(log) == Array(batches.prefix(9)))
        #expect(capture.warnings.contains { $0.contains("runs past the end") && $0.contains("at byte \(lastStart)") })
    }

    @Test func negativeRecordCountWithAValidCRCIsRejected() throws {
        let batches = try writeBatches(5)
        var bytes = try #require(fs.contents(of: activeLogPath))
        let lastStart = bytes.count - (batches[4].body.count + 21)
        bytes.replaceSubrange((lastStart + 57)..<(lastStart + 61), with: [0xFF, 0xFF, 0xFF, 0xFF])
        let crc = bytes[(lastStart + 21)...].withUnsafeBytes { CRC32C.checksum($0) }
        bytes.replaceSubrange((lastStart + 17)..<(lastStart + 21), with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        fs.setContents(bytes, of: activeLogPath)
        let log = try open()
        #expect(try readAll(log) == Array(batches.prefix(4)))
        #expect(capture.warnings.contains { $0.contains("negative") })
    }

    @Test(arguments: 0..<40)
    func bitFlipsNeverCrashAndLeaveAPrefix(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let batches = try writeBatches(15)
        var bytes = try #require(fs.contents(of: activeLogPath))
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let position = Int.random(in: 0..<bytes.count, using: &random)
            bytes[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
        }
        fs.setContents(bytes, of: activeLogPath)
        let log = try open()
        let recovered = try readAll(log)
        #expect(recovered.count <= batches.count)
        // Bytes 12-15 (leader epoch) are outside the CRC; a flip there is not corruption of data.
        for (got, want) in zip(recovered, batches) {
            #expect(got.baseOffset == want.baseOffset && got.body == want.body)
        }
        if recovered.count < batches.count { #expect(!capture.warnings.isEmpty) }
        #expect(try log.append(try makeBatch(tag: 100)).baseOffset == (recovered.last?.lastOffset ?? -1) + 1)
    }

    @Test(arguments: 0..<40)
    func randomGarbageSegmentsNeverCrash(seed: UInt64) throws {
        var random = SplitMix64(seed: seed ^ 0xABCDEF)
        try fs.createDirectory(directory)
        let count = Int.random(in: 0..<5000, using: &random)
        var garbage = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
        if seed % 2 == 0 && count > 70 {
            // Plausible header start: offset 0, a length, magic 2, so the scan goes further.
            garbage.replaceSubrange(0..<17, with: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0, 0, 0, 2])
        }
        fs.setContents(garbage, of: activeLogPath)
        fs.setContents(Array("garbage \(seed)".utf8), of: "/r/00000000000000000000.index")
        fs.setContents(garbage.prefix(30).map { $0 }, of: "/r/" + PartitionCheckpoint.fileName)
        let log = try open()
        #expect(try readAll(log).isEmpty)
        #expect(try log.append(try makeBatch(tag: 1)).baseOffset == 0)
    }

    @Test func missingOrDamagedIndexesAreRebuilt() throws {
        let config = smallConfig(segmentBytes: 4096, indexInterval: 100)
        let log = try open(config)
        for tag in 0..<100 { _ = try log.append(try makeBatch(tag: tag, valueSize: 100)) }
        let before = try readAll(log)
        try log.close()
        try fs.removeFile("/r/00000000000000000000.index")
        let second = try #require(log.segmentBaseOffsets.dropFirst().first)
        let secondIndex = "/r/" + SegmentFileName.stem(second) + ".index"
        let damaged = try #require(fs.contents(of: secondIndex))
        fs.setContents(Array(damaged.dropLast(3)), of: secondIndex)
        let reopened = try open(config)
        #expect(capture.warnings.filter { $0.contains("index missing or damaged") }.count == 2)
        #expect(try readAll(reopened) == before)
        for offset in Int64(0)..<100 {
            let region = try #require(try reopened.read(from: offset, maxBytes: 1).region)
            #expect(try RecordBatchHeader(parsing: try region.readBytes(), at: 0).baseOffset == offset)
        }
    }

    @Test func aMissingMiddleSegmentDropsEverythingAfterIt() throws {
        let config = smallConfig(segmentBytes: 4096)
        let log = try open(config)
        for tag in 0..<100 { _ = try log.append(try makeBatch(tag: tag, valueSize: 300)) }
        let before = try readAll(log)
        let bases = log.segmentBaseOffsets
        #expect(bases.count >= 4)
        try fs.removeFile("/r/" + SegmentFileName.stem(bases[2]) + ".log")
        let reopened = try open(config)
        #expect(try readAll(reopened) == before.filter { $0.lastOffset < bases[2] })
        #expect(reopened.offsets.logEndOffset == bases[2])
        #expect(capture.warnings.contains { $0.contains(SegmentFileName.stem(bases[3])) })
    }

    @Test func damagedCheckpointMeansFullRecovery() throws {
        let log = try open()
        for tag in 0..<10 { _ = try log.append(try makeBatch(tag: tag)) }
        let before = try readAll(log)
        try log.close()
        fs.setContents(Array("version 1\nclean 1\nlog-start".utf8), of: "/r/partition.checkpoint")
        let reopened = try open()
        #expect(try readAll(reopened) == before)
        #expect(capture.warnings.contains { $0.contains("damaged checkpoint") })
    }
}
