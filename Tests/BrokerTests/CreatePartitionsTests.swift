import Broker
import KafkaProtocol
import LogStorage
import Testing

/// CreatePartitions against Kafka's KRaft behaviour (research B.1): codes, exact messages, and
/// that a refused or validate-only request changes nothing.
@Suite struct CreatePartitionsTests {
    typealias Topic = CreatePartitionsRequest.CreatePartitionsTopic
    typealias Result = CreatePartitionsResponse.CreatePartitionsTopicResult

    func topic(_ name: String, _ count: Int32, _ assignments: [[Int32]]? = nil) -> Topic {
        Topic(name: name, count: count, assignments: assignments?.map { CreatePartitionsRequest.CreatePartitionsAssignment(brokerIds: $0) })
    }

    func partitionCounts(_ harness: BrokerHarness) -> [String: Int32] {
        Dictionary(uniqueKeysWithValues: harness.store.topics.map { ($0.name, $0.config.partitionCount) })
    }

    @Test(arguments: Int16(0)...3)
    func growsATopicAndMetadataShowsTheNewPartitions(version: Int16) throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a", "b"]))
        let response = try harness.send(CreatePartitionsRequest(topics: [topic("t", 3)], timeoutMs: 5_000), version: version)
        #expect(response.results == [Result(name: "t", errorCode: .none, errorMessage: nil)])
        #expect(harness.store.topic("t")?.config.partitionCount == 3)
        let metadata = try harness.send(MetadataRequest(topics: [MetadataRequest.Topic(name: "t")]), version: 12)
        let partitions = try #require(metadata.topics.first?.partitions)
        #expect(partitions.map(\.partitionIndex) == [0, 1, 2])
        #expect(partitions.allSatisfy { $0.leaderId == 0 && $0.replicaNodes == [0] && $0.isrNodes == [0] && $0.leaderEpoch == 0 })
        // The old partition keeps its data; the new ones take writes.
        #expect(try harness.store.partition("t", 0).offsets.logEndOffset == 2)
        #expect(try harness.produce("t", partition: 2, BrokerHarness.batch(values: ["c"]))?.errorCode == ErrorCode.none)
        #expect(try harness.store.partition("t", 2).offsets.logEndOffset == 1)
    }

    @Test func theNewCountSurvivesARestart() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try BrokerHarness(fileSystem: fileSystem)
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 2))
        #expect(try harness.send(CreatePartitionsRequest(topics: [topic("t", 5)], timeoutMs: 5_000), version: 3).results.first?.errorCode == ErrorCode.none)
        try harness.broker.close()
        try harness.store.close()
        let reopened = try BrokerHarness(fileSystem: fileSystem)
        #expect(reopened.store.topic("t")?.config.partitionCount == 5)
        #expect((try? reopened.store.partition("t", 4)) != nil)
    }

    @Test func manualAssignmentsNamingThisBrokerAreAccepted() throws {
        var harness = try BrokerHarness { $0.nodeId = 7 }
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        let response = try harness.send(CreatePartitionsRequest(topics: [topic("t", 3, [[7], [7]])], timeoutMs: 5_000), version: 2)
        #expect(response.results == [Result(name: "t", errorCode: .none, errorMessage: nil)])
        #expect(harness.store.topic("t")?.config.partitionCount == 3)
    }

    @Test func refusalsCarryKafkasCodesAndMessagesAndChangeNothing() throws {
        var harness = try BrokerHarness()
        for name in ["same", "fewer", "dup", "mismatch", "empty", "stranger", "twice"] {
            try harness.store.createTopic(name, config: TopicConfig(partitionCount: 2))
        }
        let before = partitionCounts(harness)
        let response = try harness.send(CreatePartitionsRequest(topics: [
            topic("missing", 4),
            topic("same", 2),
            topic("dup", 4),
            topic("fewer", 1),
            topic("mismatch", 4, [[0]]),
            topic("dup", 5),
            topic("empty", 3, [[]]),
            topic("stranger", 3, [[9]]),
            topic("twice", 3, [[0, 0]]),
        ], timeoutMs: 5_000), version: 3)
        #expect(response.results == [
            Result(name: "dup", errorCode: .invalidRequest, errorMessage: "Duplicate topic name."),
            Result(name: "missing", errorCode: .unknownTopicOrPartition, errorMessage: nil),
            Result(name: "same", errorCode: .invalidPartitions, errorMessage: "Topic already has 2 partition(s)."),
            Result(name: "fewer", errorCode: .invalidPartitions, errorMessage: "The topic fewer currently has 2 partition(s); 1 would not be an increase."),
            Result(name: "mismatch", errorCode: .invalidReplicaAssignment,
                   errorMessage: "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified."),
            Result(name: "empty", errorCode: .invalidReplicaAssignment, errorMessage: "The manual partition assignment includes an empty replica list."),
            Result(name: "stranger", errorCode: .invalidReplicaAssignment,
                   errorMessage: "The manual partition assignment includes broker 9, but no such broker is registered."),
            Result(name: "twice", errorCode: .invalidReplicaAssignment, errorMessage: "The manual partition assignment includes the broker 0 more than once."),
        ])
        #expect(partitionCounts(harness) == before)
        #expect(harness.store.topic("missing") == nil)
    }

    @Test func validateOnlyAnswersAsForRealButChangesNothing() throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        let response = try harness.send(CreatePartitionsRequest(topics: [topic("t", 4), topic("missing", 2)], timeoutMs: 5_000, validateOnly: true), version: 1)
        #expect(response.results == [
            Result(name: "t", errorCode: .none, errorMessage: nil),
            Result(name: "missing", errorCode: .unknownTopicOrPartition, errorMessage: nil),
        ])
        #expect(harness.store.topic("t")?.config.partitionCount == 1)
        #expect((try? harness.store.partition("t", 1)) == nil)
    }

    @Test func aTimeoutOfZeroTimesOutEveryListedTopic() throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        let response = try harness.send(CreatePartitionsRequest(topics: [topic("t", 2), topic("d", 2), topic("d", 3)], timeoutMs: 0), version: 3)
        #expect(response.results == [
            Result(name: "t", errorCode: .requestTimedOut, errorMessage: nil),
            Result(name: "d", errorCode: .requestTimedOut, errorMessage: nil),
            Result(name: "d", errorCode: .requestTimedOut, errorMessage: nil),
        ])
        #expect(harness.store.topic("t")?.config.partitionCount == 1)
        // Only duplicates left: nothing reaches the controller, so no timeout applies.
        let duplicatesOnly = try harness.send(CreatePartitionsRequest(topics: [topic("t", 2), topic("t", 3)], timeoutMs: 0), version: 3)
        #expect(duplicatesOnly.results == [Result(name: "t", errorCode: .invalidRequest, errorMessage: "Duplicate topic name.")])
        #expect(try harness.send(CreatePartitionsRequest(topics: [], timeoutMs: 0), version: 3).results.isEmpty)
    }

    @Test func moreThanTenThousandNewPartitionsInOneRequestFail() throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("a", config: TopicConfig(partitionCount: 1))
        try harness.store.createTopic("b", config: TopicConfig(partitionCount: 1))
        let huge = try harness.send(CreatePartitionsRequest(topics: [topic("a", 10_002)], timeoutMs: 5_000, validateOnly: true), version: 3)
        #expect(huge.results == [Result(name: "a", errorCode: .unknownServerError, errorMessage: nil)])
        // The cap counts the whole request: the second topic overflows it.
        let together = try harness.send(CreatePartitionsRequest(topics: [topic("a", 6_001), topic("b", 5_001)], timeoutMs: 5_000, validateOnly: true), version: 3)
        #expect(together.results == [
            Result(name: "a", errorCode: .none, errorMessage: nil),
            Result(name: "b", errorCode: .unknownServerError, errorMessage: nil),
        ])
        #expect(partitionCounts(harness) == ["a": 1, "b": 1])
    }
}
