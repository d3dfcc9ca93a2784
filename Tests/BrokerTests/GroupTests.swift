import Broker
import Glibc
import KafkaProtocol
import LogStorage
import SystemIO
import Testing

/// The group coordinator driven through request frames, with a manual clock for timers. Requests
/// that park (JoinGroup, SyncGroup) run on their own threads, as separate connections would.
@Suite struct GroupTests {
    let clock = ManualTimeSource()

    func harness(fileSystem: MemoryFileSystem = MemoryFileSystem()) throws -> BrokerHarness {
        var harness = try BrokerHarness(configure: {
            $0.groups.initialRebalanceDelayMs = 1_000
            $0.groups.minSessionTimeoutMs = 100
        }, time: clock, fileSystem: fileSystem)
        _ = try harness.send(MetadataRequest(topics: [MetadataRequest.Topic(name: "t")], allowAutoTopicCreation: true), version: 9)
        return harness
    }

    func join(_ memberId: String = "", instance: String? = nil, protocols: [String] = ["range"], session: Int32 = 10_000, type: String = "consumer") -> JoinGroupRequest {
        JoinGroupRequest(groupId: "g", sessionTimeoutMs: session, rebalanceTimeoutMs: 5_000, memberId: memberId, groupInstanceId: instance,
                         protocolType: type, protocols: protocols.map { JoinGroupRequest.ProtocolEntry(name: $0, metadata: Array("\($0)-meta".utf8)) })
    }

    /// Starts a JoinGroup on its own thread.
    func startJoin(_ harness: BrokerHarness, _ request: JoinGroupRequest, version: Int16 = 5) throws -> BackgroundCall<JoinGroupResponse?> {
        try BackgroundCall { var connection = harness; return try? connection.send(request, version: version) }
    }

    /// KIP-394 two-step join for a dynamic member: returns its member id.
    func memberId(_ harness: inout BrokerHarness) throws -> String {
        let first = try harness.send(join(), version: 5)
        #expect(first.errorCode == .memberIdRequired)
        #expect(!first.memberId.isEmpty)
        return first.memberId
    }

    /// Two dynamic members join and sync; returns their ids (leader first) and the generation.
    func formGroup(_ harness: inout BrokerHarness) throws -> (leader: String, follower: String, generation: Int32) {
        let a = try memberId(&harness)
        let b = try memberId(&harness)
        // Both join while the new group waits out its initial rebalance delay.
        let joinA = try startJoin(harness, join(a))
        let joinB = try startJoin(harness, join(b))
        #expect(waitUntil { harness.broker.parkedJoins == 2 }, "both joins parked")
        clock.advance(millis: 1_000)
        harness.broker.tick()
        let answerA = try #require(joinA.wait()?.0)
        let answerB = try #require(joinB.wait()?.0)
        #expect(answerA.errorCode == .none && answerB.errorCode == .none)
        #expect(answerA.generationId == answerB.generationId)
        #expect(answerA.leader == answerB.leader)
        #expect(answerA.protocolName == "range")
        let leader = answerA.leader
        let follower = leader == a ? b : a
        let leaderAnswer = leader == a ? answerA : answerB
        let followerAnswer = leader == a ? answerB : answerA
        #expect(Set(leaderAnswer.members.map(\.memberId)) == [a, b], "the leader sees every member")
        #expect(leaderAnswer.members.allSatisfy { $0.metadata == Array("range-meta".utf8) })
        #expect(followerAnswer.members.isEmpty, "followers see no members")
        let generation = answerA.generationId
        let copy = harness
        let followerSync = try BackgroundCall { var c = copy
            return try? c.send(SyncGroupRequest(groupId: "g", generationId: generation, memberId: follower), version: 3) }
        let leaderSync = try harness.send(SyncGroupRequest(groupId: "g", generationId: generation, memberId: leader, assignments: [
            SyncGroupRequest.Assignment(memberId: leader, assignment: [1, 1]),
            SyncGroupRequest.Assignment(memberId: follower, assignment: [2, 2]),
        ]), version: 3)
        #expect(leaderSync.errorCode == .none && leaderSync.assignment == [1, 1])
        let followerAnswerSync = try #require(followerSync.wait()?.0)
        #expect(followerAnswerSync.errorCode == .none && followerAnswerSync.assignment == [2, 2])
        return (leader, follower, generation)
    }

    func heartbeat(_ harness: inout BrokerHarness, _ member: String, _ generation: Int32, instance: String? = nil) throws -> ErrorCode {
        try harness.send(HeartbeatRequest(groupId: "g", generationId: generation, memberId: member, groupInstanceId: instance), version: 4).errorCode
    }

    /// FindCoordinator v0–6 as Kafka's KafkaApis answers it: this broker for group and
    /// transactional keys (one entry per key from v4, KIP-699); the share key type (2) is
    /// INVALID_REQUEST per key (before v6 always; from v6 as by a broker without a share
    /// coordinator); an unknown key type fails every key with Kafka's default message.
    @Test func findCoordinatorAnswersSingleAndBatchedForms() throws {
        var harness = try BrokerHarness()
        let versions = try harness.send(ApiVersionsRequest(), version: 3).apiKeys.first { $0.apiKey == .findCoordinator }
        #expect(versions?.minVersion == 0)
        #expect(versions?.maxVersion == 6)
        for version: Int16 in 0...3 {
            let single = try harness.send(FindCoordinatorRequest(key: "g", keyType: 0), version: version)
            #expect(single.errorCode == .none)
            #expect(single.nodeId == 0)
            #expect(single.host == "broker.test")
            #expect(single.port == 19092)
        }
        let share = try harness.send(FindCoordinatorRequest(key: "g", keyType: 2), version: 3)
        #expect(share.errorCode == .invalidRequest)
        #expect(share.nodeId == -1)
        #expect(share.errorMessage?.hasPrefix("This most likely occurs") == true)
        for version: Int16 in 4...6 {
            let batched = try harness.send(FindCoordinatorRequest(keyType: 0, coordinatorKeys: ["g1", "g2", ""]), version: version)
            #expect(batched.coordinators.map(\.key) == ["g1", "g2", ""])
            #expect(batched.coordinators.allSatisfy { $0.errorCode == .none && $0.nodeId == 0 && $0.host == "broker.test" && $0.port == 19092 })
            let transactional = try harness.send(FindCoordinatorRequest(keyType: 1, coordinatorKeys: ["tx"]), version: version)
            #expect(transactional.coordinators.map(\.errorCode) == [.none])
            let shareKeys = try harness.send(FindCoordinatorRequest(keyType: 2, coordinatorKeys: ["g:AAAAAAAAAAAAAAAAAAAAAA:0", "h:AAAAAAAAAAAAAAAAAAAAAA:1"]), version: version)
            #expect(shareKeys.coordinators.map(\.errorCode) == [.invalidRequest, .invalidRequest])
            #expect(shareKeys.coordinators.allSatisfy { $0.nodeId == -1 && $0.host.isEmpty && $0.port == -1 && $0.errorMessage == nil })
            let unknown = try harness.send(FindCoordinatorRequest(keyType: 7, coordinatorKeys: ["a", "b"]), version: version)
            #expect(unknown.coordinators.map(\.errorCode) == [.invalidRequest, .invalidRequest])
            #expect(unknown.coordinators.allSatisfy { $0.errorMessage?.hasPrefix("This most likely occurs") == true })
            let none = try harness.send(FindCoordinatorRequest(keyType: 0, coordinatorKeys: []), version: version)
            #expect(none.coordinators.isEmpty)
        }
    }

    @Test func twoMembersFormAStableGroup() throws {
        var harness = try harness()
        let (leader, follower, generation) = try formGroup(&harness)
        #expect(try heartbeat(&harness, leader, generation) == .none)
        #expect(try heartbeat(&harness, follower, generation - 1) == .illegalGeneration)
        #expect(try heartbeat(&harness, "stranger", generation) == .unknownMemberId)
        let described = try harness.send(DescribeGroupsRequest(groups: ["g", "nope"]), version: 5)
        #expect(described.groups[0].groupState == "Stable")
        #expect(described.groups[0].protocolData == "range")
        #expect(Set(described.groups[0].members.map(\.memberAssignment)) == [[1, 1], [2, 2]])
        #expect(described.groups[1].groupState == "Dead")
        let listed = try harness.send(ListGroupsRequest(statesFilter: ["Stable"]), version: 4)
        #expect(listed.groups.map(\.groupId) == ["g"])
        #expect(try harness.send(DeleteGroupsRequest(groupsNames: ["g", "nope"]), version: 2).results.map(\.errorCode) == [.nonEmptyGroup, .groupIdNotFound])
    }

    @Test func aSilentMemberExpiresAndTheOthersRebalance() throws {
        var harness = try harness()
        let (leader, follower, generation) = try formGroup(&harness)
        clock.advance(millis: 6_000)
        #expect(try heartbeat(&harness, follower, generation) == .none)  // the follower stays alive
        clock.advance(millis: 6_000)
        harness.broker.tick()  // the leader has been silent for 12 s > 10 s
        #expect(try heartbeat(&harness, follower, generation) == .rebalanceInProgress)
        let rejoin = try harness.send(join(follower), version: 5)
        #expect(rejoin.errorCode == .none)
        #expect(rejoin.generationId == generation + 1)
        #expect(rejoin.leader == follower)
        #expect(rejoin.members.map(\.memberId) == [follower])
        #expect(try heartbeat(&harness, leader, generation) == .unknownMemberId)
    }

    @Test func leaveGroupTriggersARebalanceAndEmptiesTheGroup() throws {
        var harness = try harness()
        let (leader, follower, generation) = try formGroup(&harness)
        let left = try harness.send(LeaveGroupRequest(groupId: "g", memberId: follower), version: 1)
        #expect(left.errorCode == .none)
        #expect(try heartbeat(&harness, leader, generation) == .rebalanceInProgress)
        let v3 = try harness.send(LeaveGroupRequest(groupId: "g", members: [
            LeaveGroupRequest.MemberIdentity(memberId: leader), LeaveGroupRequest.MemberIdentity(memberId: "ghost"),
        ]), version: 3)
        #expect(v3.members.map(\.errorCode) == [.none, .unknownMemberId])
        let described = try harness.send(DescribeGroupsRequest(groups: ["g"]), version: 3)
        #expect(described.groups.first?.groupState == "Empty")
        #expect(try harness.send(DeleteGroupsRequest(groupsNames: ["g"]), version: 0).results.first?.errorCode == ErrorCode.none)
    }

    @Test func aReturningStaticMemberGetsItsAssignmentWithoutARebalance() throws {
        var harness = try harness()
        let first = try startJoin(harness, join(instance: "worker-1"))
        #expect(waitUntil { harness.broker.parkedJoins == 1 })
        clock.advance(millis: 1_000)
        harness.broker.tick()
        let joined = try #require(first.wait()?.0)
        #expect(joined.errorCode == .none, "static members never get MEMBER_ID_REQUIRED")
        let sync = try harness.send(SyncGroupRequest(groupId: "g", generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: "worker-1",
                                                     assignments: [SyncGroupRequest.Assignment(memberId: joined.memberId, assignment: [7])]), version: 3)
        #expect(sync.assignment == [7])
        // The process restarts: same instance id, no member id.
        let back = try harness.send(join(instance: "worker-1"), version: 5)
        #expect(back.errorCode == .none)
        #expect(back.generationId == joined.generationId, "no new generation")
        #expect(back.memberId != joined.memberId)
        let again = try harness.send(SyncGroupRequest(groupId: "g", generationId: back.generationId, memberId: back.memberId, groupInstanceId: "worker-1"), version: 3)
        #expect(again.assignment == [7], "the same partitions come back")
        #expect(try heartbeat(&harness, joined.memberId, joined.generationId, instance: "worker-1") == .fencedInstanceId)
        #expect(try heartbeat(&harness, back.memberId, back.generationId, instance: "worker-1") == .none)
    }

    /// librdkafka's admin test (0081-admin.c, DescribeConsumerGroups) on Kafka: static members
    /// with `session.timeout.ms` 5000 close without LeaveGroup; one second after their session
    /// timeout DeleteGroups succeeds. Static members expire like dynamic ones when their session
    /// times out (Kafka's `expireClassicGroupMemberHeartbeat`), then the group is Empty.
    @Test func staticMembersClosedWithoutLeavingExpireAfterTheirSession() throws {
        var harness = try harness()
        let instances = ["inst-0", "inst-1", "inst-2"]
        let joins = try instances.map { try startJoin(harness, join(instance: $0, session: 5_000)) }
        #expect(waitUntil { harness.broker.parkedJoins == 3 }, "the three joins parked")
        clock.advance(millis: 1_000)
        harness.broker.tick()
        let answers = try joins.map { try #require($0.wait()?.0) }
        #expect(answers.allSatisfy { $0.errorCode == .none })
        let generation = answers[0].generationId
        let leader = try #require(answers.first { $0.memberId == $0.leader })
        let leaderIndex = try #require(answers.firstIndex { $0.memberId == leader.memberId })
        let sync = try harness.send(SyncGroupRequest(groupId: "g", generationId: generation, memberId: leader.memberId, groupInstanceId: instances[leaderIndex],
                                                     assignments: answers.map { SyncGroupRequest.Assignment(memberId: $0.memberId, assignment: [1]) }), version: 3)
        #expect(sync.errorCode == .none)
        for (index, answer) in answers.enumerated() where index != leaderIndex {
            let followerSync = try harness.send(SyncGroupRequest(groupId: "g", generationId: generation, memberId: answer.memberId,
                                                                 groupInstanceId: instances[index]), version: 3)
            #expect(followerSync.errorCode == .none && followerSync.assignment == [1])
        }
        #expect(try harness.send(DescribeGroupsRequest(groups: ["g"]), version: 5).groups.first?.groupState == "Stable")
        // They close: no LeaveGroup, no more heartbeats.
        clock.advance(millis: 4_900)
        harness.broker.tick()
        #expect(try harness.send(DeleteGroupsRequest(groupsNames: ["g"]), version: 2).results.first?.errorCode == .nonEmptyGroup,
                "within their session they are still members")
        clock.advance(millis: 1_100)   // session timeout + 1 s
        harness.broker.tick()
        let described = try harness.send(DescribeGroupsRequest(groups: ["g"]), version: 5).groups.first
        #expect(described?.groupState == "Empty")
        #expect(described?.members.isEmpty == true)
        #expect(try harness.send(DeleteGroupsRequest(groupsNames: ["g"]), version: 2).results.first?.errorCode == ErrorCode.none)
    }

    @Test func badJoinsGetKafkasErrors() throws {
        var harness = try harness()
        var empty = join()
        empty.groupId = ""
        #expect(try harness.send(empty, version: 5).errorCode == .invalidGroupId)
        #expect(try harness.send(join(session: 10), version: 5).errorCode == .invalidSessionTimeout)
        #expect(try harness.send(join(session: Int32.max), version: 5).errorCode == .invalidSessionTimeout)
        #expect(try harness.send(join("made-up-id"), version: 5).errorCode == .unknownMemberId)
        #expect(try harness.send(join(protocols: []), version: 5).errorCode == .inconsistentGroupProtocol)
        _ = try formGroup(&harness)
        #expect(try harness.send(join(type: "connect"), version: 3).errorCode == .inconsistentGroupProtocol)
        #expect(try harness.send(join(protocols: ["roundrobin"]), version: 3).errorCode == .inconsistentGroupProtocol)
        #expect(try harness.send(SyncGroupRequest(groupId: "g", generationId: 99, memberId: "nobody"), version: 3).errorCode == .unknownMemberId)
    }

    @Test func commitsAreValidatedStoredAndSurviveAPowerCut() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try harness(fileSystem: fileSystem)
        let (leader, _, generation) = try formGroup(&harness)
        func commit(_ member: String, _ generation: Int32, topic: String = "t", offset: Int64 = 42) throws -> ErrorCode? {
            try harness.send(OffsetCommitRequest(groupId: "g", generationIdOrMemberEpoch: generation, memberId: member, topics: [
                OffsetCommitRequest.Topic(name: topic, partitions: [OffsetCommitRequest.Partition(partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: 3, committedMetadata: "meta")]),
            ]), version: 8).topics.first?.partitions.first?.errorCode
        }
        #expect(try commit("nobody", generation) == .unknownMemberId)
        #expect(try commit(leader, generation + 5) == .illegalGeneration)
        #expect(try commit(leader, generation, topic: "missing") == .unknownTopicOrPartition)
        #expect(try commit(leader, generation) == ErrorCode.none)
        // Standalone commit (no group membership) in another group.
        let standalone = try harness.send(OffsetCommitRequest(groupId: "solo", generationIdOrMemberEpoch: -1, memberId: "", topics: [
            OffsetCommitRequest.Topic(name: "t", partitions: [OffsetCommitRequest.Partition(partitionIndex: 0, committedOffset: 7)]),
        ]), version: 2)
        #expect(standalone.topics.first?.partitions.first?.errorCode == ErrorCode.none)

        var random = SplitMix64(seed: 11)
        fileSystem.crash(using: &random)
        var restarted = try BrokerHarness(configure: { $0.groups.initialRebalanceDelayMs = 0 }, time: clock, fileSystem: fileSystem)
        let fetched = try restarted.send(OffsetFetchRequest(groupId: "g", topics: [OffsetFetchRequest.Topic(name: "t", partitionIndexes: [0, 1])]), version: 7)
        let partitions = try #require(fetched.topics.first?.partitions)
        #expect(partitions[0].committedOffset == 42)
        #expect(partitions[0].committedLeaderEpoch == 3)
        #expect(partitions[0].metadata == "meta")
        #expect(partitions[1].committedOffset == -1, "nothing committed → -1")
        let all = try restarted.send(OffsetFetchRequest(groupId: "solo", topics: nil), version: 5)
        #expect(all.topics.map(\.name) == ["t"])
        #expect(all.topics.first?.partitions.first?.committedOffset == 7)
        let listed = try restarted.send(ListGroupsRequest(), version: 4)
        #expect(Set(listed.groups.map(\.groupId)) == ["g", "solo"])
        #expect(try restarted.send(DeleteGroupsRequest(groupsNames: ["solo"]), version: 2).results.first?.errorCode == ErrorCode.none)
        let gone = try restarted.send(OffsetFetchRequest(groupId: "solo", topics: nil), version: 5)
        #expect(gone.topics.isEmpty)
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Polls `condition` (blocking, with a 10 s deadline).
func waitUntil(_ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() && ContinuousClock.now < deadline { usleep(1000) }
    return condition()
}

@Suite struct OffsetCleanupTests {
    @Test func deletingATopicDeletesItsCommittedOffsets() throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("gone", config: TopicConfig(partitionCount: 1))
        let commit = OffsetCommitRequest(groupId: "solo", generationIdOrMemberEpoch: -1, memberId: "", topics: [
            OffsetCommitRequest.Topic(name: "gone", partitions: [OffsetCommitRequest.Partition(partitionIndex: 0, committedOffset: 5)]),
        ])
        #expect(try harness.send(commit, version: 8).topics.first?.partitions.first?.errorCode == ErrorCode.none)
        _ = try harness.send(DeleteTopicsRequest(topicNames: ["gone"]), version: 4)
        try harness.store.createTopic("gone", config: TopicConfig(partitionCount: 1))
        let fetched = try harness.send(OffsetFetchRequest(groupId: "solo", topics: [OffsetFetchRequest.Topic(name: "gone", partitionIndexes: [0])]), version: 7)
        #expect(fetched.topics.first?.partitions.first?.committedOffset == -1)
    }
}
