import Broker
import KafkaProtocol
import LogStorage
import SystemIO
import Testing

/// OffsetDelete against Kafka's behaviour (research B.3): durable deletion that survives a
/// restart, group-level errors that replace the answer, and partitions of subscribed topics
/// refused while the group consumes them.
@Suite struct OffsetDeleteTests {
    typealias Partition = OffsetDeleteResponse.OffsetDeleteResponsePartition
    typealias Topic = OffsetDeleteResponse.OffsetDeleteResponseTopic

    /// A broker whose groups form at once (no initial rebalance delay), with topics t (2
    /// partitions) and u (1).
    func harness(fileSystem: MemoryFileSystem = MemoryFileSystem()) throws -> BrokerHarness {
        let harness = try BrokerHarness(configure: { $0.groups.initialRebalanceDelayMs = 0 }, fileSystem: fileSystem)
        if harness.store.topic("t") == nil {
            try harness.store.createTopic("t", config: TopicConfig(partitionCount: 2))
            try harness.store.createTopic("u", config: TopicConfig(partitionCount: 1))
        }
        return harness
    }

    /// A consumer-protocol Subscription to `topics` (classic encoding, as Java clients send it);
    /// `trailing` stands for the fields later versions append.
    static func subscription(_ topics: [String], version: Int16 = 0, trailing: [UInt8] = []) -> [UInt8] {
        var writer = ProtocolWriter(flexible: false)
        writer.writeInt16(version)
        writer.writeArray(topics) { w, topic in w.writeString(topic) }
        writer.writeNullableBytes(nil)
        return writer.encoded + trailing
    }

    /// One member joins `group` (KIP-394 two steps) and syncs; returns its id and generation.
    func formGroup(_ harness: inout BrokerHarness, _ group: String, type: String = "consumer", metadata: [UInt8]) throws -> (member: String, generation: Int32) {
        var join = JoinGroupRequest(groupId: group, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 5_000, memberId: "", protocolType: type,
                                    protocols: [JoinGroupRequest.ProtocolEntry(name: "range", metadata: metadata)])
        let first = try harness.send(join, version: 5)
        #expect(first.errorCode == .memberIdRequired)
        join.memberId = first.memberId
        let joined = try harness.send(join, version: 5)
        #expect(joined.errorCode == .none)
        let synced = try harness.send(SyncGroupRequest(groupId: group, generationId: joined.generationId, memberId: joined.memberId,
                                                       assignments: [SyncGroupRequest.Assignment(memberId: joined.memberId, assignment: [])]), version: 3)
        #expect(synced.errorCode == .none)
        return (joined.memberId, joined.generationId)
    }

    func commit(_ harness: inout BrokerHarness, _ group: String, _ partitions: [(String, Int32)], member: String = "", generation: Int32 = -1) throws {
        let topics = Dictionary(grouping: partitions, by: \.0).map { name, entries in
            OffsetCommitRequest.Topic(name: name, partitions: entries.map { OffsetCommitRequest.Partition(partitionIndex: $0.1, committedOffset: 10 + Int64($0.1)) })
        }
        let response = try harness.send(OffsetCommitRequest(groupId: group, generationIdOrMemberEpoch: generation, memberId: member, topics: topics), version: 8)
        #expect(response.topics.flatMap(\.partitions).allSatisfy { $0.errorCode == .none })
    }

    /// Committed offsets of `group` as "topic-partition" → offset.
    func committed(_ harness: inout BrokerHarness, _ group: String) throws -> [String: Int64] {
        let response = try harness.send(OffsetFetchRequest(groupId: group, topics: nil), version: 7)
        var all: [String: Int64] = [:]
        for topic in response.topics { for partition in topic.partitions { all["\(topic.name)-\(partition.partitionIndex)"] = partition.committedOffset } }
        return all
    }

    func deleteOffsets(_ harness: inout BrokerHarness, _ group: String, _ topics: [(String, [Int32])]) throws -> OffsetDeleteResponse {
        try harness.send(OffsetDeleteRequest(groupId: group, topics: topics.map { name, partitions in
            OffsetDeleteRequest.OffsetDeleteRequestTopic(name: name, partitions: partitions.map { OffsetDeleteRequest.OffsetDeleteRequestPartition(partitionIndex: $0) })
        }), version: 0)
    }

    @Test func deletedOffsetsStayDeletedAfterARestartAndACrash() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try harness(fileSystem: fileSystem)
        try commit(&harness, "solo", [("t", 0), ("t", 1), ("u", 0)])
        let response = try deleteOffsets(&harness, "solo", [("t", [0, 7]), ("missing", [0]), ("u", [0])])
        #expect(response.errorCode == .none)
        // Kafka's merge order: topics with unknown partitions first, then the coordinator's.
        #expect(response.topics == [
            Topic(name: "t", partitions: [Partition(partitionIndex: 7, errorCode: .unknownTopicOrPartition), Partition(partitionIndex: 0, errorCode: .none)]),
            Topic(name: "missing", partitions: [Partition(partitionIndex: 0, errorCode: .unknownTopicOrPartition)]),
            Topic(name: "u", partitions: [Partition(partitionIndex: 0, errorCode: .none)]),
        ])
        #expect(try committed(&harness, "solo") == ["t-1": 11])
        // Deleting what is not committed is not an error and writes nothing.
        #expect(try deleteOffsets(&harness, "solo", [("u", [0])]).topics == [Topic(name: "u", partitions: [Partition(partitionIndex: 0, errorCode: .none)])])

        try harness.broker.close()
        try harness.store.close()
        var restarted = try self.harness(fileSystem: fileSystem)
        #expect(try committed(&restarted, "solo") == ["t-1": 11], "a clean restart replays the tombstones")

        var random = SplitMix64(seed: 5)
        fileSystem.crash(using: &random)
        var crashed = try self.harness(fileSystem: fileSystem)
        #expect(try committed(&crashed, "solo") == ["t-1": 11], "tombstones were durable before the answer")
    }

    @Test func groupLevelErrorsReplaceTheAnswerAndDeleteNothing() throws {
        var harness = try harness()
        try commit(&harness, "solo", [("t", 0)])
        let empty = try deleteOffsets(&harness, "", [("t", [0]), ("missing", [0])])
        #expect(empty == OffsetDeleteResponse(errorCode: .invalidGroupId, throttleTimeMs: 0, topics: []))
        let unknown = try deleteOffsets(&harness, "nobody", [("t", [0]), ("missing", [0])])
        #expect(unknown == OffsetDeleteResponse(errorCode: .groupIdNotFound, throttleTimeMs: 0, topics: []))
        #expect(try committed(&harness, "solo") == ["t-0": 10])
    }

    @Test func aNonEmptyGroupOfAnotherProtocolTypeIsRefused() throws {
        var harness = try harness()
        let (member, generation) = try formGroup(&harness, "workers", type: "connect", metadata: [1, 2, 3])
        try commit(&harness, "workers", [("t", 0)], member: member, generation: generation)
        let response = try deleteOffsets(&harness, "workers", [("t", [0])])
        #expect(response == OffsetDeleteResponse(errorCode: .nonEmptyGroup, throttleTimeMs: 0, topics: []))
        #expect(try committed(&harness, "workers") == ["t-0": 10])
    }

    @Test func partitionsOfSubscribedTopicsAreRefusedUntilTheGroupIsEmpty() throws {
        var harness = try harness()
        // A v3 subscription: the broker reads only the v0 prefix and skips the rest.
        let (member, generation) = try formGroup(&harness, "g", metadata: Self.subscription(["t"], version: 3, trailing: [0, 0, 0, 0, 0, 0, 0, 1, 255, 255]))
        try commit(&harness, "g", [("t", 0), ("t", 1), ("u", 0)], member: member, generation: generation)
        let response = try deleteOffsets(&harness, "g", [("t", [0, 1]), ("u", [0])])
        #expect(response.errorCode == .none)
        #expect(response.topics == [
            Topic(name: "t", partitions: [Partition(partitionIndex: 0, errorCode: .groupSubscribedToTopic), Partition(partitionIndex: 1, errorCode: .groupSubscribedToTopic)]),
            Topic(name: "u", partitions: [Partition(partitionIndex: 0, errorCode: .none)]),
        ])
        #expect(try committed(&harness, "g") == ["t-0": 10, "t-1": 11])

        // Once the member leaves, the group is Empty and subscribed to nothing.
        #expect(try harness.send(LeaveGroupRequest(groupId: "g", memberId: member), version: 1).errorCode == .none)
        let after = try deleteOffsets(&harness, "g", [("t", [0])])
        #expect(after.topics == [Topic(name: "t", partitions: [Partition(partitionIndex: 0, errorCode: .none)])])
        #expect(try committed(&harness, "g") == ["t-1": 11])
    }

    @Test func unreadableSubscriptionsCountAsSubscribedToEverything() throws {
        var harness = try harness()
        let (member, generation) = try formGroup(&harness, "g", metadata: [0, 0, 0, 0, 0, 9])
        try commit(&harness, "g", [("t", 0), ("u", 0)], member: member, generation: generation)
        let response = try deleteOffsets(&harness, "g", [("t", [0]), ("u", [0])])
        #expect(response.topics == [
            Topic(name: "t", partitions: [Partition(partitionIndex: 0, errorCode: .groupSubscribedToTopic)]),
            Topic(name: "u", partitions: [Partition(partitionIndex: 0, errorCode: .groupSubscribedToTopic)]),
        ])
        #expect(try committed(&harness, "g") == ["t-0": 10, "u-0": 10])
    }

    /// After a restart a group known only from its commits (standalone commits store no
    /// membership) has its offsets deleted; a group whose Stable generation was stored
    /// (`classic-groups`) still refuses the topics its member subscribes to, as Kafka does once
    /// it has loaded the group.
    @Test func offsetsOfAGroupKnownOnlyFromItsCommitsCanBeDeletedAfterARestart() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try harness(fileSystem: fileSystem)
        let (member, generation) = try formGroup(&harness, "g", metadata: Self.subscription(["t"]))
        try commit(&harness, "g", [("t", 0)], member: member, generation: generation)
        try commit(&harness, "solo", [("t", 0)])
        try harness.broker.close()
        try harness.store.close()
        var restarted = try self.harness(fileSystem: fileSystem)
        let solo = try deleteOffsets(&restarted, "solo", [("t", [0])])
        #expect(solo.topics == [Topic(name: "t", partitions: [Partition(partitionIndex: 0, errorCode: .none)])])
        #expect(try committed(&restarted, "solo").isEmpty)
        let stored = try deleteOffsets(&restarted, "g", [("t", [0])])
        #expect(stored.topics == [Topic(name: "t", partitions: [Partition(partitionIndex: 0, errorCode: .groupSubscribedToTopic)])])
        #expect(try committed(&restarted, "g") == ["t-0": 10])
    }
}
