import Broker
import KafkaProtocol
import LogStorage
import Testing

@Suite struct AdminTests {
    func create(_ name: String, partitions: Int32 = 1, replication: Int16 = 1, configs: [(String, String)] = []) -> CreateTopicsRequest.CreatableTopic {
        CreateTopicsRequest.CreatableTopic(name: name, numPartitions: partitions, replicationFactor: replication, assignments: [],
                                           configs: configs.map { CreateTopicsRequest.CreatableTopicConfig(name: $0.0, value: $0.1) })
    }

    @Test func createTopicsAppliesDefaultsConfigsAndKafkasErrors() throws {
        var harness = try BrokerHarness { $0.defaultPartitions = 2 }
        let response = try harness.send(CreateTopicsRequest(topics: [
            create("defaults", partitions: -1, replication: -1),
            create("configured", partitions: 4, configs: [("retention.ms", "1000"), ("cleanup.policy", "compact")]),
            create("replicated", replication: 3),
            create("empty", partitions: 0),
            create("bad config", partitions: 1),
            create("badconfig", configs: [("retention.ms", "soon")]),
            create("unknownconfig", configs: [("no.such", "1")]),
        ], timeoutMs: 1000), version: 5)
        let byName = Dictionary(uniqueKeysWithValues: response.topics.map { ($0.name, $0) })
        #expect(byName["defaults"]?.errorCode == ErrorCode.none)
        #expect(byName["defaults"]?.numPartitions == 2)
        #expect(byName["configured"]?.errorCode == ErrorCode.none)
        #expect(byName["configured"]?.configs?.first { $0.name == "retention.ms" }?.value == "1000")
        #expect(byName["configured"]?.configs?.first { $0.name == "retention.ms" }?.configSource == 1)
        #expect(byName["configured"]?.configs?.first { $0.name == "segment.bytes" }?.configSource == 5)
        #expect(byName["replicated"]?.errorCode == .invalidReplicationFactor)
        #expect(byName["empty"]?.errorCode == .invalidPartitions)
        #expect(byName["bad config"]?.errorCode == .invalidTopicException)
        #expect(byName["badconfig"]?.errorCode == .invalidConfig)
        #expect(byName["unknownconfig"]?.errorCode == .invalidConfig)
        #expect(try harness.store.partition("configured", 0).config.retentionMillis == 1000)
        #expect(harness.store.topic("configured")?.config.partitionCount == 4)
        #expect(harness.store.topics.map(\.name) == ["configured", "defaults"])
        let again = try harness.send(CreateTopicsRequest(topics: [create("defaults")], timeoutMs: 1000), version: 7)
        #expect(again.topics.first?.errorCode == .topicAlreadyExists)
    }

    @Test func validateOnlyCreatesNothing() throws {
        var harness = try BrokerHarness()
        let response = try harness.send(CreateTopicsRequest(topics: [create("dry")], timeoutMs: 1000, validateOnly: true), version: 4)
        #expect(response.topics.first?.errorCode == ErrorCode.none)
        #expect(harness.store.topic("dry") == nil)
    }

    @Test func deleteTopicsByNameAndById() throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("one", config: TopicConfig(partitionCount: 1))
        let two = try harness.store.createTopic("two", config: TopicConfig(partitionCount: 1))
        let byName = try harness.send(DeleteTopicsRequest(topicNames: ["one", "missing"], timeoutMs: 1000), version: 1)
        #expect(byName.responses.map(\.errorCode) == [ErrorCode.none, .unknownTopicOrPartition])
        let byId = try harness.send(DeleteTopicsRequest(topics: [
            DeleteTopicsRequest.DeleteTopicState(name: nil, topicId: two.id),
            DeleteTopicsRequest.DeleteTopicState(name: nil, topicId: [UInt8](repeating: 9, count: 16)),
        ], timeoutMs: 1000), version: 6)
        #expect(byId.responses.map(\.errorCode) == [ErrorCode.none, .unknownTopicId])
        #expect(byId.responses.first?.name == "two")
        #expect(harness.store.topics.isEmpty)
    }

    @Test func describeConfigsReturnsEveryTopicConfig() throws {
        var harness = try BrokerHarness()
        var config = TopicConfig(partitionCount: 1)
        try config.set("retention.ms", "5000")
        try harness.store.createTopic("t", config: config)
        for version in Int16(0)...4 {
            let response = try harness.send(DescribeConfigsRequest(resources: [
                DescribeConfigsRequest.DescribeConfigsResource(resourceType: 2, resourceName: "t", configurationKeys: nil),
                DescribeConfigsRequest.DescribeConfigsResource(resourceType: 2, resourceName: "missing", configurationKeys: nil),
                DescribeConfigsRequest.DescribeConfigsResource(resourceType: 4, resourceName: "0", configurationKeys: ["log.cleanup.policy"]),
            ]), version: version)
            let topic = try #require(response.results.first)
            #expect(topic.errorCode == ErrorCode.none)
            #expect(Set(topic.configs.map(\.name)) == Set(TopicConfigDefinitions.all.filter { !$0.definition.isInternal }.map(\.name)))
            let retention = try #require(topic.configs.first { $0.name == "retention.ms" })
            #expect(retention.value == "5000")
            if version == 0 { #expect(retention.isDefault == false) } else { #expect(retention.configSource == 1) }
            #expect(topic.configs.first { $0.name == "cleanup.policy" }?.value == "delete")
            #expect(response.results[1].errorCode == .unknownTopicOrPartition)
            #expect(response.results[2].configs.map(\.name) == ["log.cleanup.policy"])
        }
    }
}
