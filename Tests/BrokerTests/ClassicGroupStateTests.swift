@testable import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import SystemIO
import Testing

/// Durable classic groups: the `classic-groups` record format, and a broker closed (or
/// crashed) and reopened over the same data directory whose members carry on in their
/// generation. Drives the broker through request frames with `GroupTests`' helpers and its
/// manual clock; static members at the end of a join phase too.
@Suite struct ClassicGroupStateTests {
    let groups = GroupTests()
    var clock: ManualTimeSource { groups.clock }

    /// Closes the broker cleanly and opens a new one over the same files, as a new process.
    func restart(_ harness: BrokerHarness) throws -> BrokerHarness {
        try harness.broker.close()
        try harness.store.close()
        harness.fileSystem.restartProcess()
        return try groups.harness(fileSystem: harness.fileSystem)
    }

    /// A power cut (unsynced bytes may be lost) and a new process over the same files.
    func crashAndRestart(_ harness: BrokerHarness, seed: UInt64 = 5) throws -> BrokerHarness {
        var random = SplitMix64(seed: seed)
        harness.fileSystem.crash(using: &random)
        harness.fileSystem.restartProcess()
        return try groups.harness(fileSystem: harness.fileSystem)
    }

    func commit(_ harness: inout BrokerHarness, _ member: String, _ generation: Int32, offset: Int64) throws -> ErrorCode? {
        try harness.send(OffsetCommitRequest(groupId: "g", generationIdOrMemberEpoch: generation, memberId: member, topics: [
            OffsetCommitRequest.Topic(name: "t", partitions: [OffsetCommitRequest.Partition(partitionIndex: 0, committedOffset: offset)]),
        ]), version: 8).topics.first?.partitions.first?.errorCode
    }

    func describe(_ harness: inout BrokerHarness) throws -> DescribeGroupsResponse.DescribedGroup? {
        try harness.send(DescribeGroupsRequest(groups: ["g"]), version: 5).groups.first
    }

    static func sample() -> ConsumerGroup {
        var group = ConsumerGroup(groupId: "payments")
        group.generationId = 7
        group.protocolType = "consumer"
        group.protocolName = "range"
        group.add(GroupMember(memberId: "b-1", groupInstanceId: nil, clientId: "c-b", clientHost: "/10.0.0.2", sessionTimeoutMs: 10_000,
                              rebalanceTimeoutMs: 30_000, protocols: [("range", [1, 2]), ("roundrobin", [])], lastHeardMillis: 55))
        group.add(GroupMember(memberId: "a-1", groupInstanceId: "worker-é", clientId: "", clientHost: "/::1", sessionTimeoutMs: 6_000,
                              rebalanceTimeoutMs: 9_000, protocols: [("range", [3])], lastHeardMillis: 66))
        group.members["b-1"]?.assignment = [0, 1, 2]
        group.leaderId = "a-1"
        group.state = .stable
        return group
    }

    // MARK: - Record format

    @Test func recordFormatRoundTrips() throws {
        let group = Self.sample()
        let bytes = ClassicGroupStateRecord.encodeValue(group)
        let decoded = try #require(ClassicGroupStateRecord.decodeValue(bytes, groupId: "payments"))
        #expect(decoded.state == .stable)
        #expect(decoded.generationId == 7 && decoded.protocolType == "consumer" && decoded.protocolName == "range" && decoded.leaderId == "a-1")
        #expect(decoded.joinOrder == ["b-1", "a-1"], "join order is kept")
        #expect(decoded.staticMembers == ["worker-é": "a-1"])
        #expect(decoded.members["b-1"]?.assignment == [0, 1, 2])
        #expect(decoded.members["b-1"]?.protocols.map(\.name) == ["range", "roundrobin"])
        #expect(decoded.members["a-1"]?.sessionTimeoutMs == 6_000 && decoded.members["a-1"]?.rebalanceTimeoutMs == 9_000)
        #expect(decoded.members["a-1"]?.clientHost == "/::1")
        #expect(decoded.members.values.allSatisfy { $0.lastHeardMillis == 0 }, "sessions are not stored")
        #expect(ClassicGroupStateRecord.encodeValue(decoded) == bytes)
        #expect(ClassicGroupStateRecord.decodeKey(ClassicGroupStateRecord.encodeKey("payments")) == "payments")
        // An Empty group keeps its generation and protocol type.
        var empty = ConsumerGroup(groupId: "e")
        empty.generationId = 4
        empty.protocolType = "consumer"
        let emptyDecoded = try #require(ClassicGroupStateRecord.decodeValue(ClassicGroupStateRecord.encodeValue(empty), groupId: "e"))
        #expect(emptyDecoded.state == .empty && emptyDecoded.generationId == 4 && emptyDecoded.protocolType == "consumer")
        #expect(emptyDecoded.subscribedTopics == [])
    }

    @Test func malformedRecordsDecodeToNil() {
        let bytes = ClassicGroupStateRecord.encodeValue(Self.sample())
        #expect(ClassicGroupStateRecord.decodeValue(Array(bytes.dropLast()), groupId: "g") == nil, "truncated")
        #expect(ClassicGroupStateRecord.decodeValue(bytes + [0], groupId: "g") == nil, "trailing bytes")
        #expect(ClassicGroupStateRecord.decodeValue([1] + bytes.dropFirst(), groupId: "g") == nil, "unknown version")
        var noLeader = Self.sample()
        noLeader.leaderId = "gone"
        #expect(ClassicGroupStateRecord.decodeValue(ClassicGroupStateRecord.encodeValue(noLeader), groupId: "g") == nil)
        var noProtocol = Self.sample()
        noProtocol.protocolName = "roundrobin"  // a-1 does not offer it
        #expect(ClassicGroupStateRecord.decodeValue(ClassicGroupStateRecord.encodeValue(noProtocol), groupId: "g") == nil)
        var huge = bytes
        let countAt = 1 + 4 + (4 + 8) + (4 + 5) + (4 + 3)  // version, generation, type, name, leader
        huge.replaceSubrange(countAt..<countAt + 4, with: [0x7F, 0xFF, 0xFF, 0xFF])
        #expect(ClassicGroupStateRecord.decodeValue(huge, groupId: "g") == nil, "a count beyond the bytes is never allocated")
        #expect(ClassicGroupStateRecord.decodeKey([0, 0, 0, 0, 0]) == nil, "empty id")
        #expect(ClassicGroupStateRecord.decodeKey([9]) == nil)
    }

    // MARK: - Broker restarts

    @Test func membersCarryOnInTheirGenerationAfterARestart() throws {
        var harness = try groups.harness()
        let (leader, follower, generation) = try groups.formGroup(&harness)
        #expect(try commit(&harness, leader, generation, offset: 5) == ErrorCode.none)
        clock.advance(millis: 9_000)  // close to the 10 s session: the restart re-arms it
        var restarted = try restart(harness)
        #expect(try groups.heartbeat(&restarted, leader, generation) == .none, "no rebalance")
        #expect(try groups.heartbeat(&restarted, follower, generation) == .none)
        let leaderSync = try restarted.send(SyncGroupRequest(groupId: "g", generationId: generation, memberId: leader), version: 3)
        #expect(leaderSync.errorCode == .none && leaderSync.assignment == [1, 1])
        let followerSync = try restarted.send(SyncGroupRequest(groupId: "g", generationId: generation, memberId: follower), version: 3)
        #expect(followerSync.errorCode == .none && followerSync.assignment == [2, 2])
        #expect(try commit(&restarted, follower, generation, offset: 9) == ErrorCode.none)
        #expect(try commit(&restarted, follower, generation - 1, offset: 9) == .illegalGeneration)
        let described = try #require(try describe(&restarted))
        #expect(described.groupState == "Stable" && described.protocolData == "range")
        #expect(Set(described.members.map(\.memberId)) == [leader, follower])
        #expect(Set(described.members.map(\.memberAssignment)) == [[1, 1], [2, 2]])
        // A member that rejoins with unchanged protocols gets the same generation.
        let rejoin = try restarted.send(groups.join(follower), version: 5)
        #expect(rejoin.errorCode == .none && rejoin.generationId == generation)
    }

    @Test func theGenerationSurvivesAPowerCutAndSilentMembersExpireFromLoadTime() throws {
        var harness = try groups.harness()
        let (leader, follower, generation) = try groups.formGroup(&harness)
        var restarted = try crashAndRestart(harness)
        clock.advance(millis: 6_000)
        restarted.broker.tick()
        #expect(try groups.heartbeat(&restarted, follower, generation) == .none, "sessions restarted at load")
        clock.advance(millis: 5_000)
        restarted.broker.tick()  // the leader has been silent for 11 s since the load
        #expect(try groups.heartbeat(&restarted, follower, generation) == .rebalanceInProgress)
        let rejoin = try restarted.send(groups.join(follower), version: 5)
        #expect(rejoin.errorCode == .none && rejoin.generationId == generation + 1 && rejoin.leader == follower)
        #expect(try groups.heartbeat(&restarted, leader, generation) == .unknownMemberId)
    }

    @Test func anEmptyGroupKeepsItsGenerationAndDeleteGroupsForgetsIt() throws {
        var harness = try groups.harness()
        let (leader, follower, generation) = try groups.formGroup(&harness)
        let left = try harness.send(LeaveGroupRequest(groupId: "g", members: [.init(memberId: leader), .init(memberId: follower)]), version: 3)
        #expect(left.members.map(\.errorCode) == [.none, .none])
        var restarted = try restart(harness)
        #expect(try describe(&restarted)?.groupState == "Empty")
        // A new member starts the generation after the stored Empty one (generation + 1).
        let id = try groups.memberId(&restarted)
        let join = try groups.startJoin(restarted, groups.join(id))
        #expect(waitUntil { restarted.broker.parkedJoins == 1 })
        clock.advance(millis: 1_000)
        restarted.broker.tick()
        #expect(try #require(join.wait()?.0).generationId == generation + 2)
        #expect(try restarted.send(LeaveGroupRequest(groupId: "g", memberId: id), version: 1).errorCode == .none)
        var again = try restart(restarted)
        #expect(try describe(&again)?.groupState == "Empty")
        #expect(try again.send(DeleteGroupsRequest(groupsNames: ["g"]), version: 2).results.first?.errorCode == ErrorCode.none)
        var last = try restart(again)
        #expect(try describe(&last)?.groupState == "Dead", "the tombstone outlives the restart")
        #expect(try last.send(ListGroupsRequest(), version: 4).groups.isEmpty)
    }

    /// A static member that comes back with a new member id (its process restarted) after a
    /// broker restart keeps its assignment without a rebalance, and its new id is what the next
    /// restart remembers (Kafka stores the group when it replaces a static member).
    @Test func aReplacedStaticMemberIsStored() throws {
        var harness = try groups.harness()
        let first = try groups.startJoin(harness, groups.join(instance: "worker-1"))
        #expect(waitUntil { harness.broker.parkedJoins == 1 })
        clock.advance(millis: 1_000)
        harness.broker.tick()
        let joined = try #require(first.wait()?.0)
        _ = try harness.send(SyncGroupRequest(groupId: "g", generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: "worker-1",
                                              assignments: [.init(memberId: joined.memberId, assignment: [7])]), version: 3)
        var restarted = try restart(harness)
        let back = try restarted.send(groups.join(instance: "worker-1"), version: 5)
        #expect(back.errorCode == .none && back.generationId == joined.generationId && back.memberId != joined.memberId)
        var again = try crashAndRestart(restarted)
        #expect(try groups.heartbeat(&again, back.memberId, back.generationId, instance: "worker-1") == .none)
        #expect(try groups.heartbeat(&again, joined.memberId, joined.generationId, instance: "worker-1") == .fencedInstanceId)
        let sync = try again.send(SyncGroupRequest(groupId: "g", generationId: back.generationId, memberId: back.memberId, groupInstanceId: "worker-1"), version: 3)
        #expect(sync.errorCode == .none && sync.assignment == [7])
    }

    @Test func unreadableRecordsAreSkipped() throws {
        var harness = try groups.harness()
        let (leader, _, generation) = try groups.formGroup(&harness)
        try harness.broker.close()
        let log = try harness.store.openInternalLog(name: ClassicGroupStateLog.name, config: ClassicGroupStateLog.config(segmentBytes: 1 << 20))
        try ClassicGroupStateLog(log: log).append([
            RecordInput(key: ClassicGroupStateRecord.encodeKey("g"), value: [0, 1], timestamp: 0),  // truncated value
            RecordInput(key: [7, 7], value: [0], timestamp: 0),  // unknown key version
            RecordInput(key: nil, value: [0], timestamp: 0),  // no key
        ])
        try log.close()
        try harness.store.close()
        harness.fileSystem.restartProcess()
        var restarted = try groups.harness(fileSystem: harness.fileSystem)
        #expect(try groups.heartbeat(&restarted, leader, generation) == .none, "the group's earlier state stays")
    }

    @Test func aConsumerProtocolGroupKeepsItsIdOverAStoredEmptyClassicGroup() throws {
        var harness = try groups.harness()
        let (leader, follower, _) = try groups.formGroup(&harness)
        _ = try harness.send(LeaveGroupRequest(groupId: "g", members: [.init(memberId: leader), .init(memberId: follower)]), version: 3)
        let joined = try harness.send(ConsumerGroupHeartbeatTests.join("m1", group: "g", topics: ["t"]), version: 1)
        #expect(joined.errorCode == .none)
        let restarted = try restart(harness)
        #expect(restarted.broker.coordinator.summary(of: "g") == nil, "not loaded as classic too")
        #expect(restarted.broker.consumerGroups.hasMembers("g"))
    }

    // MARK: - Static members at the end of a join phase

    /// Kafka's `completeClassicGroupJoin`: dynamic members that did not rejoin are removed,
    /// static ones stay in the new generation (the leader sees their metadata) and every
    /// member's session restarts; a silent static member then expires by its session. (The
    /// session, 3 s, is shorter than the rebalance timeout, 5 s, so Kafka's pending-sync timer
    /// would not remove it first.)
    @Test func staticMembersThatDidNotRejoinStayUntilTheirSessionExpires() throws {
        var harness = try groups.harness()
        let session: Int32 = 3_000
        let dynamic = try groups.memberId(&harness)
        let calls = try ["s-0", "s-1"].map { try groups.startJoin(harness, groups.join(instance: $0, session: session)) }
            + [groups.startJoin(harness, groups.join(dynamic, session: session))]
        #expect(waitUntil { harness.broker.parkedJoins == 3 })
        clock.advance(millis: 1_000)
        harness.broker.tick()
        let answers = try calls.map { try #require($0.wait()?.0) }
        let generation = answers[0].generationId
        let ids = answers.map(\.memberId)
        let leader = answers[0].leader
        // Everyone syncs: the generation is Stable.
        let syncs = try ids.filter { $0 != leader }.map { id in try BackgroundCall { [harness] in var c = harness
            return try? c.send(SyncGroupRequest(groupId: "g", generationId: generation, memberId: id), version: 3) } }
        _ = try harness.send(SyncGroupRequest(groupId: "g", generationId: generation, memberId: leader,
                                              assignments: ids.map { .init(memberId: $0, assignment: [1]) }), version: 3)
        #expect(syncs.allSatisfy { $0.wait()?.0?.errorCode == ErrorCode.none })
        // A newcomer triggers a rebalance; only s-0 rejoins. s-1 and the dynamic member keep
        // heartbeating (so their sessions do not end) but never rejoin.
        let newcomer = try groups.memberId(&harness)
        let newcomerJoin = try groups.startJoin(harness, groups.join(newcomer, session: session))
        // s-0 rejoins once the rebalance began (before, a Stable group answers a follower's
        // unchanged rejoin at once with the current generation).
        #expect(waitUntil { harness.broker.parkedJoins == 1 })
        let s0Join = try groups.startJoin(harness, groups.join(ids[0], instance: "s-0", session: session))
        #expect(waitUntil { harness.broker.parkedJoins == 2 })
        for _ in 0..<2 {
            clock.advance(millis: 2_500)
            #expect(try groups.heartbeat(&harness, ids[1], generation, instance: "s-1") == .rebalanceInProgress)
            #expect(try groups.heartbeat(&harness, dynamic, generation) == .rebalanceInProgress)
            harness.broker.tick()  // the second time: the rebalance timeout (5 s) ends the join phase
        }
        let s0 = try #require(s0Join.wait()?.0)
        let newcomerAnswer = try #require(newcomerJoin.wait()?.0)
        #expect(s0.errorCode == .none && newcomerAnswer.errorCode == .none)
        #expect(s0.generationId == generation + 1)
        let leaderAnswer = s0.leader == ids[0] ? s0 : newcomerAnswer
        #expect([ids[0], newcomer].contains(leaderAnswer.leader), "the leader is a member that rejoined")
        #expect(Set(leaderAnswer.members.map(\.memberId)) == [ids[0], ids[1], newcomer], "the silent static member stays; the dynamic one is gone")
        #expect(leaderAnswer.members.first { $0.memberId == ids[1] }?.metadata == Array("range-meta".utf8))
        #expect(leaderAnswer.members.first { $0.memberId == ids[1] }?.groupInstanceId == "s-1")
        let follower = [ids[0], newcomer].first { $0 != leaderAnswer.leader } ?? ""
        let stable = try harness.send(SyncGroupRequest(groupId: "g", generationId: s0.generationId, memberId: leaderAnswer.leader,
                                                       assignments: (ids + [newcomer]).map { .init(memberId: $0, assignment: [2]) }), version: 3)
        #expect(stable.errorCode == .none && stable.assignment == [2])
        #expect(try harness.send(SyncGroupRequest(groupId: "g", generationId: s0.generationId, memberId: follower), version: 3).assignment == [2])
        #expect(try groups.heartbeat(&harness, dynamic, generation) == .unknownMemberId)
        #expect(try groups.heartbeat(&harness, ids[1], generation, instance: "s-1") == .illegalGeneration, "still a member, of an older generation")
        // s-1 stays silent: its session (restarted when the join phase ended) expires it.
        clock.advance(millis: 2_900)
        #expect(try groups.heartbeat(&harness, ids[0], s0.generationId, instance: "s-0") == .none)
        #expect(try groups.heartbeat(&harness, newcomer, s0.generationId) == .none)
        harness.broker.tick()
        #expect(try describe(&harness)?.members.count == 3)
        clock.advance(millis: 200)
        harness.broker.tick()
        #expect(try groups.heartbeat(&harness, ids[1], s0.generationId, instance: "s-1") == .unknownMemberId)
        #expect(try groups.heartbeat(&harness, ids[0], s0.generationId, instance: "s-0") == .rebalanceInProgress)
    }
}
