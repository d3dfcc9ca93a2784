import Broker
import KafkaProtocol
import LogStorage
import Testing

/// DeleteRecords against Kafka's behaviour (research B.2): the log start offset moves, reads
/// below it fail, errors answer low watermark -1 and move nothing.
@Suite struct DeleteRecordsTests {
    typealias Result = DeleteRecordsResponse.DeleteRecordsPartitionResult

    func delete(_ harness: inout BrokerHarness, topic: String = "t", _ offsets: [(partition: Int32, offset: Int64)], version: Int16 = 2) throws -> [Result] {
        let request = DeleteRecordsRequest(topics: [DeleteRecordsRequest.DeleteRecordsTopic(name: topic, partitions: offsets.map {
            DeleteRecordsRequest.DeleteRecordsPartition(partitionIndex: $0.partition, offset: $0.offset)
        })], timeoutMs: 5_000)
        let response = try harness.send(request, version: version)
        #expect(response.topics.map(\.name) == [topic])
        return response.topics.first?.partitions ?? []
    }

    func earliest(_ harness: inout BrokerHarness, _ topic: String = "t") throws -> Int64? {
        let request = ListOffsetsRequest(replicaId: -1, isolationLevel: 0, topics: [ListOffsetsRequest.ListOffsetsTopic(name: topic, partitions: [
            ListOffsetsRequest.ListOffsetsPartition(partitionIndex: 0, timestamp: -2),
        ])])
        return try harness.send(request, version: 7).topics.first?.partitions.first?.offset
    }

    @Test(arguments: Int16(0)...2)
    func movesTheLogStartOffsetAndHidesEarlierRecords(version: Int16) throws {
        var harness = try BrokerHarness()
        for _ in 0..<5 { _ = try harness.produce("t", BrokerHarness.batch(values: ["a", "b"])) }
        let highWatermark = try harness.store.partition("t", 0).offsets.highWatermark
        #expect(highWatermark == 10)
        #expect(try delete(&harness, [(0, 4)], version: version) == [Result(partitionIndex: 0, lowWatermark: 4, errorCode: .none)])
        #expect(try earliest(&harness) == 4)
        let below = try harness.send(BrokerHarness.fetch("t", offset: 2), version: 12)
        #expect(below.responses.first?.partitions.first?.errorCode == .offsetOutOfRange)
        let records = try BrokerHarness.records(in: harness.send(BrokerHarness.fetch("t", offset: 4), version: 12).responses.first?.partitions.first?.records)
        #expect(records.first?.offset == 4)
        // At or below the current start: nothing moves, no error.
        #expect(try delete(&harness, [(0, 3)], version: version) == [Result(partitionIndex: 0, lowWatermark: 4, errorCode: .none)])
        // -1 means the high watermark; exactly the high watermark is allowed.
        #expect(try delete(&harness, [(0, -1)], version: version) == [Result(partitionIndex: 0, lowWatermark: 10, errorCode: .none)])
        #expect(try earliest(&harness) == 10)
    }

    @Test func theNewStartSurvivesARestart() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try BrokerHarness(fileSystem: fileSystem)
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a", "b", "c"]))
        #expect(try delete(&harness, [(0, 2)]).first?.errorCode == ErrorCode.none)
        try harness.broker.close()
        try harness.store.close()
        var reopened = try BrokerHarness(fileSystem: fileSystem)
        #expect(try earliest(&reopened) == 2)
    }

    @Test func refusalsAnswerLowWatermarkMinusOneAndMoveNothing() throws {
        var harness = try BrokerHarness()
        var compact = TopicConfig(partitionCount: 1)
        try compact.set("cleanup.policy", "compact")
        try harness.store.createTopic("compacted", config: compact)
        _ = try harness.produce("compacted", BrokerHarness.batch(values: ["x"], keys: ["k"]))
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a", "b", "c"]))
        #expect(try delete(&harness, [(0, 4), (0, -2), (3, 1)]) == [
            Result(partitionIndex: 0, lowWatermark: -1, errorCode: .offsetOutOfRange),
            Result(partitionIndex: 0, lowWatermark: -1, errorCode: .offsetOutOfRange),
            Result(partitionIndex: 3, lowWatermark: -1, errorCode: .unknownTopicOrPartition),
        ])
        #expect(try delete(&harness, topic: "missing", [(0, 0)]) == [Result(partitionIndex: 0, lowWatermark: -1, errorCode: .unknownTopicOrPartition)])
        #expect(try delete(&harness, topic: "compacted", [(0, 1)]) == [Result(partitionIndex: 0, lowWatermark: -1, errorCode: .policyViolation)])
        #expect(try harness.store.partition("t", 0).offsets.logStartOffset == 0)
        #expect(try harness.store.partition("compacted", 0).offsets.logStartOffset == 0)
        #expect(harness.store.topic("missing") == nil)
    }

    @Test func compactAndDeleteTopicsAllowDeletion() throws {
        var harness = try BrokerHarness()
        var both = TopicConfig(partitionCount: 1)
        try both.set("cleanup.policy", "compact,delete")
        try harness.store.createTopic("both", config: both)
        _ = try harness.produce("both", BrokerHarness.batch(values: ["x", "y"], keys: ["k", "l"]))
        #expect(try delete(&harness, topic: "both", [(0, 1)]) == [Result(partitionIndex: 0, lowWatermark: 1, errorCode: .none)])
    }
}
