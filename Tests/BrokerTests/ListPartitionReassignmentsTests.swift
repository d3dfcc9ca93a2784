import Broker
import KafkaProtocol
import LogStorage
import Testing

/// ListPartitionReassignments: nothing is ever reassigned on one broker (research B.8).
@Suite struct ListPartitionReassignmentsTests {
    @Test func theAnswerIsAlwaysEmpty() throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 2))
        let expected = ListPartitionReassignmentsResponse(throttleTimeMs: 0, errorCode: .none, errorMessage: nil, topics: [])
        #expect(try harness.send(ListPartitionReassignmentsRequest(topics: nil), version: 0) == expected)
        let listed = ListPartitionReassignmentsRequest(topics: [
            ListPartitionReassignmentsRequest.ListPartitionReassignmentsTopics(name: "t", partitionIndexes: [0, 1, 9]),
            ListPartitionReassignmentsRequest.ListPartitionReassignmentsTopics(name: "missing", partitionIndexes: [0]),
        ])
        #expect(try harness.send(listed, version: 0) == expected, "unknown topics and partitions are left out silently")
    }
}
