@testable import Broker
import KafkaProtocol
import LogStorage
import SystemIO
import Testing

/// ACL checks of the group, offset, share-group and transaction APIs (Kafka's `KafkaApis`):
/// each API refused without ACLs with Kafka's error, allowed with exactly the operations Kafka
/// checks, and refused again when a DENY overrides one of them.
@Suite struct GroupAuthorizationTests {
    static let admin = KafkaPrincipal(name: "admin")
    static let alice = KafkaPrincipal(name: "alice")
    static let bob = KafkaPrincipal(name: "bob")

    typealias Grant = (type: AclResourceType, name: String, operation: AclOperation)

    /// One API: what it needs and how to call it (returning the error code that carries the
    /// authorization verdict).
    struct Row: CustomTestStringConvertible, Sendable {
        var api: String
        var grants: [Grant]
        var refusal: ErrorCode
        var call: @Sendable (inout BrokerHarness, KafkaPrincipal) throws -> ErrorCode?
        var testDescription: String { api }
    }

    static func harness() throws -> BrokerHarness {
        let harness = try BrokerHarness { config in
            config.aclAuthorizer = true
            config.superUsers = [admin]
            config.shareGroups = true
        }
        _ = try harness.createTopic("t", partitions: 1)
        _ = try harness.createTopic("orders-eu", partitions: 1)
        return harness
    }

    static func grant(_ harness: inout BrokerHarness, _ grants: [Grant], to principal: KafkaPrincipal = alice,
                      permission: AclPermissionType = .allow, pattern: AclPatternType = .literal) throws {
        let created = try harness.send(CreateAclsRequest(creations: grants.map {
            AclApiTests.creation($0.name, $0.operation, type: $0.type, pattern: pattern, principal: principal.description, permission: permission)
        }), version: 3, as: admin)
        #expect(created.results.allSatisfy { $0.errorCode == .none })
    }

    static let authorizationErrors: Set<ErrorCode> = [
        .groupAuthorizationFailed, .topicAuthorizationFailed, .transactionalIdAuthorizationFailed, .clusterAuthorizationFailed,
    ]

    static func topicId(_ harness: BrokerHarness) -> [UInt8] { harness.store.topic("t")?.id ?? [] }

    static let rows: [Row] = [
        Row(api: "FindCoordinator group v3", grants: [(.group, "g", .describe)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(FindCoordinatorRequest(key: "g", keyType: 0), version: 3, as: p).errorCode
        },
        Row(api: "FindCoordinator transaction v4", grants: [(.transactionalId, "tx", .describe)], refusal: .transactionalIdAuthorizationFailed) { h, p in
            try h.send(FindCoordinatorRequest(keyType: 1, coordinatorKeys: ["tx"]), version: 4, as: p).coordinators.first?.errorCode
        },
        Row(api: "JoinGroup", grants: [(.group, "g", .read)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(JoinGroupRequest(groupId: "g", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 5_000, memberId: "", protocolType: "consumer",
                                        protocols: [.init(name: "range", metadata: [])]), version: 5, as: p).errorCode
        },
        Row(api: "SyncGroup", grants: [(.group, "g", .read)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(SyncGroupRequest(groupId: "g", generationId: 1, memberId: "m"), version: 3, as: p).errorCode
        },
        Row(api: "Heartbeat", grants: [(.group, "g", .read)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(HeartbeatRequest(groupId: "g", generationId: 1, memberId: "m"), version: 4, as: p).errorCode
        },
        Row(api: "LeaveGroup", grants: [(.group, "g", .read)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(LeaveGroupRequest(groupId: "g", members: [.init(memberId: "m")]), version: 3, as: p).errorCode
        },
        Row(api: "OffsetCommit", grants: [(.group, "g", .read), (.topic, "t", .read)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(OffsetCommitRequest(groupId: "g", generationIdOrMemberEpoch: -1, memberId: "", topics: [
                .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 1)]),
            ]), version: 8, as: p).topics.first?.partitions.first?.errorCode
        },
        Row(api: "OffsetFetch", grants: [(.group, "g", .describe)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(OffsetFetchRequest(groupId: "g", topics: nil), version: 7, as: p).errorCode
        },
        Row(api: "OffsetDelete", grants: [(.group, "g", .delete)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(OffsetDeleteRequest(groupId: "g", topics: [.init(name: "t", partitions: [.init(partitionIndex: 0)])]), version: 0, as: p).errorCode
        },
        Row(api: "DescribeGroups", grants: [(.group, "g", .describe)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(DescribeGroupsRequest(groups: ["g"]), version: 5, as: p).groups.first?.errorCode
        },
        Row(api: "DeleteGroups", grants: [(.group, "g", .delete)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(DeleteGroupsRequest(groupsNames: ["g"]), version: 2, as: p).results.first?.errorCode
        },
        Row(api: "ConsumerGroupHeartbeat", grants: [(.group, "g", .read), (.topic, "t", .describe)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(ConsumerGroupHeartbeatRequest(groupId: "g", memberId: "m", memberEpoch: 0, rebalanceTimeoutMs: 30_000,
                                                     subscribedTopicNames: ["t"], subscribedTopicRegex: "", topicPartitions: []), version: 1, as: p).errorCode
        },
        Row(api: "ConsumerGroupDescribe", grants: [(.group, "g", .describe)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(ConsumerGroupDescribeRequest(groupIds: ["g"]), version: 1, as: p).groups.first?.errorCode
        },
        Row(api: "ShareGroupHeartbeat", grants: [(.group, "g", .read)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(ShareGroupHeartbeatRequest(groupId: "g", memberId: "m", memberEpoch: 0, subscribedTopicNames: ["t"]), version: 1, as: p).errorCode
        },
        Row(api: "ShareGroupDescribe", grants: [(.group, "g", .describe)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(ShareGroupDescribeRequest(groupIds: ["g"]), version: 1, as: p).groups.first?.errorCode
        },
        Row(api: "ShareFetch", grants: [(.group, "g", .read), (.topic, "t", .read)], refusal: .groupAuthorizationFailed) { h, p in
            let response = try h.send(ShareFetchRequest(groupId: "g", memberId: "m", shareSessionEpoch: 0, maxWaitMs: 0, minBytes: 1, maxRecords: 10,
                                                        batchSize: 10, topics: [.init(topicId: topicId(h), partitions: [.init(partitionIndex: 0)])]),
                                      version: 2, as: p)
            guard response.errorCode == .none else { return response.errorCode }
            return response.responses.first?.partitions.first?.errorCode ?? ErrorCode.none
        },
        Row(api: "ShareAcknowledge", grants: [(.group, "g", .read)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(ShareAcknowledgeRequest(groupId: "g", memberId: "m", shareSessionEpoch: 1, topics: []), version: 2, as: p).errorCode
        },
        Row(api: "DescribeShareGroupOffsets", grants: [(.group, "g", .describe)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(DescribeShareGroupOffsetsRequest(groups: [.init(groupId: "g", topics: nil)]), version: 1, as: p).groups.first?.errorCode
        },
        Row(api: "AlterShareGroupOffsets", grants: [(.group, "g", .read), (.topic, "t", .read)], refusal: .groupAuthorizationFailed) { h, p in
            let response = try h.send(AlterShareGroupOffsetsRequest(groupId: "g", topics: [
                .init(topicName: "t", partitions: [.init(partitionIndex: 0, startOffset: 0)]),
            ]), version: 0, as: p)
            guard response.errorCode == .none else { return response.errorCode }
            return response.responses.first?.partitions.first?.errorCode
        },
        Row(api: "DeleteShareGroupOffsets", grants: [(.group, "g", .delete)], refusal: .groupAuthorizationFailed) { h, p in
            try h.send(DeleteShareGroupOffsetsRequest(groupId: "g", topics: [.init(topicName: "t")]), version: 0, as: p).errorCode
        },
        Row(api: "InitProducerId transactional", grants: [(.transactionalId, "tx", .write)], refusal: .transactionalIdAuthorizationFailed) { h, p in
            try h.send(InitProducerIdRequest(transactionalId: "tx", transactionTimeoutMs: 60_000), version: 4, as: p).errorCode
        },
        Row(api: "InitProducerId idempotent", grants: [(.cluster, AclResourceType.clusterName, .idempotentWrite)],
            refusal: .clusterAuthorizationFailed) { h, p in
            try h.send(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: -1), version: 4, as: p).errorCode
        },
        Row(api: "AddPartitionsToTxn v3", grants: [(.transactionalId, "tx", .write), (.topic, "t", .write)],
            refusal: .transactionalIdAuthorizationFailed) { h, p in
            try h.send(AddPartitionsToTxnRequest(v3AndBelowTransactionalId: "tx", v3AndBelowProducerId: 1, v3AndBelowProducerEpoch: 0,
                                                 v3AndBelowTopics: [.init(name: "t", partitions: [0])]), version: 3, as: p)
                .resultsByTopicV3AndBelow.first?.resultsByPartition.first?.partitionErrorCode
        },
        Row(api: "AddPartitionsToTxn v4", grants: [(.cluster, AclResourceType.clusterName, .clusterAction)],
            refusal: .clusterAuthorizationFailed) { h, p in
            let response = try h.send(AddPartitionsToTxnRequest(transactions: [
                .init(transactionalId: "tx", producerId: 1, producerEpoch: 0, verifyOnly: true, topics: [.init(name: "t", partitions: [0])]),
            ]), version: 4, as: p)
            return response.errorCode
        },
        Row(api: "AddOffsetsToTxn", grants: [(.transactionalId, "tx", .write), (.group, "g", .read)],
            refusal: .transactionalIdAuthorizationFailed) { h, p in
            try h.send(AddOffsetsToTxnRequest(transactionalId: "tx", producerId: 1, producerEpoch: 0, groupId: "g"), version: 3, as: p).errorCode
        },
        Row(api: "EndTxn", grants: [(.transactionalId, "tx", .write)], refusal: .transactionalIdAuthorizationFailed) { h, p in
            try h.send(EndTxnRequest(transactionalId: "tx", producerId: 1, producerEpoch: 0, committed: true), version: 3, as: p).errorCode
        },
        Row(api: "TxnOffsetCommit", grants: [(.transactionalId, "tx", .write), (.group, "g", .read), (.topic, "t", .read)],
            refusal: .transactionalIdAuthorizationFailed) { h, p in
            try h.send(TxnOffsetCommitRequest(transactionalId: "tx", groupId: "g", producerId: 1, producerEpoch: 0,
                                              topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 1)])]), version: 3, as: p)
                .topics.first?.partitions.first?.errorCode
        },
        Row(api: "WriteTxnMarkers", grants: [(.cluster, AclResourceType.clusterName, .clusterAction)], refusal: .clusterAuthorizationFailed) { h, p in
            try h.send(WriteTxnMarkersRequest(markers: [
                .init(producerId: 1, producerEpoch: 0, transactionResult: false, topics: [.init(name: "t", partitionIndexes: [0])], coordinatorEpoch: 0),
            ]), version: 1, as: p).markers.first?.topics.first?.partitions.first?.errorCode
        },
        Row(api: "DescribeTransactions", grants: [(.transactionalId, "tx", .describe)], refusal: .transactionalIdAuthorizationFailed) { h, p in
            try h.send(DescribeTransactionsRequest(transactionalIds: ["tx"]), version: 0, as: p).transactionStates.first?.errorCode
        },
    ]

    @Test(arguments: rows) func refusedWithoutAclsAllowedWithThemDeniedByDeny(row: Row) throws {
        var harness = try Self.harness()
        #expect(try row.call(&harness, Self.alice) == row.refusal, "\(row.api) without ACLs")

        try Self.grant(&harness, row.grants)
        let allowed = try row.call(&harness, Self.alice)
        #expect(allowed != nil && !Self.authorizationErrors.contains(allowed!), "\(row.api) with \(row.grants.map(\.operation)): \(String(describing: allowed))")
        // Bob has none of alice's ACLs.
        #expect(try row.call(&harness, Self.bob) == row.refusal, "\(row.api) as bob")

        // A DENY of the first needed operation overrides the ALLOW.
        try Self.grant(&harness, [row.grants[0]], permission: .deny)
        #expect(try row.call(&harness, Self.alice) == row.refusal, "\(row.api) with a DENY")
    }

    @Test func topicChecksAnswerTopicAuthorizationFailed() throws {
        var harness = try Self.harness()
        try Self.grant(&harness, [(.group, "g", .read), (.group, "g", .describe), (.transactionalId, "tx", .write), (.group, "g", .delete)])
        let commit = try harness.send(OffsetCommitRequest(groupId: "g", generationIdOrMemberEpoch: -1, memberId: "", topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 1)]),
        ]), version: 8, as: Self.alice)
        #expect(commit.topics.first?.partitions.first?.errorCode == .topicAuthorizationFailed)
        // OffsetFetch: a requested topic answers TOPIC_AUTHORIZATION_FAILED; an all-topics fetch leaves it out.
        _ = try harness.send(OffsetCommitRequest(groupId: "g", generationIdOrMemberEpoch: -1, memberId: "", topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 1)]),
        ]), version: 8, as: Self.admin)
        let fetched = try harness.send(OffsetFetchRequest(groupId: "g", topics: [.init(name: "t", partitionIndexes: [0])]), version: 7, as: Self.alice)
        #expect(fetched.errorCode == .none && fetched.topics.first?.partitions.first?.errorCode == .topicAuthorizationFailed)
        #expect(try harness.send(OffsetFetchRequest(groupId: "g", topics: nil), version: 7, as: Self.alice).topics.isEmpty)
        #expect(try harness.send(OffsetFetchRequest(groupId: "g", topics: nil), version: 7, as: Self.admin).topics.map(\.name) == ["t"])
        let deleted = try harness.send(OffsetDeleteRequest(groupId: "g", topics: [.init(name: "t", partitions: [.init(partitionIndex: 0)])]),
                                       version: 0, as: Self.alice)
        #expect(deleted.errorCode == .none && deleted.topics.first?.partitions.first?.errorCode == .topicAuthorizationFailed)
        let heartbeat = try harness.send(ConsumerGroupHeartbeatRequest(groupId: "g", memberId: "m", memberEpoch: 0, rebalanceTimeoutMs: 30_000,
                                                                       subscribedTopicNames: ["t"], subscribedTopicRegex: "", topicPartitions: []),
                                         version: 1, as: Self.alice)
        #expect(heartbeat.errorCode == .topicAuthorizationFailed)
        let added = try harness.send(AddPartitionsToTxnRequest(v3AndBelowTransactionalId: "tx", v3AndBelowProducerId: 1, v3AndBelowProducerEpoch: 0,
                                                               v3AndBelowTopics: [.init(name: "t", partitions: [0]), .init(name: "orders-eu", partitions: [0])]),
                                     version: 3, as: Self.alice)
        #expect(added.resultsByTopicV3AndBelow.map { $0.resultsByPartition.first?.partitionErrorCode } == [.topicAuthorizationFailed, .topicAuthorizationFailed])
    }

    @Test func idempotentProducersMayInitWithWriteOnAnyTopic() throws {
        var harness = try Self.harness()
        let request = InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: -1)
        #expect(try harness.send(request, version: 4, as: Self.alice).errorCode == .clusterAuthorizationFailed)
        try Self.grant(&harness, [(.topic, "orders-", .write)], pattern: .prefixed)
        #expect(try harness.send(request, version: 4, as: Self.alice).errorCode == ErrorCode.none)
        // A DENY covering the allowed prefix takes it back.
        try Self.grant(&harness, [(.topic, "ord", .write)], permission: .deny, pattern: .prefixed)
        #expect(try harness.send(request, version: 4, as: Self.alice).errorCode == .clusterAuthorizationFailed)
    }

    @Test func listGroupsAndListTransactionsShowOnlyWhatThePrincipalMayDescribe() throws {
        var harness = try Self.harness()
        for group in ["g1", "g2", "g3"] {
            _ = try harness.send(OffsetCommitRequest(groupId: group, generationIdOrMemberEpoch: -1, memberId: "", topics: [
                .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 1)]),
            ]), version: 8, as: Self.admin)
        }
        for id in ["tx1", "tx2"] {
            #expect(try harness.send(InitProducerIdRequest(transactionalId: id, transactionTimeoutMs: 60_000), version: 4, as: Self.admin).errorCode == .none)
        }
        #expect(try harness.send(ListGroupsRequest(), version: 4, as: Self.alice).groups.isEmpty)
        try Self.grant(&harness, [(.group, "g1", .describe), (.group, "g3", .read), (.transactionalId, "tx2", .describe)])
        #expect(try harness.send(ListGroupsRequest(), version: 4, as: Self.alice).groups.map(\.groupId) == ["g1", "g3"])
        #expect(try harness.send(ListTransactionsRequest(), version: 1, as: Self.alice).transactionStates.map(\.transactionalId) == ["tx2"])
        // DESCRIBE on the cluster lists every group.
        try Self.grant(&harness, [(.cluster, AclResourceType.clusterName, .describe)], to: Self.bob)
        #expect(try harness.send(ListGroupsRequest(), version: 4, as: Self.bob).groups.map(\.groupId) == ["g1", "g2", "g3"])
        #expect(try harness.send(ListTransactionsRequest(), version: 1, as: Self.bob).transactionStates.isEmpty)
    }

    @Test func describeGroupsReportsThePrincipalsOperations() throws {
        var harness = try Self.harness()
        try Self.grant(&harness, [(.group, "g", .describe), (.group, "g", .read)])
        let described = try harness.send(DescribeGroupsRequest(groups: ["g"], includeAuthorizedOperations: true), version: 5, as: Self.alice)
        let readAndDescribe: Int32 = 1 << 3 | 1 << 8  // READ (3), DESCRIBE (8)
        #expect(described.groups.first?.authorizedOperations == readAndDescribe)
        let all = try harness.send(DescribeGroupsRequest(groups: ["g"], includeAuthorizedOperations: true), version: 5, as: Self.admin)
        let everyGroupOperation: Int32 = 1 << 3 | 1 << 6 | 1 << 8 | 1 << 10 | 1 << 11
        #expect(all.groups.first?.authorizedOperations == everyGroupOperation)
    }

    @Test func aPrefixedGroupAclCoversAConsumersJoinAndCommit() throws {
        var harness = try Self.harness()
        try Self.grant(&harness, [(.group, "orders-", .read)], pattern: .prefixed)
        try Self.grant(&harness, [(.topic, "orders-eu", .read)])
        func join(_ group: String, memberId: String = "") throws -> JoinGroupResponse {
            try harness.send(JoinGroupRequest(groupId: group, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 5_000, memberId: memberId,
                                              protocolType: "consumer", protocols: [.init(name: "range", metadata: [])]), version: 5, as: Self.alice)
        }
        #expect(try join("payments").errorCode == .groupAuthorizationFailed)
        let first = try join("orders-app")
        #expect(first.errorCode == .memberIdRequired)
        let commit = try harness.send(OffsetCommitRequest(groupId: "orders-app", generationIdOrMemberEpoch: -1, memberId: "", topics: [
            .init(name: "orders-eu", partitions: [.init(partitionIndex: 0, committedOffset: 5)]),
        ]), version: 8, as: Self.alice)
        #expect(commit.topics.first?.partitions.first?.errorCode == ErrorCode.none)
        let other = try harness.send(OffsetCommitRequest(groupId: "payments", generationIdOrMemberEpoch: -1, memberId: "", topics: [
            .init(name: "orders-eu", partitions: [.init(partitionIndex: 0, committedOffset: 5)]),
        ]), version: 8, as: Self.alice)
        #expect(other.topics.first?.partitions.first?.errorCode == .groupAuthorizationFailed)
    }

    @Test func withoutAnAuthorizerEveryPrincipalIsAllowed() throws {
        var harness = try BrokerHarness { $0.shareGroups = true }
        _ = try harness.createTopic("t", partitions: 1)
        for row in Self.rows {
            let answer = try row.call(&harness, Self.alice)
            #expect(answer.map { !Self.authorizationErrors.contains($0) } == true, "\(row.api): \(String(describing: answer))")
        }
    }
}
