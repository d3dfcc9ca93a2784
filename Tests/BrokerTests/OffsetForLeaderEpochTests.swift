import Broker
import KafkaProtocol
import LogStorage
import Testing

/// OffsetForLeaderEpoch over logs whose only leader epoch is 0 (research B.6).
@Suite struct OffsetForLeaderEpochTests {
    typealias Answer = OffsetForLeaderEpochResponse.EpochEndOffset

    func ask(_ harness: inout BrokerHarness, topic: String = "t", _ partitions: [(partition: Int32, current: Int32, epoch: Int32)], version: Int16 = 4) throws -> [Answer] {
        let request = OffsetForLeaderEpochRequest(replicaId: -1, topics: [OffsetForLeaderEpochRequest.OffsetForLeaderTopic(topic: topic, partitions: partitions.map {
            OffsetForLeaderEpochRequest.OffsetForLeaderPartition(partition: $0.partition, currentLeaderEpoch: $0.current, leaderEpoch: $0.epoch)
        })])
        let response = try harness.send(request, version: version)
        #expect(response.topics.map(\.topic) == [topic])
        return response.topics.first?.partitions ?? []
    }

    @Test(arguments: Int16(2)...4)
    func epochZeroEndsAtTheLogEndOffset(version: Int16) throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 2))
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a", "b", "c", "d", "e"]))
        #expect(try ask(&harness, [(0, 0, 0), (0, -1, 0), (1, 0, 0)], version: version) == [
            Answer(errorCode: .none, partition: 0, leaderEpoch: 0, endOffset: 5),
            Answer(errorCode: .none, partition: 0, leaderEpoch: 0, endOffset: 5),
            Answer(errorCode: .none, partition: 1, leaderEpoch: 0, endOffset: 0),
        ])
    }

    @Test func otherEpochsFollowKafkasEpochCache() throws {
        var harness = try BrokerHarness()
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a", "b", "c", "d"]))
        #expect(try ask(&harness, [(0, -1, 5), (0, -1, -1), (0, -1, -2)]) == [
            Answer(errorCode: .none, partition: 0, leaderEpoch: -1, endOffset: -1),
            Answer(errorCode: .none, partition: 0, leaderEpoch: -1, endOffset: -1),
            Answer(errorCode: .none, partition: 0, leaderEpoch: -2, endOffset: 0),
        ])
        // Epoch 0 now starts at the new log start offset.
        _ = try harness.store.partition("t", 0).deleteRecords(before: 2)
        #expect(try ask(&harness, [(0, -1, -3)]) == [Answer(errorCode: .none, partition: 0, leaderEpoch: -3, endOffset: 2)])
    }

    @Test func fencingAndUnknownPartitionsAnswerErrorsWithMinusOnes() throws {
        var harness = try BrokerHarness()
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a"]))
        for version in Int16(2)...4 {
            #expect(try ask(&harness, [(0, 1, 0), (0, -2, 0), (7, 0, 0)], version: version) == [
                Answer(errorCode: .unknownLeaderEpoch, partition: 0, leaderEpoch: -1, endOffset: -1),
                Answer(errorCode: .fencedLeaderEpoch, partition: 0, leaderEpoch: -1, endOffset: -1),
                Answer(errorCode: .unknownTopicOrPartition, partition: 7, leaderEpoch: -1, endOffset: -1),
            ])
            #expect(try ask(&harness, topic: "missing", [(0, -1, 0)], version: version) == [
                Answer(errorCode: .unknownTopicOrPartition, partition: 0, leaderEpoch: -1, endOffset: -1),
            ])
        }
        #expect(harness.store.topic("missing") == nil, "not auto-created")
    }
}
