import Broker
import KafkaProtocol
import LogStorage
import Testing

/// ConsumerGroupHeartbeat and ConsumerGroupDescribe through the broker's handlers (no
/// sockets), and how the rest of the group APIs treat consumer-protocol groups.
@Suite struct ConsumerGroupHeartbeatTests {
    static func join(_ member: String, group: String = "cg", topics: [String] = ["orders"]) -> ConsumerGroupHeartbeatRequest {
        ConsumerGroupHeartbeatRequest(groupId: group, memberId: member, memberEpoch: 0, rebalanceTimeoutMs: 30_000,
                                      subscribedTopicNames: topics, subscribedTopicRegex: "", topicPartitions: [])
    }

    @Test func theProtocolIsAdvertisedUnlessTurnedOff() throws {
        var on = try BrokerHarness()
        let keys = try on.send(ApiVersionsRequest(), version: 3).apiKeys
        #expect(keys.contains(ApiVersionRange(.consumerGroupHeartbeat, 0, 1)))
        #expect(keys.contains(ApiVersionRange(.consumerGroupDescribe, 0, 1)))
        #expect(keys.first { $0.apiKey == .offsetCommit }?.maxVersion == 9)
        var off = try BrokerHarness { $0.consumerGroupProtocol = false }
        #expect(!(try off.send(ApiVersionsRequest(), version: 3).apiKeys.contains { $0.apiKey == .consumerGroupHeartbeat }))
    }

    @Test func membersJoinGetAssignmentsByTopicIdAndAreDescribedAndListed() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("orders", partitions: 4)
        let topicId = try #require(harness.store.topic("orders")?.id)
        let first = try harness.send(Self.join("m1"), version: 1)
        #expect(first.errorCode == .none)
        #expect(first.memberEpoch == 1)
        #expect(first.heartbeatIntervalMs == 5_000)
        #expect(first.assignment?.topicPartitions == [.init(topicId: topicId, partitions: [0, 1, 2, 3])])
        // m1 reports what it owns; a second member joins and gets nothing until m1 revokes.
        _ = try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: 1,
                                                           topicPartitions: [.init(topicId: topicId, partitions: [0, 1, 2, 3])]), version: 1)
        let second = try harness.send(Self.join("m2"), version: 1)
        #expect(second.memberEpoch == 2)
        #expect(second.assignment?.topicPartitions.flatMap(\.partitions) ?? [] == [])
        let revoke = try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: 1,
                                                                    topicPartitions: [.init(topicId: topicId, partitions: [0, 1, 2, 3])]), version: 1)
        let kept = try #require(revoke.assignment?.topicPartitions.first?.partitions)
        #expect(kept.count == 2)
        _ = try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: revoke.memberEpoch,
                                                           topicPartitions: [.init(topicId: topicId, partitions: kept)]), version: 1)
        let given = try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m2", memberEpoch: 2, topicPartitions: []), version: 1)
        #expect(Set(given.assignment?.topicPartitions.first?.partitions ?? []) == Set<Int32>([0, 1, 2, 3]).subtracting(kept))

        let described = try harness.send(ConsumerGroupDescribeRequest(groupIds: ["cg", "nope"]), version: 1).groups
        #expect(described.map(\.errorCode) == [.none, .groupIdNotFound])
        #expect(described.first?.assignorName == "uniform")
        #expect(described.first?.members.map(\.memberId) == ["m1", "m2"])
        #expect(described.first?.members.first?.memberType == 1)
        #expect(described.first?.members.first?.targetAssignment.topicPartitions.first?.topicName == "orders")
        let listed = try harness.send(ListGroupsRequest(typesFilter: ["consumer"]), version: 5).groups
        #expect(listed.map(\.groupId) == ["cg"])
        #expect(listed.first?.protocolType == "consumer")
        #expect(try harness.send(ListGroupsRequest(typesFilter: ["classic"]), version: 5).groups.isEmpty)
        // The classic API does not describe it.
        #expect(try harness.send(DescribeGroupsRequest(groups: ["cg"]), version: 5).groups.first?.errorCode == .groupIdNotFound)
    }

    @Test func commitsAreCheckedAgainstMemberEpochs() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("orders", partitions: 1)
        let joined = try harness.send(Self.join("m1"), version: 1)
        func commit(member: String, epoch: Int32, version: Int16 = 9) throws -> ErrorCode? {
            let request = OffsetCommitRequest(groupId: "cg", generationIdOrMemberEpoch: epoch, memberId: member, topics: [
                .init(name: "orders", partitions: [.init(partitionIndex: 0, committedOffset: 7)]),
            ])
            return try harness.send(request, version: version).topics.first?.partitions.first?.errorCode
        }
        #expect(try commit(member: "m1", epoch: joined.memberEpoch) == ErrorCode.none)
        #expect(try commit(member: "m1", epoch: joined.memberEpoch + 5) == .staleMemberEpoch)
        #expect(try commit(member: "ghost", epoch: joined.memberEpoch) == .unknownMemberId)
        #expect(try commit(member: "m1", epoch: joined.memberEpoch, version: 8) == .unsupportedVersion)
        // Admin-style commits (epoch -1) only while the group is empty.
        #expect(try commit(member: "", epoch: -1) == .unknownMemberId)
        _ = try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: -1), version: 1)
        #expect(try commit(member: "", epoch: -1) == ErrorCode.none)
        let fetched = try harness.send(OffsetFetchRequest(groupId: "cg", topics: [.init(name: "orders", partitionIndexes: [0])]), version: 7)
        #expect(fetched.topics.first?.partitions.first?.committedOffset == 7)
    }

    @Test func classicAndConsumerGroupsNeverShareAnIdWhileTheyHaveMembers() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("orders", partitions: 1)
        _ = try harness.send(Self.join("m1"), version: 1)
        let join = JoinGroupRequest(groupId: "cg", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 5_000, memberId: "", protocolType: "consumer",
                                    protocols: [JoinGroupRequest.ProtocolEntry(name: "range", metadata: [])])
        #expect(try harness.send(join, version: 5).errorCode == .inconsistentGroupProtocol)
        // DeleteGroups refuses while it has members, then deletes it with its offsets.
        #expect(try harness.send(DeleteGroupsRequest(groupsNames: ["cg"]), version: 2).results.first?.errorCode == .nonEmptyGroup)
        _ = try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: -1), version: 1)
        #expect(try harness.send(DeleteGroupsRequest(groupsNames: ["cg"]), version: 2).results.first?.errorCode == ErrorCode.none)
        // A classic group with members keeps its id from the consumer protocol.
        var classic = join
        classic.groupId = "classic"
        let first = try harness.send(classic, version: 5)
        classic.memberId = first.memberId
        let parked = classic, connection = harness
        _ = try BackgroundCall { var c = connection; return try? c.send(parked, version: 5) }
        #expect(waitUntil { harness.broker.parkedJoins == 1 })
        let answer = try harness.send(Self.join("m9", group: "classic"), version: 1)
        #expect(answer.errorCode == .groupIdNotFound)
        #expect(answer.errorMessage == "Group classic is not a consumer group.")
    }

    @Test func badHeartbeatsGetKafkasErrors() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("orders", partitions: 1)
        _ = try harness.send(Self.join("m1"), version: 1)
        var noMember = Self.join("")
        noMember.memberId = ""
        #expect(try harness.send(noMember, version: 1).errorCode == .invalidRequest)
        var regex = Self.join("m2")
        regex.subscribedTopicRegex = "orders["
        let refused = try harness.send(regex, version: 1)
        #expect(refused.errorCode == .invalidRegularExpression)
        #expect(refused.errorMessage == "SubscribedTopicRegex orders[ is not a valid regular expression.")
        var assignor = Self.join("m3")
        assignor.serverAssignor = "sticky"
        #expect(try harness.send(assignor, version: 1).errorCode == .unsupportedAssignor)
        #expect(try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "ghost", memberEpoch: 3), version: 1).errorCode == .unknownMemberId)
        #expect(try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: 9), version: 1).errorCode == .fencedMemberEpoch)
        // The others are unaffected: m1 still heartbeats at its epoch.
        #expect(try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: 1), version: 1).errorCode == ErrorCode.none)
    }

    /// A regex subscription (KIP-1099) covers the topics whose whole name matches, and picks up
    /// a matching topic created later at the next heartbeat.
    @Test func aRegexSubscriptionFollowsTheTopicsThatMatch() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("orders.eu", partitions: 1)
        try harness.createTopic("orders.us", partitions: 1)
        try harness.createTopic("payments", partitions: 1)
        try harness.createTopic("xorders.eu", partitions: 1)
        var join = ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: 0, rebalanceTimeoutMs: 30_000,
                                                 subscribedTopicRegex: "orders\\..*", topicPartitions: [])
        let joined = try harness.send(join, version: 1)
        #expect(joined.errorCode == .none)
        func names(_ response: ConsumerGroupHeartbeatResponse) -> [String] {
            let byId = Dictionary(harness.store.topics.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            return (response.assignment?.topicPartitions ?? []).compactMap { byId[$0.topicId] }.sorted()
        }
        #expect(names(joined) == ["orders.eu", "orders.us"])
        try harness.createTopic("orders.asia", partitions: 2)
        let later = try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: joined.memberEpoch), version: 1)
        #expect(later.memberEpoch > joined.memberEpoch)
        #expect(names(later) == ["orders.asia", "orders.eu", "orders.us"])
        let described = try harness.send(ConsumerGroupDescribeRequest(groupIds: ["cg"]), version: 1).groups.first?.members.first
        #expect(described?.subscribedTopicRegex == "orders\\..*")
        // Dropping the regex (an empty one) keeps only the names: the orders partitions are
        // revoked first, then payments is given.
        join = ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: later.memberEpoch,
                                             subscribedTopicNames: ["payments"], subscribedTopicRegex: "")
        let revoking = try harness.send(join, version: 1)
        #expect(names(revoking).isEmpty)
        let given = try harness.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: revoking.memberEpoch,
                                                                   topicPartitions: []), version: 1)
        #expect(names(given) == ["payments"])
    }
}
