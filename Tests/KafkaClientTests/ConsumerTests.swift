@testable import KafkaClient
import KafkaProtocol
import KafkaRecords
import SystemIO
import Synchronization
import Testing

/// The consumer against a live broker (`TestCluster`), plus offline tests of its assignors,
/// consumer-protocol bytes and fetch decoding. Test data is produced with raw Produce requests,
/// independently of the producer.
@Suite(.serialized) struct ConsumerTests {
    // MARK: manual assignment and fetch semantics

    @Test func manualAssignmentReadsEverythingBackExactly() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("consumer-manual")
        let data = try TestData(cluster, topic: topic)
        let now = Self.nowMillis()
        let first = [
            RecordInput(key: Array("k0".utf8), value: Array("v0".utf8), headers: [RecordHeader(key: "h", value: [1, 2])], timestamp: now - 3),
            RecordInput(key: nil, value: Array("no key".utf8), headers: [RecordHeader(key: "null", value: nil), RecordHeader(key: "h", value: [])], timestamp: now - 2),
            RecordInput(key: Array("tombstone".utf8), value: nil, timestamp: now - 1),
        ]
        let second = [RecordInput(key: [], value: [], timestamp: now), RecordInput(key: [0xFF], value: Array(repeating: 7, count: 3000), timestamp: now + 5)]
        #expect(try data.produce(partition: 0, first) == 0)
        #expect(try data.produce(partition: 0, second) == 3)
        #expect(try data.produce(partition: 1, [RecordInput(value: Array("p1".utf8), timestamp: now)]) == 0)

        let consumer = try KafkaConsumer(config: cluster.clientConfig("manual"), consumerConfig: Self.config(group: nil, reset: .earliest))
        defer { consumer.close() }
        let p0 = TopicPartition(topic: topic, partition: 0)
        let p1 = TopicPartition(topic: topic, partition: 1)
        try consumer.assign([p0, p1])
        #expect(consumer.assignment == [p0, p1])
        let records = try Self.poll(consumer, until: 6)
        let expected = (first + second).enumerated().map { index, input in
            ConsumerRecord(topic: topic, partition: 0, offset: Int64(index), timestamp: input.timestamp, timestampType: .createTime,
                           key: input.key, value: input.value, headers: input.headers)
        } + [ConsumerRecord(topic: topic, partition: 1, offset: 0, timestamp: now, key: nil, value: Array("p1".utf8))]
        #expect(records == expected)
        #expect(try consumer.position(p0) == 5)
        #expect(try consumer.position(p1) == 1)
        #expect(try consumer.poll(timeoutMs: 200).isEmpty)
    }

    @Test func aFetchOffsetInsideABatchReturnsOnlyRecordsFromTheOffsetOn() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("consumer-inside")
        let data = try TestData(cluster, topic: topic)
        let now = Self.nowMillis()
        try data.produce(partition: 0, (0..<5).map { RecordInput(value: [UInt8($0)], timestamp: now) })
        try data.produce(partition: 0, (5..<8).map { RecordInput(value: [UInt8($0)], timestamp: now) })

        let consumer = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: nil, reset: .earliest))
        defer { consumer.close() }
        let p0 = TopicPartition(topic: topic, partition: 0)
        try consumer.assign([p0])
        try consumer.seek(p0, to: 3)
        let records = try Self.poll(consumer, until: 5)
        #expect(records.map(\.offset) == [3, 4, 5, 6, 7])
        #expect(records.map { $0.value ?? [] } == [[3], [4], [5], [6], [7]])
    }

    @Test func seekToBeginningEndAndTimestamp() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("consumer-seek")
        let data = try TestData(cluster, topic: topic)
        let base = Self.nowMillis() - 60_000
        for (index, delta) in [0, 10_000, 20_000].enumerated() {
            try data.produce(partition: 0, [RecordInput(value: [UInt8(index)], timestamp: base + Int64(delta))])
        }
        let consumer = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: nil, reset: .latest))
        defer { consumer.close() }
        let p0 = TopicPartition(topic: topic, partition: 0)
        try consumer.assign([p0])
        #expect(try consumer.position(p0) == 3, "latest starts at the end")
        #expect(try consumer.beginningOffsets([p0]) == [p0: 0])
        #expect(try consumer.endOffsets([p0]) == [p0: 3])

        try consumer.seekToBeginning([p0])
        #expect(try Self.poll(consumer, until: 3).map(\.offset) == [0, 1, 2])
        try consumer.seekToEnd([])
        #expect(try consumer.position(p0) == 3)
        #expect(try consumer.poll(timeoutMs: 200).isEmpty)
        if TestCluster.kind == "tansu" {
            // Tansu 0.6 looks timestamps up by when it appended each batch, not by the records'
            // CreateTime: all three were appended after base + 20 s, so both seeks land on
            // offset 0. For a timestamp after every record it answers offset 0 instead of -1,
            // so the consumer seeks to 0 rather than to the end.
            for timestamp in [base + 5_000, base + 20_000, base + 3_600_000] {
                try consumer.seek(p0, toTimestamp: timestamp)
                #expect(try consumer.position(p0) == 0)
            }
            #expect(try Self.poll(consumer, until: 3).map(\.offset) == [0, 1, 2])
        } else {
            try consumer.seek(p0, toTimestamp: base + 5_000)
            #expect(try consumer.position(p0) == 1)
            #expect(try Self.poll(consumer, until: 2).map(\.offset) == [1, 2])
            try consumer.seek(p0, toTimestamp: base + 20_000)
            #expect(try consumer.position(p0) == 2)
            try consumer.seek(p0, toTimestamp: base + 3_600_000)
            #expect(try consumer.position(p0) == 3, "a timestamp after every record seeks to the end")
        }
        #expect(throws: KafkaClientError.self) { try consumer.seek(TopicPartition(topic: topic, partition: 1), to: 0) }
    }

    @Test func autoOffsetResetEarliestVersusLatest() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("consumer-reset")
        let data = try TestData(cluster, topic: topic)
        let now = Self.nowMillis()
        try data.produce(partition: 0, [RecordInput(value: [1], timestamp: now), RecordInput(value: [2], timestamp: now)])
        let p0 = TopicPartition(topic: topic, partition: 0)

        let earliest = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: nil, reset: .earliest))
        defer { earliest.close() }
        try earliest.assign([p0])
        #expect(try Self.poll(earliest, until: 2).map(\.offset) == [0, 1])

        let latest = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: nil, reset: .latest))
        defer { latest.close() }
        try latest.assign([p0])
        if TestCluster.kind == "tansu" {
            // Tansu 0.6 answers ListOffsets LATEST with the base offset of the last batch + 1
            // (1 here: one batch holds offsets 0–1) instead of the log end offset 2, so a
            // consumer reset to latest starts at 1 and reads the last record again.
            #expect(try Self.poll(latest, until: 1).map(\.offset) == [1])
        } else {
            #expect(try latest.poll(timeoutMs: 200).isEmpty)
        }
        #expect(try latest.position(p0) == 2)
        try data.produce(partition: 0, [RecordInput(value: [3], timestamp: now)])
        let fresh = try Self.poll(latest, until: 1)
        #expect(fresh.map(\.offset) == [2])
        #expect(fresh.first?.value == [3])
    }

    @Test func offsetPastTheEndWithResetNoneIsAClearError() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("consumer-oor")
        let data = try TestData(cluster, topic: topic)
        try data.produce(partition: 0, [RecordInput(value: [1], timestamp: Self.nowMillis())])
        let p0 = TopicPartition(topic: topic, partition: 0)
        let consumer = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: nil, reset: .none))
        defer { consumer.close() }
        try consumer.assign([p0])
        do {
            _ = try consumer.poll(timeoutMs: 500)
            Issue.record("polling without a position and reset .none must fail")
        } catch {
            guard case .invalidArgument(let message) = error else { Issue.record("unexpected \(error)"); return }
            #expect(message.contains("autoOffsetReset is .none"))
        }
        try consumer.seek(p0, to: 100)
        if TestCluster.kind == "tansu" {
            // Tansu 0.6 answers a Fetch beyond the log end with no records and no error (Kafka:
            // OFFSET_OUT_OF_RANGE), so the consumer just waits at offset 100.
            #expect(try consumer.poll(timeoutMs: 500).isEmpty)
            #expect(try consumer.position(p0) == 100)
        } else {
            do {
                _ = try consumer.poll(timeoutMs: 500)
                Issue.record("fetching past the end with reset .none must fail")
            } catch {
                guard case .broker(.offsetOutOfRange, let context) = error else { Issue.record("unexpected \(error)"); return }
                #expect(context.contains("\(topic)-0") && context.contains("offset 100"))
            }
        }
        try consumer.seek(p0, to: 0)
        #expect(try Self.poll(consumer, until: 1).map(\.offset) == [0])
    }

    @Test func pollingAnUnknownTopicIsAClearError() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let missing = TestCluster.uniqueTopic("consumer-missing")
        let manual = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: nil, reset: .earliest))
        defer { manual.close() }
        try manual.assign([TopicPartition(topic: missing, partition: 0)])
        #expect(throws: KafkaClientError.unknownTopic(missing)) { try manual.poll(timeoutMs: 500) }

        let member = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: TestCluster.uniqueTopic("g")))
        defer { member.close() }
        try member.subscribe([missing])
        #expect(throws: KafkaClientError.unknownTopic(missing)) { try member.poll(timeoutMs: 500) }
    }

    @Test func misuseIsRejectedWithClearErrors() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        var bad = Self.config(group: "g")
        bad.heartbeatIntervalMs = bad.sessionTimeoutMs
        #expect(throws: KafkaClientError.self) { try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: bad) }
        let plain = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: nil))
        defer { plain.close() }
        #expect(throws: KafkaClientError.self) { try plain.poll(timeoutMs: 0) }
        #expect(throws: KafkaClientError.self) { try plain.subscribe(["t"]) }
        #expect(throws: KafkaClientError.self) { try plain.commitSync([:]) }
        plain.close()
        #expect(throws: KafkaClientError.closed) { try plain.assign([TopicPartition(topic: "t", partition: 0)]) }
    }

    // MARK: groups

    @Test func aGroupOfOneThenTwoConsumersReadsEveryRecordExactlyOnce() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("consumer-group")
        let data = try TestData(cluster, topic: topic, partitions: 6)
        let all = Set((0..<6).map { TopicPartition(topic: topic, partition: Int32($0)) })
        let now = Self.nowMillis()
        for partition in 0..<6 {
            try data.produce(partition: Int32(partition), (0..<10).map { RecordInput(value: [UInt8($0)], timestamp: now) })
        }
        let groupId = TestCluster.uniqueTopic("group")
        let first = try KafkaConsumer(config: cluster.clientConfig("first"), consumerConfig: Self.config(group: groupId, reset: .earliest))
        defer { first.close() }
        try first.subscribe([topic])
        var seen = try Self.poll(first, until: 60)
        #expect(first.assignment == all)

        let second = try KafkaConsumer(config: cluster.clientConfig("second"), consumerConfig: Self.config(group: groupId, reset: .earliest))
        let loop = try PollLoop(second, topic: topic)
        let settled = Self.nowMillis() + 20_000
        while Self.nowMillis() < settled {
            seen += try first.poll(timeoutMs: 100)
            let (mine, theirs) = (first.assignment, second.assignment)
            if !mine.isEmpty && !theirs.isEmpty && mine.union(theirs) == all { break }
        }
        let (mine, theirs) = (first.assignment, second.assignment)
        #expect(mine.isDisjoint(with: theirs), "assignments are disjoint")
        #expect(mine.union(theirs) == all, "assignments cover every partition")
        #expect(mine.count == 3 && theirs.count == 3)

        for partition in 0..<6 {
            try data.produce(partition: Int32(partition), (10..<20).map { RecordInput(value: [UInt8($0)], timestamp: now) })
        }
        let deadline = Self.nowMillis() + 20_000
        while seen.count + loop.records.count < 120 && Self.nowMillis() < deadline {
            seen += try first.poll(timeoutMs: 100)
        }
        loop.stopAndClose()
        #expect(loop.errors.isEmpty)
        let everything = seen + loop.records
        let keys = everything.map { "\($0.partition)/\($0.offset)" }
        #expect(everything.count == 120, "every record consumed exactly once (\(seen.count) + \(loop.records.count))")
        #expect(Set(keys).count == keys.count, "no record consumed twice")
        #expect(Set(keys) == Set((0..<6).flatMap { p in (0..<20).map { "\(p)/\($0)" } }))
    }

    @Test func commitSyncThenANewConsumerResumesAtTheCommittedOffsets() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("consumer-commit")
        let data = try TestData(cluster, topic: topic)
        let now = Self.nowMillis()
        for partition in 0..<3 {
            try data.produce(partition: Int32(partition), (0..<4).map { RecordInput(value: [UInt8($0)], timestamp: now) })
        }
        let groupId = TestCluster.uniqueTopic("group")
        var settings = Self.config(group: groupId, reset: .earliest)
        settings.enableAutoCommit = false
        let first = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: settings)
        try first.subscribe([topic])
        #expect(try Self.poll(first, until: 12).count == 12)
        try first.commitSync()
        let partitions = (0..<3).map { TopicPartition(topic: topic, partition: Int32($0)) }
        #expect(try first.committed(partitions) == Dictionary(uniqueKeysWithValues: partitions.map { ($0, 4) }))
        first.close()

        for partition in 0..<3 {
            try data.produce(partition: Int32(partition), (4..<6).map { RecordInput(value: [UInt8($0)], timestamp: now) })
        }
        let next = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: settings)
        defer { next.close() }
        try next.subscribe([topic])
        let resumed = try Self.poll(next, until: 6)
        #expect(resumed.map(\.offset).sorted() == [4, 4, 4, 5, 5, 5])

        // Explicit offsets with a manual assignment (generation -1 commits to the same group id).
        next.unsubscribe()
        try next.assign([partitions[0]])
        try next.commitSync([partitions[0]: 1])
        #expect(try next.committed([partitions[0]]) == [partitions[0]: 1])
        let manual = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: settings)
        defer { manual.close() }
        try manual.assign([partitions[0]])
        #expect(try manual.position(partitions[0]) == 1)
        #expect(try Self.poll(manual, until: 5).map(\.offset) == [1, 2, 3, 4, 5])
    }

    @Test func closeLeavesTheGroupAndTheOtherMemberGetsEveryPartition() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("consumer-leave")
        let data = try TestData(cluster, topic: topic)
        let all = Set((0..<3).map { TopicPartition(topic: topic, partition: Int32($0)) })
        let groupId = TestCluster.uniqueTopic("group")
        var settings = Self.config(group: groupId, reset: .earliest)
        // The eager rebalance of the classic protocol (ConsumerGroupProtocolTests covers the
        // consumer protocol's incremental one).
        settings.groupProtocol = .classic
        settings.sessionTimeoutMs = 30_000  // far longer than the test: only LeaveGroup can explain a fast rebalance
        if TestCluster.kind == "tansu" {
            // Tansu 0.6 completes every join only after half the session timeout, whatever the
            // rebalance timeout: with 30 s that is 15 s, beyond the consumer's JoinGroup timeout
            // (rebalance timeout + 5 s). With 12 s a join takes 6 s, a rebalance after LeaveGroup
            // too, still well before the session would expire.
            settings.sessionTimeoutMs = 12_000
        }
        let revoked = Mutex<[Set<TopicPartition>]>([])
        let stays = try KafkaConsumer(config: cluster.clientConfig("stays"), consumerConfig: settings)
        defer { stays.close() }
        try stays.subscribe([topic], listener: ConsumerRebalanceListener(partitionsRevoked: { _, partitions in
            revoked.withLock { $0.append(partitions) }
        }))
        _ = try stays.poll(timeoutMs: 500)
        #expect(stays.assignment == all)

        let leaves = try KafkaConsumer(config: cluster.clientConfig("leaves"), consumerConfig: settings)
        let loop = try PollLoop(leaves, topic: topic)
        var deadline = Self.nowMillis() + 20_000
        while Self.nowMillis() < deadline && (stays.assignment.isEmpty || leaves.assignment.isEmpty || stays.assignment.union(leaves.assignment) != all) {
            _ = try stays.poll(timeoutMs: 100)
        }
        #expect(stays.assignment.count + leaves.assignment.count == 3 && !leaves.assignment.isEmpty)
        #expect(revoked.withLock { $0.first } == all, "the revoke callback saw the old assignment")
        #expect(try data.describeGroup(groupId).count == 2)

        let started = Self.nowMillis()
        loop.stopAndClose()
        deadline = Self.nowMillis() + 10_000
        while Self.nowMillis() < deadline && stays.assignment != all {
            _ = try stays.poll(timeoutMs: 100)
        }
        #expect(stays.assignment == all)
        #expect(Self.nowMillis() - started < 10_000, "rebalanced by LeaveGroup, not by session expiry")
        #expect(try data.describeGroup(groupId) == [stays.memberId])
    }

    @Test(.disabled(if: TestCluster.kind == "tansu",
                    "Tansu 0.6 does not fence static members: it never answers FENCED_INSTANCE_ID, so the consumer replaced by a new one with the same groupInstanceId keeps polling without error"))
    func aStaticMemberReplacedByANewInstanceIsFenced() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("consumer-static")
        _ = try TestData(cluster, topic: topic)
        var settings = Self.config(group: TestCluster.uniqueTopic("group"), reset: .earliest)
        settings.groupInstanceId = "instance-1"
        // Classic static membership: the newcomer fences the old instance (in the consumer
        // protocol the newcomer is refused with UNRELEASED_INSTANCE_ID instead).
        settings.groupProtocol = .classic
        let old = try KafkaConsumer(config: cluster.clientConfig("old"), consumerConfig: settings)
        defer { old.close() }
        try old.subscribe([topic])
        _ = try old.poll(timeoutMs: 500)
        #expect(old.assignment.count == 3)

        let replacement = try KafkaConsumer(config: cluster.clientConfig("new"), consumerConfig: settings)
        let loop = try PollLoop(replacement, topic: topic)
        defer { loop.stopAndClose() }
        var fenced: KafkaClientError?
        let deadline = Self.nowMillis() + 10_000
        while fenced == nil && Self.nowMillis() < deadline {
            do { _ = try old.poll(timeoutMs: 100) } catch { fenced = error }
        }
        guard case .broker(.fencedInstanceId, _)? = fenced else { Issue.record("expected FENCED_INSTANCE_ID, got \(String(describing: fenced))"); return }
        #expect(throws: fenced ?? .closed) { try old.poll(timeoutMs: 0) }
    }

    // MARK: assignors (offline)

    @Test func rangeAssignorMatchesKafka() {
        // Kafka's RangeAssignor documentation example: C0 [t0p0, t0p1, t1p0, t1p1], C1 [t0p2, t1p2].
        let members = [GroupMemberSubscription(memberId: "C1", topics: ["t0", "t1"]), GroupMemberSubscription(memberId: "C0", topics: ["t1", "t0"])]
        let plan = PartitionAssignor.range.assign(members: members, partitionCounts: ["t0": 3, "t1": 3])
        #expect(plan["C0"] == [tp("t0", 0), tp("t0", 1), tp("t1", 0), tp("t1", 1)])
        #expect(plan["C1"] == [tp("t0", 2), tp("t1", 2)])

        // Per topic only its subscribers count; unknown topics and empty members are kept apart.
        let mixed = RangeAssignor.assign(members: [
            GroupMemberSubscription(memberId: "b", topics: ["x", "y", "missing"]),
            GroupMemberSubscription(memberId: "a", topics: ["x"]),
            GroupMemberSubscription(memberId: "c", topics: []),
        ], partitionCounts: ["x": 5, "y": 2])
        #expect(mixed["a"] == [tp("x", 0), tp("x", 1), tp("x", 2)])
        #expect(mixed["b"] == [tp("x", 3), tp("x", 4), tp("y", 0), tp("y", 1)])
        #expect(mixed["c"] == [])

        // Static members sort first, by instance id.
        let statics = RangeAssignor.assign(members: [
            GroupMemberSubscription(memberId: "a", topics: ["t"]),
            GroupMemberSubscription(memberId: "z", groupInstanceId: "i2", topics: ["t"]),
            GroupMemberSubscription(memberId: "y", groupInstanceId: "i1", topics: ["t"]),
        ], partitionCounts: ["t": 3])
        #expect(statics["y"] == [tp("t", 0)] && statics["z"] == [tp("t", 1)] && statics["a"] == [tp("t", 2)])
    }

    @Test func roundRobinAssignorMatchesKafka() {
        // Kafka's RoundRobinAssignor documentation examples.
        let same = [GroupMemberSubscription(memberId: "C0", topics: ["t0", "t1"]), GroupMemberSubscription(memberId: "C1", topics: ["t0", "t1"])]
        let plan = PartitionAssignor.roundRobin.assign(members: same, partitionCounts: ["t0": 3, "t1": 3])
        #expect(plan["C0"] == [tp("t0", 0), tp("t0", 2), tp("t1", 1)])
        #expect(plan["C1"] == [tp("t0", 1), tp("t1", 0), tp("t1", 2)])

        let different = RoundRobinAssignor.assign(members: [
            GroupMemberSubscription(memberId: "C2", topics: ["t0", "t1", "t2"]),
            GroupMemberSubscription(memberId: "C0", topics: ["t0"]),
            GroupMemberSubscription(memberId: "C1", topics: ["t0", "t1"]),
        ], partitionCounts: ["t0": 1, "t1": 2, "t2": 3])
        #expect(different["C0"] == [tp("t0", 0)])
        #expect(different["C1"] == [tp("t1", 0)])
        #expect(different["C2"] == [tp("t1", 1), tp("t2", 0), tp("t2", 1), tp("t2", 2)])
        #expect(PartitionAssignor(protocolName: "roundrobin") == .roundRobin)
        #expect(PartitionAssignor(protocolName: "cooperative-sticky") == nil)
        #expect(RoundRobinAssignor.assign(members: [], partitionCounts: ["t": 3]).isEmpty)
    }

    // MARK: consumer protocol bytes (offline)

    @Test func subscriptionAndAssignmentBytesRoundTrip() throws {
        let full = ConsumerProtocolSubscription(topics: ["a", "b"], userData: [9, 8], ownedPartitions: [tp("a", 0), tp("a", 2), tp("b", 1)],
                                                generationId: 7, rackId: "rack-1")
        for version in Int16(0)...3 {
            var expected = full
            if version < 1 { expected.ownedPartitions = [] }
            if version < 2 { expected.generationId = -1 }
            if version < 3 { expected.rackId = nil }
            #expect(try ConsumerProtocolSubscription(decoding: full.encoded(version: version)) == expected)
        }
        // A later version's extra fields are ignored.
        var future = full.encoded(version: 3)
        future[1] = 9
        future += [0, 0, 0, 42]
        #expect(try ConsumerProtocolSubscription(decoding: future) == full)
        #expect(throws: ProtocolError.self) { try ConsumerProtocolSubscription(decoding: [0, 1, 0, 0, 0, 1]) }
        #expect(throws: ProtocolError.self) { try ConsumerProtocolSubscription(decoding: [0xFF, 0xFF]) }

        let assignment = ConsumerProtocolAssignment(partitions: [tp("a", 0), tp("a", 1), tp("c", 5)], userData: [1])
        #expect(try ConsumerProtocolAssignment(decoding: assignment.encoded()) == assignment)
        var later = assignment.encoded(version: 3)
        later += [1, 2, 3]
        #expect(try ConsumerProtocolAssignment(decoding: later) == assignment)
        #expect(try ConsumerProtocolAssignment(decoding: []) == ConsumerProtocolAssignment(partitions: []))
    }

    @Test func consumerProtocolGoldenBytes() throws {
        // Subscription v0 {topics ["ab"], user_data null}.
        let v0: [UInt8] = [0, 0, 0, 0, 0, 1, 0, 2, 0x61, 0x62, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(ConsumerProtocolSubscription(topics: ["ab"]).encoded(version: 0) == v0)
        // Subscription v1 {topics ["ab"], user_data [1], owned [ab: 0, 2]}.
        let v1: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 2, 0x61, 0x62, 0, 0, 0, 1, 1,
                           0, 0, 0, 1, 0, 2, 0x61, 0x62, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2]
        let subscription = ConsumerProtocolSubscription(topics: ["ab"], userData: [1], ownedPartitions: [tp("ab", 0), tp("ab", 2)])
        #expect(subscription.encoded(version: 1) == v1)
        #expect(try ConsumerProtocolSubscription(decoding: v1) == subscription)
        // Assignment v0 {ab: [0, 1], c: [3], user_data null}.
        let assignment: [UInt8] = [0, 0, 0, 0, 0, 2, 0, 2, 0x61, 0x62, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1,
                                   0, 1, 0x63, 0, 0, 0, 1, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(ConsumerProtocolAssignment(partitions: [tp("ab", 0), tp("ab", 1), tp("c", 3)]).encoded() == assignment)
        #expect(try ConsumerProtocolAssignment(decoding: assignment).partitions == [tp("ab", 0), tp("ab", 1), tp("c", 3)])
    }

    // MARK: fetch decoding (offline)

    @Test func fetchDecodingSkipsEarlierRecordsControlBatchesAndAPartialTail() throws {
        let first = Self.batch(baseOffset: 10, values: [[0], [1], [2]])
        let control = Self.batch(baseOffset: 13, values: [[0, 0, 0, 0]], attributes: 0x20)
        let last = Self.batch(baseOffset: 14, values: [[4], [5]])
        let bytes = first + control + last + Array(last.prefix(30))
        let decoded = try FetchedRecordsDecoder.decode(bytes, topic: "t", partition: 2, fetchOffset: 11)
        #expect(decoded.records.map(\.offset) == [11, 12, 14, 15])
        #expect(decoded.records.map { $0.value ?? [] } == [[1], [2], [4], [5]])
        #expect(decoded.records.allSatisfy { $0.topic == "t" && $0.partition == 2 })
        #expect(decoded.nextOffset == 16)

        // Only a control batch: nothing to return, but the position moves past it.
        let onlyControl = try FetchedRecordsDecoder.decode(control, topic: "t", partition: 0, fetchOffset: 13)
        #expect(onlyControl.records.isEmpty && onlyControl.nextOffset == 14)
        // Only a partial batch: nothing, position unchanged.
        #expect(try FetchedRecordsDecoder.decode(Array(first.prefix(40)), topic: "t", partition: 0, fetchOffset: 10).nextOffset == 10)

        // zstd batches decode: here the records area in a hand-made frame (single segment,
        // 1-byte content size, one raw last block).
        var records = RecordBatchBuilder()
        records.append(RecordInput(value: [7], timestamp: 1_700_000_000_000))
        let plain = records.encodedRecords
        let zstdFrame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x20, UInt8(plain.count), UInt8(plain.count << 3 | 1), UInt8(plain.count >> 5), 0] + plain
        let zstd = RecordBatchBuilder.assemble(attributes: 0x04, lastOffsetDelta: 0, baseTimestamp: 1_700_000_000_000,
                                               maxTimestamp: 1_700_000_000_000, producerId: -1, producerEpoch: -1, baseSequence: -1,
                                               recordCount: 1, records: zstdFrame, baseOffset: 0)
        let decodedZstd = try FetchedRecordsDecoder.decode(zstd, topic: "t", partition: 0, fetchOffset: 0)
        #expect(decodedZstd.records.map { $0.value ?? [] } == [[7]] && decodedZstd.nextOffset == 1)
        // A zstd-flagged batch whose records area is not zstd is corrupt, not unsupported.
        let badZstd = Self.batch(baseOffset: 0, values: [[1]], attributes: 0x04)
        #expect(throws: KafkaClientError.self) { try FetchedRecordsDecoder.decode(badZstd, topic: "t", partition: 0, fetchOffset: 0) }
        // A gzip-flagged batch whose records area is not gzip is corrupt, not unsupported.
        let badGzip = Self.batch(baseOffset: 0, values: [[1]], attributes: 0x01)
        #expect(throws: KafkaClientError.self) { try FetchedRecordsDecoder.decode(badGzip, topic: "t", partition: 0, fetchOffset: 0) }
        var corrupt = first
        corrupt[corrupt.count - 1] ^= 0xFF
        #expect(throws: KafkaClientError.self) { try FetchedRecordsDecoder.decode(corrupt, topic: "t", partition: 0, fetchOffset: 10) }
    }

    // MARK: helpers

    static func config(group: String?, reset: ConsumerConfig.AutoOffsetReset = .earliest) -> ConsumerConfig {
        var config = ConsumerConfig(groupId: group)
        config.autoOffsetReset = reset
        config.sessionTimeoutMs = 6_000
        config.heartbeatIntervalMs = 100
        config.rebalanceTimeoutMs = 5_000
        config.fetchMaxWaitMs = 100
        config.autoCommitIntervalMs = 200
        return config
    }

    static func nowMillis() -> Int64 { SystemTimeSource().wallMillis() }

    /// Polls until `count` records arrived (or 10 s passed).
    static func poll(_ consumer: KafkaConsumer, until count: Int) throws(KafkaClientError) -> [ConsumerRecord] {
        var records: [ConsumerRecord] = []
        let deadline = nowMillis() + 10_000
        while records.count < count && nowMillis() < deadline {
            records += try consumer.poll(timeoutMs: 200)
        }
        return records
    }

    static func batch(baseOffset: Int64, values: [[UInt8]], attributes: Int16 = 0) -> [UInt8] {
        var builder = RecordBatchBuilder()
        for value in values { builder.append(RecordInput(value: value, timestamp: 1_700_000_000_000)) }
        return RecordBatchBuilder.assemble(attributes: attributes, lastOffsetDelta: Int32(values.count - 1), baseTimestamp: 1_700_000_000_000,
                                           maxTimestamp: 1_700_000_000_000, producerId: -1, producerEpoch: -1, baseSequence: -1,
                                           recordCount: Int32(values.count), records: builder.encodedRecords, baseOffset: baseOffset)
    }
}

private func tp(_ topic: String, _ partition: Int32) -> TopicPartition {
    TopicPartition(topic: topic, partition: partition)
}

/// Creates a topic and writes test data with raw requests (independent of the producer).
struct TestData {
    let cluster: KafkaCluster
    let topic: String

    init(_ test: TestCluster, topic: String, partitions: Int32 = 3) throws {
        cluster = KafkaCluster(config: test.clientConfig("test-data"))
        self.topic = topic
        let request = CreateTopicsRequest(topics: [CreateTopicsRequest.CreatableTopic(name: topic, numPartitions: partitions, replicationFactor: -1)],
                                          timeoutMs: 10_000)
        let response = try cluster.bootstrapConnection().send(request).0
        let code = response.topics.first?.errorCode ?? .none
        #expect(code == .none || code == .topicAlreadyExists)
        let deadline = ConsumerTests.nowMillis() + 10_000
        while ConsumerTests.nowMillis() < deadline {
            if let info = try? cluster.topic(topic, refresh: true), info.leaders.count == Int(partitions), info.leaders.allSatisfy({ $0 >= 0 }) { return }
            KafkaCluster.sleep(milliseconds: 50)
        }
    }

    /// Produces one batch; returns its base offset.
    @discardableResult
    func produce(partition: Int32, _ records: [RecordInput]) throws -> Int64 {
        var builder = RecordBatchBuilder()
        for record in records { builder.append(record) }
        let request = ProduceRequest(acks: -1, timeoutMs: 10_000, topicData: [ProduceRequest.TopicProduceData(name: topic, partitionData: [
            ProduceRequest.PartitionProduceData(index: partition, records: .inline(builder.build())),
        ])])
        let answer = try cluster.leader(topic: topic, partition: partition, purpose: "test-produce").send(request).0
        let result = answer.responses.first?.partitionResponses.first
        #expect(result?.errorCode == ErrorCode.none)
        return result?.baseOffset ?? -1
    }

    /// The member ids DescribeGroups reports for `groupId`.
    func describeGroup(_ groupId: String) throws -> [String] {
        let response = try cluster.coordinator(group: groupId, purpose: "test-describe").send(DescribeGroupsRequest(groups: [groupId])).0
        return response.groups.first?.members.map(\.memberId) ?? []
    }
}

/// A consumer's poll loop on its own OS thread (never the cooperative pool), collecting records
/// and errors until `stopAndClose()`, which also closes the consumer on that thread.
private final class PollLoop: Sendable {
    private let collected = Mutex<(records: [ConsumerRecord], errors: [String], stop: Bool, done: Bool)>(([], [], false, false))
    private let finished = ConditionSignal()

    init(_ consumer: KafkaConsumer, topic: String) throws {
        try consumer.subscribe([topic])
        try SystemThread.spawn(name: "test-poll-loop") { [self] in
            while !collected.withLock({ $0.stop }) {
                do {
                    let records = try consumer.poll(timeoutMs: 100)
                    collected.withLock { $0.records += records }
                } catch {
                    collected.withLock { $0.errors.append("\(error)") }
                    KafkaCluster.sleep(milliseconds: 50)
                }
            }
            consumer.close()
            collected.withLock { $0.done = true }
            finished.signal()
        }
    }

    var records: [ConsumerRecord] { collected.withLock { $0.records } }
    var errors: [String] { collected.withLock { $0.errors } }

    func stopAndClose() {
        collected.withLock { $0.stop = true }
        let deadline = ConsumerTests.nowMillis() + 15_000
        while ConsumerTests.nowMillis() < deadline {
            let seen = finished.generation
            if collected.withLock({ $0.done }) { return }
            finished.wait(after: seen, timeoutNanos: 100_000_000)
        }
        Issue.record("the poll loop did not stop")
    }
}
