import Broker
import KafkaProtocol
import LogStorage
import Testing

@Suite struct ApiVersionsAndMetadataTests {
    @Test(arguments: Int16(0)...4)
    func apiVersionsAdvertisesExactlyTheImplementedTable(version: Int16) throws {
        var harness = try BrokerHarness()
        let response = try harness.send(ApiVersionsRequest(clientSoftwareName: "t", clientSoftwareVersion: "1"), version: version)
        #expect(response.errorCode == .none)
        #expect(response.apiKeys == SupportedVersions.advertised(shareGroups: true, consumerGroups: true))
        #expect(response.apiKeys.first { $0.apiKey == .produce }?.minVersion == 0, "Produce min must be 0 for librdkafka compression")
        #expect(response.apiKeys.first { $0.apiKey == .fetch }?.maxVersion == 12)
    }

    @Test func apiVersionsV3ResponseUsesHeaderV0() throws {
        let harness = try BrokerHarness()
        let reply = harness.broker.handle(frame: harness.frame(ApiVersionsRequest(), version: 3, correlationId: 7))
        let bytes = try #require(try reply.materialize())
        // length(4) correlation(4) then directly the error code: no tag byte after the correlation id.
        #expect(Array(bytes[4..<8]) == [0, 0, 0, 7])
        #expect(Array(bytes[8..<10]) == [0, 0])
    }

    @Test func tooNewApiVersionsGetsAV0ErrorBodyWithOurRange() throws {
        let harness = try BrokerHarness()
        let reply = harness.broker.handle(frame: harness.frame(ApiVersionsRequest(), version: 9, correlationId: 3))
        let bytes = try #require(try reply.materialize())
        let (correlation, body) = try FrameCodec.decodeResponse(Array(bytes.dropFirst(4)), as: ApiVersionsResponse.self, apiKey: .apiVersions, version: 0)
        #expect(correlation == 3)
        #expect(body.errorCode == .unsupportedVersion)
        #expect(body.apiKeys == [ApiVersionRange(.apiVersions, 0, 4)])
    }

    @Test func unknownKeysUnsupportedVersionsAndGarbageCloseTheConnection() throws {
        let harness = try BrokerHarness()
        var unknown = harness.frame(ApiVersionsRequest(), version: 0, correlationId: 1)
        unknown[0] = 0x7F
        guard case .close = harness.broker.handle(frame: unknown) else { Issue.record("unknown key must close"); return }
        let fetchV3 = harness.frame(BrokerHarness.fetch("t", offset: 0), version: 3, correlationId: 1)
        guard case .close = harness.broker.handle(frame: fetchV3) else { Issue.record("Fetch v3 must close"); return }
        guard case .close = harness.broker.handle(frame: [0, 3]) else { Issue.record("short frame must close"); return }
        // A metadata request cut short.
        let metadata = harness.frame(MetadataRequest(topics: [MetadataRequest.Topic(name: "orders")]), version: 9, correlationId: 1)
        guard case .close = harness.broker.handle(frame: Array(metadata.dropLast(3))) else { Issue.record("truncated body must close"); return }
    }

    @Test func metadataDescribesTheBrokerAndAutoCreatesTopics() throws {
        var harness = try BrokerHarness { $0.defaultPartitions = 3 }
        for version in Int16(0)...12 {
            let name = "auto-\(version)"
            let response = try harness.send(MetadataRequest(topics: [MetadataRequest.Topic(name: name)], allowAutoTopicCreation: true), version: version)
            #expect(response.brokers == [MetadataResponse.Broker(nodeId: 0, host: "broker.test", port: 19092, rack: nil)])
            let topic = try #require(response.topics.first)
            #expect(topic.errorCode == .none, "v\(version)")
            #expect(topic.name == name)
            #expect(topic.partitions.map(\.partitionIndex) == [0, 1, 2])
            #expect(topic.partitions.allSatisfy { $0.leaderId == 0 && $0.replicaNodes == [0] && $0.isrNodes == [0] })
            if version >= 1 { #expect(response.controllerId == 0) }
            if version >= 2 { #expect(response.clusterId == "test-cluster") }
            if version >= 10 { #expect(topic.topicId == harness.store.topic(name)?.id) }
        }
    }

    @Test func metadataHonoursTheClientsAutoCreateFlagAndNames() throws {
        var harness = try BrokerHarness()
        let refused = try harness.send(MetadataRequest(topics: [MetadataRequest.Topic(name: "nope")], allowAutoTopicCreation: false), version: 9)
        #expect(refused.topics.first?.errorCode == .unknownTopicOrPartition)
        #expect(harness.store.topic("nope") == nil)
        let invalid = try harness.send(MetadataRequest(topics: [MetadataRequest.Topic(name: "bad name!")], allowAutoTopicCreation: true), version: 9)
        #expect(invalid.topics.first?.errorCode == .invalidTopicException)
        try harness.store.createTopic("a", config: TopicConfig(partitionCount: 1))
        try harness.store.createTopic("b", config: TopicConfig(partitionCount: 2))
        #expect(try harness.send(MetadataRequest(topics: nil), version: 1).topics.map(\.name) == ["a", "b"], "v1+: null = all topics")
        #expect(try harness.send(MetadataRequest(topics: []), version: 0).topics.map(\.name) == ["a", "b"], "v0: empty = all topics")
        #expect(try harness.send(MetadataRequest(topics: []), version: 1).topics.isEmpty, "v1+: empty = none")
    }

    @Test func autoCreateCanBeTurnedOffOnTheBroker() throws {
        var harness = try BrokerHarness { $0.autoCreateTopics = false }
        let response = try harness.send(MetadataRequest(topics: [MetadataRequest.Topic(name: "t")], allowAutoTopicCreation: true), version: 9)
        #expect(response.topics.first?.errorCode == .unknownTopicOrPartition)
        #expect(try harness.produce("t", BrokerHarness.batch(values: ["x"]))?.errorCode == .unknownTopicOrPartition)
    }
}
