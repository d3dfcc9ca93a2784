import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

/// The partition log on the real file system: files where the format says, a process crash
/// (no close) loses nothing, regions carry a descriptor for sendfile.
@Suite struct PosixLogTests {
    @Test func realFilesRoundTripAndSurviveAnUncleanRestart() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-log-")
        defer { try? FileSystemCalls.removeTree(dir) }
        let fs = PosixFileSystem()
        let config = smallConfig(durability: .never, segmentBytes: 8192, indexInterval: 512)
        var expected: [StoredBatch] = []
        do {
            let log = try PartitionLog.open(directory: dir, config: config, fileSystem: fs, logger: .silent)
            for tag in 0..<100 {
                let batch = try makeBatch(tag: tag, records: 2, valueSize: 300)
                let result = try log.append(batch)
                expected.append(StoredBatch(baseOffset: result.baseOffset, batch: batch))
            }
            let region = try #require(try log.read(from: 0, maxBytes: 1 << 20).region)
            #expect(region.file.descriptor != nil, "real files can be sent with sendfile")
            // Dropped without close: a process crash.
        }
        let names = try FileSystemCalls.listDirectory(dir).sorted()
        #expect(names.contains("00000000000000000000.log"))
        #expect(names.contains("00000000000000000000.index"))
        #expect(names.contains("00000000000000000000.timeindex"))
        #expect(names.contains("partition.checkpoint"))
        let capture = LogCapture()
        let log = try PartitionLog.open(directory: dir, config: config, fileSystem: fs, logger: capture.logger)
        #expect(try readAll(log) == expected)
        #expect(capture.warnings.isEmpty)
        try log.close()
        let checkpoint = try #require(try fs.readSmallFile(dir + "/partition.checkpoint"))
        #expect(String(decoding: checkpoint, as: UTF8.self).contains("clean 1"))
    }
}
