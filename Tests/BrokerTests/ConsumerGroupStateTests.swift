@testable import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import Dispatch
import Synchronization
import SystemIO
import Testing

/// Durable consumer-protocol groups (KIP-848): the `consumer-groups` record format, the
/// coordinator writing and recovering groups over an in-memory file system that can crash, and
/// a broker restarted over the same data directory.
@Suite struct ConsumerGroupStateTests {
    /// A coordinator over a `consumer-groups` log that can be restarted (cleanly or after a crash).
    struct Fixture {
        let fileSystem = MemoryFileSystem()
        var now: Int64 = 1_000_000
        var limits = ConsumerGroupCoordinator.Limits(sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000)
        var store: LogStore
        var log: PartitionLog
        var coordinator: ConsumerGroupCoordinator
        var skipped: [Int64] = []

        init() throws {
            (store, log, coordinator, skipped) = try Self.open(fileSystem, now: now, limits: limits)
        }

        static func open(_ fileSystem: MemoryFileSystem, now: Int64, limits: ConsumerGroupCoordinator.Limits) throws
            -> (LogStore, PartitionLog, ConsumerGroupCoordinator, [Int64]) {
            let store = try LogStore.open(dataDirectory: "/data", fileSystem: fileSystem, time: ManualTimeSource(), logger: .silent)
            let log = try store.openInternalLog(name: ConsumerGroupStateLog.name, config: ConsumerGroupStateLog.config(segmentBytes: 1 << 20))
            let coordinator = ConsumerGroupCoordinator(partitionCount: { $0 == "orders" ? 6 : ($0 == "audit" ? 2 : nil) },
                                                       topicNames: { ["orders", "audit"] }, stateLog: ConsumerGroupStateLog(log: log))
            var skipped: [Int64] = []
            try coordinator.recover(now: now, limits: { _ in limits }, skipped: { skipped.append($0) })
            return (store, log, coordinator, skipped)
        }

        /// A SIGKILL with power loss (unsynced bytes may be lost), then a new process.
        mutating func crashAndRestart(seed: UInt64 = 7) throws {
            var random = SplitMix64(seed: seed)
            fileSystem.crash(using: &random)
            fileSystem.restartProcess()
            (store, log, coordinator, skipped) = try Self.open(fileSystem, now: now, limits: limits)
        }

        mutating func restart() throws {
            try log.close()
            try store.close()
            fileSystem.restartProcess()
            (store, log, coordinator, skipped) = try Self.open(fileSystem, now: now, limits: limits)
        }

        func beat(_ member: String, epoch: Int32, owned: ConsumerAssignment? = nil, topics: [String]? = nil, regex: String? = nil,
                  instanceId: String? = nil, group: String = "g") -> ConsumerGroupCoordinator.HeartbeatResult {
            coordinator.heartbeat(.init(groupId: group, memberId: member, memberEpoch: epoch, instanceId: instanceId,
                                        rackId: epoch == 0 ? "rack-\(member)" : nil,
                                        rebalanceTimeoutMs: epoch == 0 ? 30_000 : -1,
                                        subscribedTopicNames: epoch == 0 ? (topics ?? ["orders"]) : topics,
                                        subscribedTopicRegex: regex, serverAssignor: epoch == 0 ? "range" : nil,
                                        ownedPartitions: epoch == 0 ? [:] : owned, clientId: "client-\(member)", clientHost: "/10.0.0.1"),
                                  limits: limits, now: now)
        }

        /// Members heartbeat with what they own until the group is stable; returns their epochs and assignments.
        func settle(_ members: [String], group: String = "g") -> [String: (Int32, ConsumerAssignment)] {
            var state: [String: (Int32, ConsumerAssignment)] = [:]
            for member in members {
                let result = beat(member, epoch: 0, group: group)
                state[member] = (result.memberEpoch, result.assignment ?? [:])
            }
            for _ in 0..<10 {
                for member in members {
                    let (epoch, owned) = state[member]!
                    let result = beat(member, epoch: epoch, owned: owned, group: group)
                    #expect(result.error == .none)
                    state[member] = (result.memberEpoch, result.assignment ?? owned)
                }
                if coordinator.describe(group)?.state == .stable { break }
            }
            return state
        }
    }

    /// A group with deadlines cleared (they are not stored).
    static func withoutDeadlines(_ group: ConsumerProtocolGroup?) -> ConsumerProtocolGroup? {
        guard var group else { return nil }
        for id in group.members.keys {
            group.members[id]?.sessionDeadline = 0
            group.members[id]?.rebalanceDeadline = nil
        }
        return group
    }

    static func sample() -> ConsumerProtocolGroup {
        var group = ConsumerProtocolGroup(groupId: "payments", assignorName: "range")
        group.groupEpoch = 7
        group.assignmentEpoch = 7
        group.partitionCounts = ["orders": 6, "audit": 2]
        group.targetAssignment = ["a": ["orders": [0, 1, 2], "audit": [0]], "b": ["orders": [3, 4, 5], "audit": [1]], "s": [:]]
        group.members["a"] = ConsumerGroupMember(memberId: "a", instanceId: nil, rackId: "r1", memberEpoch: 7, previousMemberEpoch: 6,
                                                 state: .unrevokedPartitions, assigned: ["orders": [0, 1]], pendingRevocation: ["orders": [3]],
                                                 subscribedTopicNames: ["orders"], subscribedTopicRegex: "au.*", regexTopics: ["audit"],
                                                 serverAssignor: "range", rebalanceTimeoutMs: 12_345, clientId: "c-a", clientHost: "/1.2.3.4")
        group.members["b"] = ConsumerGroupMember(memberId: "b", instanceId: "inst-b", memberEpoch: 6, previousMemberEpoch: 5,
                                                 state: .unreleasedPartitions, assigned: ["orders": [4, 5], "audit": [1]],
                                                 subscribedTopicNames: ["audit", "orders"], clientId: "c-b", clientHost: "/é")
        group.members["s"] = ConsumerGroupMember(memberId: "s", instanceId: "static", memberEpoch: -2, previousMemberEpoch: 3)
        return group
    }

    // MARK: - Record format

    @Test func recordFormatRoundTrips() throws {
        let group = Self.sample()
        let bytes = ConsumerGroupStateRecord.encodeValue(group)
        #expect(ConsumerGroupStateRecord.decodeValue(bytes, groupId: "payments") == group)
        #expect(ConsumerGroupStateRecord.decodeKey(ConsumerGroupStateRecord.encodeKey("payments")) == "payments")
        #expect(ConsumerGroupStateRecord.decodeKey(ConsumerGroupStateRecord.encodeKey("grüppe")) == "grüppe")
        // An empty group (kept after its last member left).
        var empty = ConsumerProtocolGroup(groupId: "e", assignorName: "uniform")
        empty.groupEpoch = 3
        empty.assignmentEpoch = 3
        #expect(ConsumerGroupStateRecord.decodeValue(ConsumerGroupStateRecord.encodeValue(empty), groupId: "e") == empty)
        // Deadlines are not stored, and equal groups encode to equal bytes.
        var later = group
        later.members["a"]?.sessionDeadline = 99
        later.members["a"]?.rebalanceDeadline = 100
        #expect(ConsumerGroupStateRecord.encodeValue(later) == bytes)
    }

    @Test func malformedRecordsDecodeToNil() throws {
        let bytes = ConsumerGroupStateRecord.encodeValue(Self.sample())
        // Every truncation, and a trailing byte.
        for length in 0..<bytes.count {
            #expect(ConsumerGroupStateRecord.decodeValue(Array(bytes.prefix(length)), groupId: "p") == nil, "prefix \(length)")
        }
        #expect(ConsumerGroupStateRecord.decodeValue(bytes + [0], groupId: "p") == nil)
        // Unknown version.
        var version = bytes
        version[0] = 1
        #expect(ConsumerGroupStateRecord.decodeValue(version, groupId: "p") == nil)
        // A count far beyond the bytes present is refused, not allocated.
        var huge = ByteWriter()
        huge.writeInt8(0)
        huge.writeInt32(1)
        huge.writeInt32(1)
        huge.writeInt32(0)
        huge.writeInt32(Int32.max)
        #expect(ConsumerGroupStateRecord.decodeValue(huge.bytes, groupId: "p") == nil)
        // Flipping any single byte never traps (it may or may not decode).
        for index in bytes.indices {
            var flipped = bytes
            flipped[index] ^= 0xFF
            _ = ConsumerGroupStateRecord.decodeValue(flipped, groupId: "p")
        }
        // An unknown member state.
        var member = ConsumerProtocolGroup(groupId: "p", assignorName: "uniform")
        member.members["m"] = ConsumerGroupMember(memberId: "m")
        var state = ConsumerGroupStateRecord.encodeValue(member)
        let stateIndex = try #require(state.indices.first { index in
            var probe = state
            probe[index] = 1
            return ConsumerGroupStateRecord.decodeValue(probe, groupId: "p")?.members["m"]?.state == .unrevokedPartitions
        } ?? state.indices.first { index in
            var probe = state
            probe[index] = 2
            return ConsumerGroupStateRecord.decodeValue(probe, groupId: "p")?.members["m"]?.state == .unreleasedPartitions
        })
        state[stateIndex] = 9
        #expect(ConsumerGroupStateRecord.decodeValue(state, groupId: "p") == nil)
        // Keys: wrong version, trailing bytes, empty id, nothing.
        #expect(ConsumerGroupStateRecord.decodeKey([1] + ConsumerGroupStateRecord.encodeKey("g").dropFirst()) == nil)
        #expect(ConsumerGroupStateRecord.decodeKey(ConsumerGroupStateRecord.encodeKey("g") + [0]) == nil)
        #expect(ConsumerGroupStateRecord.decodeKey(ConsumerGroupStateRecord.encodeKey("")) == nil)
        #expect(ConsumerGroupStateRecord.decodeKey([]) == nil)
    }

    // MARK: - Coordinator

    @Test func groupsAreRecoveredAfterACrashAndMembersCarryOnAtTheirEpochs() throws {
        var fixture = try Fixture()
        let members = fixture.settle(["a", "b", "c"])
        _ = fixture.settle(["x"], group: "other")
        let before = Self.withoutDeadlines(fixture.coordinator.describe("g"))
        let other = Self.withoutDeadlines(fixture.coordinator.describe("other"))
        #expect(before?.state == .stable)
        #expect(before?.members.count == 3)
        fixture.now += 5_000
        try fixture.crashAndRestart()
        #expect(fixture.skipped.isEmpty)
        #expect(fixture.coordinator.groupIds == ["g", "other"])
        let after = fixture.coordinator.describe("g")
        #expect(Self.withoutDeadlines(after) == before)
        #expect(Self.withoutDeadlines(fixture.coordinator.describe("other")) == other)
        // Sessions start again at recovery.
        #expect(after?.members.values.allSatisfy { $0.sessionDeadline == fixture.now + 10_000 } == true)
        #expect(fixture.coordinator.tick(now: fixture.now + 9_999).isEmpty)
        // Each member heartbeats at the epoch it had and keeps its partitions.
        for (member, (epoch, owned)) in members {
            let result = fixture.beat(member, epoch: epoch, owned: owned)
            #expect(result.error == .none, "\(member)")
            #expect(result.memberEpoch == epoch)
        }
        #expect(Self.withoutDeadlines(fixture.coordinator.describe("g")) == before)
        // A member that does not come back is removed when its re-armed session runs out.
        fixture.now += 9_000
        for member in ["a", "b"] { _ = fixture.beat(member, epoch: members[member]!.0, owned: members[member]!.1) }
        fixture.now += 2_000
        #expect(fixture.coordinator.tick(now: fixture.now).map(\.memberId) == ["c", "x"])
        try fixture.restart()
        #expect(fixture.coordinator.describe("g")?.members.keys.sorted() == ["a", "b"])
        #expect(fixture.coordinator.describe("other")?.members.isEmpty == true)
    }

    @Test func steadyHeartbeatsWriteNothing() throws {
        let fixture = try Fixture()
        let members = fixture.settle(["a", "b"])
        let end = fixture.log.offsets.logEndOffset
        for _ in 0..<5 {
            for (member, (epoch, owned)) in members { #expect(fixture.beat(member, epoch: epoch, owned: owned).error == .none) }
        }
        #expect(fixture.log.offsets.logEndOffset == end)
        // A change (a new subscription) writes one record.
        let (epoch, owned) = members["a"]!
        #expect(fixture.beat("a", epoch: epoch, owned: owned, topics: ["orders", "audit"]).error == .none)
        #expect(fixture.log.offsets.logEndOffset == end + 1)
    }

    @Test func staticLeaveRegexAndUnrevokedStateSurviveARestart() throws {
        var fixture = try Fixture()
        #expect(fixture.beat("s", epoch: 0, regex: "aud.*", instanceId: "i-s").error == .none)
        let a = fixture.beat("a", epoch: 0)
        #expect(a.error == .none)
        // s leaves for now (-2) and keeps its assignment for its successor.
        #expect(fixture.beat("s", epoch: -2, instanceId: "i-s").memberEpoch == -2)
        let before = Self.withoutDeadlines(fixture.coordinator.describe("g"))
        #expect(before?.members["s"]?.regexTopics == ["audit"])
        try fixture.crashAndRestart(seed: 11)
        #expect(Self.withoutDeadlines(fixture.coordinator.describe("g")) == before)
        // Its successor takes the instance id over.
        let successor = fixture.beat("s2", epoch: 0, regex: "aud.*", instanceId: "i-s")
        #expect(successor.error == .none)
        #expect(fixture.coordinator.describe("g")?.members["s"] == nil)
    }

    @Test func emptyGroupsStayUntilDeletedAndTheTombstoneLasts() throws {
        var fixture = try Fixture()
        _ = fixture.settle(["a"])
        #expect(fixture.beat("a", epoch: -1).error == .none)
        try fixture.crashAndRestart()
        let empty = try #require(fixture.coordinator.describe("g"))
        #expect(empty.members.isEmpty)
        #expect(empty.groupEpoch == 2)
        fixture.fileSystem.failNextWrite(afterBytes: 0)
        #expect(fixture.coordinator.delete("g", now: fixture.now) == .notCoordinator)
        #expect(fixture.coordinator.describe("g") == empty)
        #expect(fixture.coordinator.delete("g", now: fixture.now) == .none)
        try fixture.crashAndRestart()
        #expect(fixture.coordinator.describe("g") == nil)
        // A group of the same name starts afresh.
        #expect(fixture.beat("b", epoch: 0).memberEpoch == 1)
    }

    @Test func aFailedWriteChangesNothingAndAnswersNotCoordinator() throws {
        var fixture = try Fixture()
        let members = fixture.settle(["a"])
        let before = Self.withoutDeadlines(fixture.coordinator.describe("g"))
        let end = fixture.log.offsets.logEndOffset
        fixture.fileSystem.failNextWrite(afterBytes: 0)
        // A steady heartbeat writes nothing, so it is answered (the failure stays armed).
        let (epoch, owned) = members["a"]!
        #expect(fixture.beat("a", epoch: epoch, owned: owned).error == .none)
        let joined = fixture.beat("b", epoch: 0)
        #expect(joined.error == .notCoordinator)
        #expect(joined.error.isRetriable)
        fixture.fileSystem.failNextWrite(afterBytes: 3)
        #expect(fixture.beat("a", epoch: -1).error == .notCoordinator)
        fixture.fileSystem.failNextWrite(afterBytes: 0)
        #expect(fixture.coordinator.tick(now: fixture.now + 60_000).isEmpty)
        fixture.fileSystem.failNextWrite(afterBytes: 0)
        #expect(fixture.beat("a", epoch: -1).error == .notCoordinator)
        #expect(fixture.coordinator.delete("g", now: fixture.now) == .nonEmptyGroup)
        #expect(Self.withoutDeadlines(fixture.coordinator.describe("g")) == before)
        #expect(fixture.log.offsets.logEndOffset == end)
        // The log still takes the next change, and a restart sees exactly what was answered.
        #expect(fixture.beat("b", epoch: 0).error == .none)
        let answered = Self.withoutDeadlines(fixture.coordinator.describe("g"))
        try fixture.crashAndRestart()
        #expect(Self.withoutDeadlines(fixture.coordinator.describe("g")) == answered)
    }

    @Test func aFailedSyncIsNeverAnsweredAsSuccess() throws {
        var fixture = try Fixture()
        let members = fixture.settle(["a"])
        let answered = Self.withoutDeadlines(fixture.coordinator.describe("g"))
        // The join is appended under the lock, then its fsync (outside the lock) fails.
        fixture.fileSystem.failNextSync()
        let joined = fixture.beat("b", epoch: 0)
        #expect(joined.error == .notCoordinator)
        #expect(joined.error.isRetriable)
        // Nothing about b was ever answered: a crash forgets it, and a's state is what a saw.
        try fixture.crashAndRestart()
        #expect(Self.withoutDeadlines(fixture.coordinator.describe("g")) == answered)
        let (epoch, owned) = members["a"]!
        #expect(fixture.beat("a", epoch: epoch, owned: owned).error == .none)
    }

    @Test func changesOfManyThreadsAreDurableBeforeTheyAreAnswered() throws {
        // Joins of many groups at once (the fsyncs happen outside the coordinator's lock):
        // every join that was answered is there after a crash.
        var fixture = try Fixture()
        let coordinator = fixture.coordinator
        let limits = fixture.limits
        let now = fixture.now
        let answered = Mutex<[String: Int32]>([:])
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            let result = coordinator.heartbeat(.init(groupId: "g\(index)", memberId: "m\(index)", memberEpoch: 0, rebalanceTimeoutMs: 30_000,
                                                     subscribedTopicNames: ["orders"], ownedPartitions: [:]),
                                               limits: limits, now: now)
            if result.error == .none { answered.withLock { $0["g\(index)"] = result.memberEpoch } }
        }
        #expect(answered.withLock { $0.count } == 16)
        try fixture.crashAndRestart()
        for (group, epoch) in answered.withLock({ $0 }) {
            #expect(fixture.coordinator.describe(group)?.groupEpoch == epoch, "\(group)")
        }
    }

    @Test func unreadableRecordsAreSkippedAndReported() throws {
        var fixture = try Fixture()
        _ = fixture.settle(["a"])
        let before = Self.withoutDeadlines(fixture.coordinator.describe("g"))
        try ConsumerGroupStateLog(log: fixture.log).append([
            RecordInput(key: [9, 9], value: [0], timestamp: 0),  // unknown key version
            RecordInput(key: ConsumerGroupStateRecord.encodeKey("g"), value: [0, 1], timestamp: 0),  // truncated value
            RecordInput(key: nil, value: [0], timestamp: 0),  // no key
        ])
        try fixture.restart()
        #expect(fixture.skipped.count == 3)
        #expect(Self.withoutDeadlines(fixture.coordinator.describe("g")) == before)
    }

    // MARK: - Broker

    @Test func aBrokerRestartedAfterASigkillKnowsItsConsumerGroups() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try BrokerHarness(fileSystem: fileSystem)
        try harness.createTopic("orders", partitions: 2)
        let topicId = try #require(harness.store.topic("orders")?.id)
        let joined = try harness.send(ConsumerGroupHeartbeatTests.join("m1"), version: 1)
        #expect(joined.errorCode == .none)
        let owned = joined.assignment?.topicPartitions ?? []
        #expect(owned.flatMap(\.partitions).sorted() == [0, 1])
        var random = SplitMix64(seed: 3)
        fileSystem.crash(using: &random)
        fileSystem.restartProcess()
        var restarted = try BrokerHarness(fileSystem: fileSystem)
        #expect(restarted.store.topic("orders")?.id == topicId)
        let beat = try restarted.send(ConsumerGroupHeartbeatRequest(groupId: "cg", memberId: "m1", memberEpoch: joined.memberEpoch,
                                                                   topicPartitions: owned.map { .init(topicId: $0.topicId, partitions: $0.partitions) }), version: 1)
        #expect(beat.errorCode == .none)
        #expect(beat.memberEpoch == joined.memberEpoch)
        let described = try restarted.send(ConsumerGroupDescribeRequest(groupIds: ["cg"]), version: 1).groups
        #expect(described.first?.errorCode == ErrorCode.none)
        #expect(described.first?.members.map(\.memberId) == ["m1"])
        #expect(described.first?.groupEpoch == 1)
    }
}
