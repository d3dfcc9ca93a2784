import Broker
import KafkaProtocol
import LogStorage
import Testing

@Suite struct ListOffsetsTests {
    func query(_ harness: inout BrokerHarness, _ timestamps: [Int64], version: Int16 = 7, topic: String = "t") throws -> [ListOffsetsResponse.ListOffsetsPartitionResponse] {
        let request = ListOffsetsRequest(replicaId: -1, isolationLevel: 0, topics: [ListOffsetsRequest.ListOffsetsTopic(name: topic, partitions: timestamps.map {
            ListOffsetsRequest.ListOffsetsPartition(partitionIndex: 0, timestamp: $0)
        })])
        return try harness.send(request, version: version).topics.first?.partitions ?? []
    }

    @Test(arguments: Int16(1)...7)
    func earliestLatestAndTimestamps(version: Int16) throws {
        var harness = try BrokerHarness()
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a", "b", "c"], timestamps: [1000, 2000, 3000]))
        _ = try harness.produce("t", BrokerHarness.batch(values: ["d"], timestamps: [4000]))
        let answers = try query(&harness, [-2, -1, 0, 1500, 2000, 3500, 4001], version: version)
        #expect(answers.map(\.errorCode).allSatisfy { $0 == .none })
        #expect(answers.map(\.offset) == [0, 4, 0, 1, 1, 3, -1], "exact record inside an uncompressed batch; none after the end")
        #expect(answers.map(\.timestamp) == [-1, -1, 1000, 2000, 2000, 4000, -1])
    }

    @Test func maxTimestampAndUnknownPartitions() throws {
        var harness = try BrokerHarness()
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a", "b"], timestamps: [5000, 9000]))
        _ = try harness.produce("t", BrokerHarness.batch(values: ["c"], timestamps: [7000]))
        let answers = try query(&harness, [-3])
        #expect(answers.first?.offset == 1)
        #expect(answers.first?.timestamp == 9000)
        #expect(try query(&harness, [-1], topic: "missing").first?.errorCode == .unknownTopicOrPartition)
        #expect(try query(&harness, [-7]).first?.errorCode == .invalidRequest)
    }
}
