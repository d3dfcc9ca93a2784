import Broker
import KafkaProtocol
import LogStorage
import Testing

/// ElectLeaders on a one-broker cluster: never needed (research B.7).
@Suite struct ElectLeadersTests {
    typealias Result = ElectLeadersResponse.ReplicaElectionResult
    typealias Partition = ElectLeadersResponse.PartitionResult
    static let notNeeded = "Leader election not needed for topic partition."

    func request(_ topics: [(String, [Int32])]?, type: Int8 = 0, timeoutMs: Int32 = 60_000) -> ElectLeadersRequest {
        ElectLeadersRequest(electionType: type, topicPartitions: topics?.map { ElectLeadersRequest.TopicPartitions(topic: $0.0, partitions: $0.1) }, timeoutMs: timeoutMs)
    }

    func harness() throws -> BrokerHarness {
        let harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 2))
        try harness.store.createTopic("a", config: TopicConfig(partitionCount: 1))
        return harness
    }

    @Test(arguments: Int16(0)...2)
    func listedPartitionsNeedNoElectionOrAreUnknown(version: Int16) throws {
        var harness = try harness()
        let response = try harness.send(request([("t", [1, 0, 5]), ("missing", [0])]), version: version)
        #expect(response.errorCode == .none)
        #expect(response.replicaElectionResults == [
            Result(topic: "t", partitionResult: [
                Partition(partitionId: 1, errorCode: .electionNotNeeded, errorMessage: Self.notNeeded),
                Partition(partitionId: 0, errorCode: .electionNotNeeded, errorMessage: Self.notNeeded),
                Partition(partitionId: 5, errorCode: .unknownTopicOrPartition, errorMessage: "No such partition as t-5"),
            ]),
            Result(topic: "missing", partitionResult: [Partition(partitionId: 0, errorCode: .unknownTopicOrPartition, errorMessage: "No such topic as missing")]),
        ])
        #expect(harness.store.topics.map(\.name) == ["a", "t"])
    }

    @Test func uncleanElectionsAreNotNeededEither() throws {
        var harness = try harness()
        let response = try harness.send(request([("t", [0])], type: 1), version: 1)
        #expect(response.replicaElectionResults == [Result(topic: "t", partitionResult: [Partition(partitionId: 0, errorCode: .electionNotNeeded, errorMessage: Self.notNeeded)])])
    }

    @Test func allPartitionsListsEveryTopicWithoutTheNotNeededOnes() throws {
        var harness = try harness()
        for version in Int16(0)...2 {
            let response = try harness.send(request(nil), version: version)
            #expect(response.errorCode == .none)
            #expect(response.replicaElectionResults == [Result(topic: "a", partitionResult: []), Result(topic: "t", partitionResult: [])])
        }
        let empty = try harness.send(request([], timeoutMs: 0), version: 2)
        #expect(empty == ElectLeadersResponse(throttleTimeMs: 0, errorCode: .none, replicaElectionResults: []), "an empty list is answered before any deadline")
    }

    @Test func requestLevelErrorsGoToTheTopAndEveryListedPartition() throws {
        var harness = try harness()
        let badType = try harness.send(request([("t", [0]), ("missing", [3])], type: 2), version: 2)
        #expect(badType.errorCode == .invalidRequest)
        #expect(badType.replicaElectionResults == [
            Result(topic: "t", partitionResult: [Partition(partitionId: 0, errorCode: .invalidRequest, errorMessage: "Unknown election type 2")]),
            Result(topic: "missing", partitionResult: [Partition(partitionId: 3, errorCode: .invalidRequest, errorMessage: "Unknown election type 2")]),
        ])
        let badTypeForAll = try harness.send(request(nil, type: -1), version: 1)
        #expect(badTypeForAll == ElectLeadersResponse(throttleTimeMs: 0, errorCode: .invalidRequest, replicaElectionResults: []))
        for version in Int16(0)...2 {
            let timedOut = try harness.send(request([("t", [0])], timeoutMs: 0), version: version)
            // v0 has no top-level error on the wire: the partitions carry it.
            #expect(timedOut.errorCode == (version == 0 ? .none : .requestTimedOut))
            #expect(timedOut.replicaElectionResults == [Result(topic: "t", partitionResult: [Partition(partitionId: 0, errorCode: .requestTimedOut, errorMessage: nil)])])
        }
    }
}
