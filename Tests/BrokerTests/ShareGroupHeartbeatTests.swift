import Broker
import KafkaProtocol
import LogStorage
import Testing

/// ShareGroupHeartbeat and ShareGroupDescribe through the broker's handlers (no sockets).
@Suite struct ShareGroupHeartbeatTests {
    @Test func shareGroupApisAreAdvertisedOnlyWhenEnabled() throws {
        var off = try BrokerHarness { $0.shareGroups = false }
        #expect(!(try off.send(ApiVersionsRequest(), version: 3).apiKeys.contains { $0.apiKey == .shareGroupHeartbeat }))
        var on = try BrokerHarness { $0.shareGroups = true }
        #expect(try on.send(ApiVersionsRequest(), version: 3).apiKeys.contains { $0.apiKey == .shareGroupHeartbeat })
    }

    @Test func membersJoinAndAreDescribed() throws {
        var harness = try BrokerHarness { $0.shareGroups = true }
        try harness.createTopic("drinks", partitions: 2)
        let topicId = try #require(harness.store.topic("drinks")?.id)
        let first = try harness.send(ShareGroupHeartbeatRequest(groupId: "baristas", memberId: "m1", memberEpoch: 0, subscribedTopicNames: ["drinks"]), version: 1)
        #expect(first.errorCode == .none)
        #expect(first.memberEpoch == 1)
        #expect(first.assignment?.topicPartitions == [.init(topicId: topicId, partitions: [0, 1])])
        let second = try harness.send(ShareGroupHeartbeatRequest(groupId: "baristas", memberId: "m2", memberEpoch: 0, subscribedTopicNames: ["drinks"]), version: 1)
        #expect(second.assignment?.topicPartitions == [.init(topicId: topicId, partitions: [1])])
        let described = try harness.send(ShareGroupDescribeRequest(groupIds: ["baristas", "nope"]), version: 1).groups
        #expect(described.map(\.errorCode) == [.none, .groupIdNotFound])
        #expect(described.first?.groupState == "Stable")
        #expect(described.first?.groupEpoch == 2)
        #expect(described.first?.assignorName == "simple")
        #expect(described.first?.members.map(\.memberId) == ["m1", "m2"])
        #expect(described.first?.members.first?.clientId == "harness")
        #expect(described.first?.members.last?.assignment.topicPartitions.first?.topicName == "drinks")
        // ListGroups shows it as a share group; the type filter selects it.
        let listed = try harness.send(ListGroupsRequest(typesFilter: ["share"]), version: 5).groups
        #expect(listed.map(\.groupId) == ["baristas"])
        #expect(listed.first?.groupType == "share")
        #expect(listed.first?.groupState == "Stable")
        #expect(try harness.send(ListGroupsRequest(typesFilter: ["classic"]), version: 5).groups.isEmpty)
        // Leaving.
        let left = try harness.send(ShareGroupHeartbeatRequest(groupId: "baristas", memberId: "m2", memberEpoch: -1), version: 1)
        #expect(left.memberEpoch == -1)
        #expect(try harness.send(ShareGroupHeartbeatRequest(groupId: "baristas", memberId: "m2", memberEpoch: 2), version: 1).errorCode == .unknownMemberId)
    }

    @Test func aConsumerGroupsIdIsNotAShareGroup() throws {
        var harness = try BrokerHarness { $0.shareGroups = true }
        try harness.createTopic("drinks", partitions: 1)
        let commit = OffsetCommitRequest(groupId: "classic", generationIdOrMemberEpoch: -1, memberId: "", topics: [
            .init(name: "drinks", partitions: [.init(partitionIndex: 0, committedOffset: 3)]),
        ])
        #expect(try harness.send(commit, version: 8).topics.first?.partitions.first?.errorCode == ErrorCode.none)
        let refused = try harness.send(ShareGroupHeartbeatRequest(groupId: "classic", memberId: "m1", memberEpoch: 0, subscribedTopicNames: ["drinks"]), version: 1)
        #expect(refused.errorCode == .groupIdNotFound)
        #expect(refused.errorMessage == "Group classic is not a share group.")
        let bad = try harness.send(ShareGroupHeartbeatRequest(groupId: "g", memberId: "", memberEpoch: 0, subscribedTopicNames: ["drinks"]), version: 1)
        #expect(bad.errorCode == .invalidRequest)
    }
}
