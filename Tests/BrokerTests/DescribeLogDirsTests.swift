import Broker
import KafkaProtocol
import LogStorage
import SystemIO
import Testing

/// DescribeLogDirs against Kafka's behaviour (research B.4): one directory (the data
/// directory), partition sizes from the store, volume sizes from the file system at v4.
@Suite struct DescribeLogDirsTests {
    typealias Partition = DescribeLogDirsResponse.DescribeLogDirsPartition

    func size(_ harness: BrokerHarness, _ topic: String, _ partition: Int32) throws -> Int64 {
        try harness.store.partition(topic, partition).sizeInBytes
    }

    @Test(arguments: Int16(0)...4)
    func nullTopicsDescribesEveryPartition(version: Int16) throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 2))
        try harness.store.createTopic("a", config: TopicConfig(partitionCount: 1))
        _ = try harness.produce("t", partition: 1, BrokerHarness.batch(values: ["a", "b", "c"]))
        let response = try harness.send(DescribeLogDirsRequest(topics: nil), version: version)
        #expect(response.errorCode == .none)
        let dir = try #require(response.results.first)
        #expect(response.results.count == 1)
        #expect(dir.errorCode == .none)
        #expect(dir.logDir == "/data")
        #expect(dir.topics.map(\.name) == ["a", "t"])
        #expect(dir.topics.last?.partitions == [
            Partition(partitionIndex: 0, partitionSize: try size(harness, "t", 0), offsetLag: 0, isFutureKey: false),
            Partition(partitionIndex: 1, partitionSize: try size(harness, "t", 1), offsetLag: 0, isFutureKey: false),
        ])
        #expect(try size(harness, "t", 1) > 0, "the produced batch is counted")
        if version >= 4 {
            // The in-memory store's directory is not on the real file system (unless a /data
            // happens to exist here): -1 = unknown, as the field's default.
            let expected = (try? VolumeSpace.of("/data"))?.totalBytes ?? -1
            #expect(dir.totalBytes == expected)
            if expected == -1 { #expect(dir.usableBytes == -1) }
        } else {
            #expect(dir.totalBytes == -1 && dir.usableBytes == -1, "not on the wire before v4")
        }
    }

    @Test func listedTopicsSelectPartitionsAndUnknownOnesAreLeftOut() throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 3))
        let response = try harness.send(DescribeLogDirsRequest(topics: [
            DescribeLogDirsRequest.DescribableLogDirTopic(topic: "t", partitions: [2, 0, 9]),
            DescribeLogDirsRequest.DescribableLogDirTopic(topic: "missing", partitions: [0]),
        ]), version: 3)
        let dir = try #require(response.results.first)
        #expect(dir.topics.map(\.name) == ["t"])
        #expect(dir.topics.first?.partitions.map(\.partitionIndex) == [0, 2])
        let none = try harness.send(DescribeLogDirsRequest(topics: []), version: 2)
        #expect(none.results.count == 1)
        #expect(none.results.first?.topics == [])
    }

    @Test func onDiskTheDirectoryIsAbsoluteAndTheVolumeIsMeasured() throws {
        let directory = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-logdirs-")
        defer { try? FileSystemCalls.removeTree(directory) }
        let store = try LogStore.open(dataDirectory: directory, fileSystem: PosixFileSystem(), time: ManualTimeSource(), logger: .silent)
        defer { try? store.close() }
        let broker = try Broker(config: BrokerConfig(), store: store, time: ManualTimeSource(), logger: .silent)
        defer { try? broker.close() }
        try store.createTopic("t", config: TopicConfig(partitionCount: 1))
        let frame = Array(FrameCodec.encodeRequest(DescribeLogDirsRequest(topics: nil), version: 4, correlationId: 1, clientId: "test").dropFirst(4))
        let bytes = try #require(try broker.handle(frame: frame).materialize())
        let (_, response) = try FrameCodec.decodeResponse(Array(bytes.dropFirst(4)), as: DescribeLogDirsResponse.self, apiKey: .describeLogDirs, version: 4)
        let dir = try #require(response.results.first)
        #expect(dir.logDir == directory)
        #expect(dir.topics.first?.partitions.first?.partitionIndex == 0)
        let volume = try VolumeSpace.of(directory)
        #expect(dir.totalBytes == volume.totalBytes)
        #expect(dir.totalBytes > 0)
        #expect(dir.usableBytes > 0 && dir.usableBytes <= dir.totalBytes)
    }
}
