@testable import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import Testing

/// ACL enforcement on the topic, cluster, config and admin APIs (Kafka's `KafkaApis` checks):
/// refused without ACLs with Kafka's error, allowed with exactly the needed operation, refused
/// again once a DENY is added; Metadata's filtering and authorized operations; prefixed grants.
@Suite struct TopicAuthorizationTests {
    static let admin = KafkaPrincipal(name: "admin")
    static let alice = KafkaPrincipal(name: "alice")
    static let bob = KafkaPrincipal(name: "bob")
    static let cluster = AclResourceType.clusterName

    /// A broker with the authorizer on, super user `User:admin`, and topic `t1` (one partition,
    /// one record).
    static func harness() throws -> BrokerHarness {
        var harness = try BrokerHarness { config in
            config.aclAuthorizer = true
            config.superUsers = [admin]
        }
        _ = try harness.broker.store.createTopic("t1", config: harness.broker.config.topicConfig(partitions: 1))
        let produced = try harness.send(produce("t1", BrokerHarness.batch(values: ["a"])), version: 9, as: admin)
        #expect(produced.responses.first?.partitionResponses.first?.errorCode == ErrorCode.none)
        return harness
    }

    static func produce(_ topic: String, _ records: [UInt8], transactionalId: String? = nil) -> ProduceRequest {
        ProduceRequest(transactionalId: transactionalId, acks: -1, timeoutMs: 1000, topicData: [
            .init(name: topic, partitionData: [.init(index: 0, records: .inline(records))]),
        ])
    }

    /// Grants (or denies) `principal` the operations, as the super user.
    static func acl(_ harness: inout BrokerHarness, _ entries: [(AclResourceType, String, AclOperation)],
                    principal: KafkaPrincipal = alice, pattern: AclPatternType = .literal, permission: AclPermissionType = .allow) throws {
        let created = try harness.send(CreateAclsRequest(creations: entries.map { type, name, operation in
            AclApiTests.creation(name, operation, type: type, pattern: pattern, principal: "\(principal)", permission: permission)
        }), version: 3, as: admin)
        #expect(created.results.allSatisfy { $0.errorCode == .none })
    }

    struct Case: Sendable {
        let api: String
        let needs: [(AclResourceType, String, AclOperation)]
        let refused: ErrorCode
        let allowed: ErrorCode
        let call: @Sendable (inout BrokerHarness, KafkaPrincipal) throws -> ErrorCode?
    }

    static let cases: [Case] = [
        Case(api: "Produce", needs: [(.topic, "t1", .write)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(produce("t1", BrokerHarness.batch(values: ["b"])), version: 9, as: p).responses.first?.partitionResponses.first?.errorCode
        },
        Case(api: "Fetch", needs: [(.topic, "t1", .read)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(BrokerHarness.fetch("t1", offset: 0), version: 12, as: p).responses.first?.partitions.first?.errorCode
        },
        Case(api: "ListOffsets", needs: [(.topic, "t1", .describe)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(ListOffsetsRequest(replicaId: -1, isolationLevel: 0, topics: [.init(name: "t1", partitions: [.init(partitionIndex: 0, timestamp: -1)])]),
                       version: 7, as: p).topics.first?.partitions.first?.errorCode
        },
        Case(api: "OffsetForLeaderEpoch", needs: [(.topic, "t1", .describe)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(OffsetForLeaderEpochRequest(topics: [.init(topic: "t1", partitions: [.init(partition: 0, leaderEpoch: 0)])]),
                       version: 4, as: p).topics.first?.partitions.first?.errorCode
        },
        Case(api: "Metadata", needs: [(.topic, "t1", .describe)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(MetadataRequest(topics: [.init(name: "t1")], allowAutoTopicCreation: false), version: 12, as: p).topics.first?.errorCode
        },
        Case(api: "CreateTopics (topic CREATE)", needs: [(.topic, "new", .create)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(CreateTopicsRequest(topics: [.init(name: "new", numPartitions: 1, replicationFactor: 1)], timeoutMs: 0, validateOnly: true),
                       version: 7, as: p).topics.first?.errorCode
        },
        Case(api: "CreateTopics (cluster CREATE)", needs: [(.cluster, cluster, .create)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(CreateTopicsRequest(topics: [.init(name: "new", numPartitions: 1, replicationFactor: 1)], timeoutMs: 0, validateOnly: true),
                       version: 7, as: p).topics.first?.errorCode
        },
        Case(api: "DeleteTopics", needs: [(.topic, "t1", .delete)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            // Deleting changes state: the topic is back for each call.
            if h.broker.store.topic("t1") == nil { _ = try h.broker.store.createTopic("t1", config: h.broker.config.topicConfig(partitions: 1)) }
            return try h.send(DeleteTopicsRequest(topicNames: ["t1"], timeoutMs: 1000), version: 5, as: p).responses.first?.errorCode
        },
        Case(api: "CreatePartitions", needs: [(.topic, "t1", .alter)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(CreatePartitionsRequest(topics: [.init(name: "t1", count: 2)], timeoutMs: 1000, validateOnly: true),
                       version: 3, as: p).results.first?.errorCode
        },
        Case(api: "DeleteRecords", needs: [(.topic, "t1", .delete)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(DeleteRecordsRequest(topics: [.init(name: "t1", partitions: [.init(partitionIndex: 0, offset: 0)])], timeoutMs: 1000),
                       version: 2, as: p).topics.first?.partitions.first?.errorCode
        },
        Case(api: "DescribeConfigs (topic)", needs: [(.topic, "t1", .describeConfigs)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(DescribeConfigsRequest(resources: [.init(resourceType: 2, resourceName: "t1", configurationKeys: nil)]),
                       version: 4, as: p).results.first?.errorCode
        },
        Case(api: "DescribeConfigs (broker)", needs: [(.cluster, cluster, .describeConfigs)], refused: .clusterAuthorizationFailed, allowed: .none) { h, p in
            try h.send(DescribeConfigsRequest(resources: [.init(resourceType: 4, resourceName: "\(h.broker.config.nodeId)", configurationKeys: nil)]),
                       version: 4, as: p).results.first?.errorCode
        },
        Case(api: "DescribeConfigs (group)", needs: [(.group, "g1", .describeConfigs)], refused: .groupAuthorizationFailed, allowed: .none) { h, p in
            try h.send(DescribeConfigsRequest(resources: [.init(resourceType: 32, resourceName: "g1", configurationKeys: nil)]),
                       version: 4, as: p).results.first?.errorCode
        },
        Case(api: "AlterConfigs (topic)", needs: [(.topic, "t1", .alterConfigs)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(AlterConfigsRequest(resources: [.init(resourceType: 2, resourceName: "t1", configs: [.init(name: "retention.ms", value: "1000")])],
                                           validateOnly: true), version: 2, as: p).responses.first?.errorCode
        },
        Case(api: "IncrementalAlterConfigs (topic)", needs: [(.topic, "t1", .alterConfigs)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(IncrementalAlterConfigsRequest(resources: [.init(resourceType: 2, resourceName: "t1", configs: [
                .init(name: "retention.ms", configOperation: 0, value: "1000"),
            ])], validateOnly: true), version: 1, as: p).responses.first?.errorCode
        },
        Case(api: "IncrementalAlterConfigs (broker)", needs: [(.cluster, cluster, .alterConfigs)], refused: .clusterAuthorizationFailed, allowed: .none) { h, p in
            try h.send(IncrementalAlterConfigsRequest(resources: [.init(resourceType: 4, resourceName: "", configs: [
                .init(name: "log.retention.ms", configOperation: 1, value: nil),
            ])], validateOnly: true), version: 1, as: p).responses.first?.errorCode
        },
        Case(api: "DescribeLogDirs", needs: [(.cluster, cluster, .describe)], refused: .clusterAuthorizationFailed, allowed: .none) { h, p in
            try h.send(DescribeLogDirsRequest(topics: nil), version: 4, as: p).errorCode
        },
        Case(api: "ListPartitionReassignments", needs: [(.cluster, cluster, .describe)], refused: .clusterAuthorizationFailed, allowed: .none) { h, p in
            try h.send(ListPartitionReassignmentsRequest(topics: nil), version: 0, as: p).errorCode
        },
        Case(api: "ElectLeaders", needs: [(.cluster, cluster, .alter)], refused: .clusterAuthorizationFailed, allowed: .none) { h, p in
            try h.send(ElectLeadersRequest(electionType: 0, topicPartitions: [.init(topic: "t1", partitions: [0])], timeoutMs: 1000),
                       version: 2, as: p).errorCode
        },
        Case(api: "DescribeProducers", needs: [(.topic, "t1", .read)], refused: .topicAuthorizationFailed, allowed: .none) { h, p in
            try h.send(DescribeProducersRequest(topics: [.init(name: "t1", partitionIndexes: [0])]), version: 0, as: p).topics.first?.partitions.first?.errorCode
        },
        Case(api: "DescribeUserScramCredentials", needs: [(.cluster, cluster, .describe)], refused: .clusterAuthorizationFailed, allowed: .none) { h, p in
            try h.send(DescribeUserScramCredentialsRequest(users: nil), version: 0, as: p).errorCode
        },
        Case(api: "AlterUserScramCredentials", needs: [(.cluster, cluster, .alter)], refused: .clusterAuthorizationFailed,
             allowed: .resourceNotFound) { h, p in
            try h.send(AlterUserScramCredentialsRequest(deletions: [.init(name: "nobody", mechanism: 1)], upsertions: []),
                       version: 0, as: p).results.first?.errorCode
        },
    ]

    @Test func eachApiIsRefusedWithoutItsAclAllowedWithItAndRefusedUnderADeny() throws {
        for item in Self.cases {
            var harness = try Self.harness()
            #expect(try item.call(&harness, Self.alice) == item.refused, "\(item.api) without ACLs")
            try Self.acl(&harness, item.needs)
            #expect(try item.call(&harness, Self.bob) == item.refused, "\(item.api) as a principal without the ACL")
            #expect(try item.call(&harness, Self.alice) == item.allowed, "\(item.api) with \(item.needs.map(\.2))")
            try Self.acl(&harness, item.needs, permission: .deny)
            #expect(try item.call(&harness, Self.alice) == item.refused, "\(item.api) with a DENY beside the ALLOW")
            #expect(try item.call(&harness, Self.admin) == item.allowed, "\(item.api) as the super user")
        }
    }

    @Test func eachApiAnswersAsBeforeWithoutAnAuthorizer() throws {
        for item in Self.cases {
            var harness = try BrokerHarness()
            _ = try harness.broker.store.createTopic("t1", config: harness.broker.config.topicConfig(partitions: 1))
            _ = try harness.produce("t1", BrokerHarness.batch(values: ["a"]))
            #expect(try item.call(&harness, Self.alice) == item.allowed, "\(item.api) without an authorizer")
        }
    }

    @Test func wrongOperationDoesNotGrant() throws {
        var harness = try Self.harness()
        try Self.acl(&harness, [(.topic, "t1", .read)])
        let produced = try harness.send(Self.produce("t1", BrokerHarness.batch(values: ["b"])), version: 9, as: Self.alice)
        #expect(produced.responses.first?.partitionResponses.first?.errorCode == .topicAuthorizationFailed)
    }

    @Test func metadataHidesUnauthorizedTopicsAndReportsAuthorizedOperations() throws {
        var harness = try Self.harness()
        _ = try harness.broker.store.createTopic("t2", config: harness.broker.config.topicConfig(partitions: 2))
        try Self.acl(&harness, [(.topic, "t1", .describe), (.topic, "t1", .write)])

        let all = try harness.send(MetadataRequest(topics: nil, includeTopicAuthorizedOperations: true), version: 12, as: Self.alice)
        #expect(all.topics.map(\.name) == ["t1"])
        #expect(all.topics.first?.topicAuthorizedOperations == 1 << 4 | 1 << 8)
        let admin = try harness.send(MetadataRequest(topics: nil, includeTopicAuthorizedOperations: true), version: 12, as: Self.admin)
        #expect(Set(admin.topics.compactMap(\.name)) == ["t1", "t2"])
        #expect(admin.topics.allSatisfy { $0.topicAuthorizedOperations == 3576 })

        let named = try harness.send(MetadataRequest(topics: [.init(name: "t1"), .init(name: "t2"), .init(name: "missing")],
                                                     allowAutoTopicCreation: false), version: 12, as: Self.alice)
        #expect(named.topics.map(\.errorCode) == [.none, .topicAuthorizationFailed, .topicAuthorizationFailed])
        #expect(named.topics[1].partitions.isEmpty && named.topics[1].topicId == [UInt8](repeating: 0, count: 16))

        // By id (v12): the id comes back, the name does not.
        let t2 = try #require(harness.broker.store.topic("t2"))
        let byId = try harness.send(MetadataRequest(topics: [.init(topicId: t2.id, name: nil)]), version: 12, as: Self.alice)
        #expect(byId.topics.first?.errorCode == .topicAuthorizationFailed && byId.topics.first?.name == nil)

        // Auto-creation needs CREATE on the cluster or the topic.
        try Self.acl(&harness, [(.topic, "auto", .describe)], pattern: .prefixed)
        let refused = try harness.send(MetadataRequest(topics: [.init(name: "auto-1")], allowAutoTopicCreation: true), version: 12, as: Self.alice)
        #expect(refused.topics.first?.errorCode == .topicAuthorizationFailed)
        #expect(harness.broker.store.topic("auto-1") == nil)
        try Self.acl(&harness, [(.topic, "auto", .create)], pattern: .prefixed)
        let created = try harness.send(MetadataRequest(topics: [.init(name: "auto-1")], allowAutoTopicCreation: true), version: 12, as: Self.alice)
        #expect(created.topics.first?.errorCode == ErrorCode.none)
        #expect(harness.broker.store.topic("auto-1") != nil)

        // Cluster operations: 0 without DESCRIBE on the cluster, else the principal's.
        let noCluster = try harness.send(MetadataRequest(topics: [], includeClusterAuthorizedOperations: true), version: 10, as: Self.alice)
        #expect(noCluster.clusterAuthorizedOperations == 0)
        #expect(try harness.send(DescribeClusterRequest(includeClusterAuthorizedOperations: true), version: 1, as: Self.alice)
            .clusterAuthorizedOperations == 0)
        try Self.acl(&harness, [(.cluster, Self.cluster, .describe)])
        let withCluster = try harness.send(MetadataRequest(topics: [], includeClusterAuthorizedOperations: true), version: 10, as: Self.alice)
        #expect(withCluster.clusterAuthorizedOperations == 1 << 8)
        let described = try harness.send(DescribeClusterRequest(includeClusterAuthorizedOperations: true), version: 1, as: Self.alice)
        #expect(described.errorCode == .none && described.clusterAuthorizedOperations == 1 << 8)
        #expect(try harness.send(DescribeClusterRequest(includeClusterAuthorizedOperations: true), version: 1, as: Self.admin)
            .clusterAuthorizedOperations == 8096)
    }

    @Test func operationsWithoutAnAuthorizerAreEveryOne() throws {
        var harness = try BrokerHarness()
        _ = try harness.broker.store.createTopic("t1", config: harness.broker.config.topicConfig(partitions: 1))
        let metadata = try harness.send(MetadataRequest(topics: nil, includeClusterAuthorizedOperations: true,
                                                        includeTopicAuthorizedOperations: true), version: 10)
        #expect(metadata.topics.map(\.topicAuthorizedOperations) == [3576])
        #expect(metadata.clusterAuthorizedOperations == 8096)
        #expect(try harness.send(DescribeClusterRequest(includeClusterAuthorizedOperations: true), version: 1).clusterAuthorizedOperations == 8096)
    }

    @Test func aFetchWithNothingReadableIsAnsweredAtOnce() throws {
        var harness = try Self.harness()
        // The clock is manual: a parked fetch would never be answered.
        let fetched = try harness.send(BrokerHarness.fetch("t1", offset: 1, maxWaitMs: 10_000), version: 12, as: Self.alice)
        #expect(fetched.responses.first?.partitions.first?.errorCode == .topicAuthorizationFailed)
    }

    @Test func aPrefixedGrantAllowsProducingToMatchingTopics() throws {
        var harness = try Self.harness()
        for name in ["orders-eu", "other"] {
            _ = try harness.broker.store.createTopic(name, config: harness.broker.config.topicConfig(partitions: 1))
        }
        try Self.acl(&harness, [(.topic, "orders-", .write)], pattern: .prefixed)
        let request = ProduceRequest(transactionalId: nil, acks: -1, timeoutMs: 1000, topicData: ["orders-eu", "other"].map { name in
            .init(name: name, partitionData: [.init(index: 0, records: .inline(BrokerHarness.batch(values: ["x"])))])
        })
        let response = try harness.send(request, version: 9, as: Self.alice)
        #expect(response.responses.map { $0.partitionResponses.first?.errorCode } == [ErrorCode.none, .topicAuthorizationFailed])
    }

    @Test func producingToAnUnknownTopicCreatesItOnlyWithCreate() throws {
        var harness = try Self.harness()
        try Self.acl(&harness, [(.topic, "fresh", .write)])
        let refused = try harness.send(Self.produce("fresh", BrokerHarness.batch(values: ["x"])), version: 9, as: Self.alice)
        #expect(refused.responses.first?.partitionResponses.first?.errorCode == .unknownTopicOrPartition)
        #expect(harness.broker.store.topic("fresh") == nil)
        try Self.acl(&harness, [(.topic, "fresh", .create)])
        let created = try harness.send(Self.produce("fresh", BrokerHarness.batch(values: ["x"])), version: 9, as: Self.alice)
        #expect(created.responses.first?.partitionResponses.first?.errorCode == ErrorCode.none)
    }

    @Test func transactionalProduceNeedsWriteOnTheTransactionalId() throws {
        var harness = try Self.harness()
        try Self.acl(&harness, [(.topic, "t1", .write)])
        var builder = RecordBatchBuilder(producerId: 7, producerEpoch: 0, baseSequence: 0, isTransactional: true)
        builder.append(RecordInput(key: nil, value: Array("x".utf8), timestamp: 1_700_000_000_000))
        let response = try harness.send(Self.produce("t1", builder.build(), transactionalId: "tx"), version: 9, as: Self.alice)
        #expect(response.responses.first?.partitionResponses.first?.errorCode == .transactionalIdAuthorizationFailed)
        try Self.acl(&harness, [(.transactionalId, "tx", .write)])
        let admitted = try harness.send(Self.produce("t1", builder.build(), transactionalId: "tx"), version: 9, as: Self.alice)
        // Past authorization: the coordinator has no such transaction.
        #expect(admitted.responses.first?.partitionResponses.first?.errorCode != .transactionalIdAuthorizationFailed)
    }
}
