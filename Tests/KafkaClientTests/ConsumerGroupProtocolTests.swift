@testable import KafkaClient
import KafkaRecords
import Net
import KafkaProtocol
import Synchronization
import SystemIO
import Testing

/// The consumer group protocol of Kafka 4 (KIP-848) in `KafkaConsumer`: server-side
/// assignment, incremental rebalance callbacks, member-epoch commits, leaving on close, and
/// the choice of protocol (`.classic`, `.consumer`, `.auto`).
@Suite(.serialized) struct ConsumerGroupProtocolTests {
    static let kip848 = TestCluster.advertises(.consumerGroupHeartbeat)

    /// Records every listener call of every member and flags a partition assigned to two
    /// members at once.
    final class Ownership: Sendable {
        struct Event: Equatable, CustomStringConvertible {
            var member: String
            var kind: String
            var partitions: Set<TopicPartition>
            var description: String { "\(member) \(kind) \(partitions.map(\.partition).sorted())" }
        }
        private let state = Mutex<(owner: [TopicPartition: String], events: [Event], violations: [String])>(([:], [], []))

        func listener(_ member: String) -> ConsumerRebalanceListener {
            ConsumerRebalanceListener(partitionsRevoked: { _, partitions in
                self.state.withLock { state in
                    state.events.append(Event(member: member, kind: "revoked", partitions: partitions))
                    for partition in partitions {
                        if state.owner[partition] != member { state.violations.append("\(member) revoked \(partition) it did not own") }
                        state.owner[partition] = nil
                    }
                }
            }, partitionsAssigned: { _, partitions in
                self.state.withLock { state in
                    state.events.append(Event(member: member, kind: "assigned", partitions: partitions))
                    for partition in partitions {
                        if let other = state.owner[partition] { state.violations.append("\(partition) assigned to \(member) while \(other) owns it") }
                        state.owner[partition] = member
                    }
                }
            }, partitionsLost: { _, partitions in
                self.state.withLock { state in
                    state.events.append(Event(member: member, kind: "lost", partitions: partitions))
                    for partition in partitions { state.owner[partition] = nil }
                }
            })
        }

        var events: [Event] { state.withLock { $0.events } }
        var violations: [String] { state.withLock { $0.violations } }
    }

    static func config(group: String, _ groupProtocol: ConsumerConfig.GroupProtocol) -> ConsumerConfig {
        var config = ConsumerTests.config(group: group, reset: .earliest)
        config.groupProtocol = groupProtocol
        return config
    }

    /// Polls every consumer in turn until `done` holds (or `seconds` passed); returns the records.
    static func pollAll(_ consumers: [KafkaConsumer], seconds: Int64 = 20, until done: ([ConsumerRecord]) -> Bool) throws -> [ConsumerRecord] {
        var records: [ConsumerRecord] = []
        let deadline = ConsumerTests.nowMillis() + seconds * 1_000
        while ConsumerTests.nowMillis() < deadline {
            for consumer in consumers { records += try consumer.poll(timeoutMs: 50) }
            if done(records) { break }
        }
        return records
    }

    static func settled(_ consumers: [KafkaConsumer], _ all: Set<TopicPartition>) -> Bool {
        let sets = consumers.map(\.assignment)
        return sets.allSatisfy { !$0.isEmpty } && sets.reduce(0) { $0 + $1.count } == all.count
            && sets.reduce(Set()) { $0.union($1) } == all
    }

    /// ConsumerGroupDescribe of `groupId`: its members' ids (nil when it is not a consumer-protocol group).
    static func describeConsumerGroup(_ test: TestCluster, _ groupId: String) throws -> [String]? {
        let cluster = KafkaCluster(config: test.clientConfig("test-describe"))
        defer { cluster.close() }
        let response = try cluster.coordinator(group: groupId, purpose: "test-describe").send(ConsumerGroupDescribeRequest(groupIds: [groupId])).0
        guard let group = response.groups.first, group.errorCode == .none else { return nil }
        return group.members.map(\.memberId).sorted()
    }

    @Test(.enabled(if: kip848, "the broker does not serve ConsumerGroupHeartbeat"))
    func twoMembersSplitATopicThenAThirdJoinsIncrementallyAndCloseLeaves() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("kip848")
        let data = try TestData(cluster, topic: topic, partitions: 4)
        let all = Set((0..<4).map { TopicPartition(topic: topic, partition: Int32($0)) })
        let now = ConsumerTests.nowMillis()
        for partition in 0..<4 {
            try data.produce(partition: Int32(partition), (0..<10).map { RecordInput(value: [UInt8($0)], timestamp: now) })
        }
        let groupId = TestCluster.uniqueTopic("group")
        let ownership = Ownership()
        // Freed partitions reach their new owner at its next heartbeat: 200 ms, not 5 s, keeps
        // the test short (the session stays 45 s).
        let admin = KafkaAdmin(config: cluster.clientConfig("tuner"))
        defer { admin.close() }
        try admin.incrementalAlterConfigs(.group(groupId), [.set("consumer.heartbeat.interval.ms", "200")])
        let a = try KafkaConsumer(config: cluster.clientConfig("a"), consumerConfig: Self.config(group: groupId, .consumer))
        let b = try KafkaConsumer(config: cluster.clientConfig("b"), consumerConfig: Self.config(group: groupId, .consumer))
        defer { a.close(); b.close() }
        try a.subscribe([topic], listener: ownership.listener("a"))
        try b.subscribe([topic], listener: ownership.listener("b"))

        var seen = try Self.pollAll([a, b]) { $0.count >= 40 && Self.settled([a, b], all) }
        #expect(Self.settled([a, b], all), "a \(a.assignment), b \(b.assignment)")
        #expect(a.assignment.count == 2 && b.assignment.count == 2)
        try a.commitSync()
        try b.commitSync()
        #expect(try a.committed(all.sorted()) == Dictionary(uniqueKeysWithValues: all.map { ($0, 10) }), "commits with the member epoch (v9)")
        #expect(try Self.describeConsumerGroup(cluster, groupId) == [a.memberId, b.memberId].sorted())

        // A third member: only incremental changes, never a partition owned twice.
        let before = ownership.events.count
        let c = try KafkaConsumer(config: cluster.clientConfig("c"), consumerConfig: Self.config(group: groupId, .consumer))
        try c.subscribe([topic], listener: ownership.listener("c"))
        seen += try Self.pollAll([a, b, c]) { _ in Self.settled([a, b, c], all) }
        #expect(Self.settled([a, b, c], all), "a \(a.assignment), b \(b.assignment), c \(c.assignment)")
        let rebalance = Array(ownership.events[before...])
        let revoked = rebalance.filter { $0.kind == "revoked" }
        #expect(revoked.reduce(0) { $0 + $1.partitions.count } == 1, "only the partition that moves is revoked: \(rebalance)")
        #expect(rebalance.filter { $0.kind == "assigned" }.allSatisfy { $0.member == "c" && $0.partitions.count == 1 },
                "only the new member gets a partition: \(rebalance)")
        #expect(!rebalance.contains { $0.kind == "lost" })
        #expect(ownership.violations.isEmpty, "\(ownership.violations)")

        for partition in 0..<4 {
            try data.produce(partition: Int32(partition), (10..<20).map { RecordInput(value: [UInt8($0)], timestamp: now) })
        }
        seen += try Self.pollAll([a, b, c]) { $0.count >= 40 }
        let keys = seen.map { "\($0.partition)/\($0.offset)" }
        #expect(seen.count == 80, "every record once (\(seen.count))")
        #expect(Set(keys) == Set((0..<4).flatMap { p in (0..<20).map { "\(p)/\($0)" } }))

        // close leaves at once (the session timeout of 45 s cannot explain a quick move).
        let started = ConsumerTests.nowMillis()
        let cMember = c.memberId
        c.close()
        _ = try Self.pollAll([a, b], seconds: 10) { _ in Self.settled([a, b], all) }
        #expect(Self.settled([a, b], all), "a \(a.assignment), b \(b.assignment)")
        #expect(ConsumerTests.nowMillis() - started < 10_000)
        #expect(try Self.describeConsumerGroup(cluster, groupId)?.contains(cMember) == false)
        #expect(ownership.violations.isEmpty, "\(ownership.violations)")
        // c's commit on close (auto-commit) and a/b's positions: nothing is read again.
        try a.commitSync()
        try b.commitSync()
        #expect(try a.committed(all.sorted()) == Dictionary(uniqueKeysWithValues: all.map { ($0, 20) }))
    }

    @Test(.enabled(if: kip848, "the broker does not serve ConsumerGroupHeartbeat"))
    func aFencedMemberLosesItsPartitionsAndRejoinsWithTheSameId() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("kip848-fenced")
        _ = try TestData(cluster, topic: topic, partitions: 2)
        let all = Set((0..<2).map { TopicPartition(topic: topic, partition: Int32($0)) })
        let groupId = TestCluster.uniqueTopic("group")
        let ownership = Ownership()
        let consumer = try KafkaConsumer(config: cluster.clientConfig("fenced"), consumerConfig: Self.config(group: groupId, .consumer))
        defer { consumer.close() }
        try consumer.subscribe([topic], listener: ownership.listener("m"))
        _ = try Self.pollAll([consumer]) { _ in consumer.assignment == all }
        #expect(consumer.assignment == all)
        let memberId = consumer.memberId

        // Someone else removes the member (a leave heartbeat with its id): its next heartbeat
        // answers UNKNOWN_MEMBER_ID, it loses everything and joins again at epoch 0.
        let admin = KafkaCluster(config: cluster.clientConfig("remover"))
        defer { admin.close() }
        let leave = ConsumerGroupHeartbeatRequest(groupId: groupId, memberId: memberId, memberEpoch: -1)
        #expect(try admin.coordinator(group: groupId, purpose: "test").send(leave).0.errorCode == ErrorCode.none)
        _ = try Self.pollAll([consumer]) { _ in ownership.events.contains { $0.kind == "lost" } && consumer.assignment == all }
        #expect(ownership.events.filter { $0.kind == "lost" }.map(\.partitions) == [all], "\(ownership.events)")
        #expect(consumer.assignment == all)
        #expect(consumer.memberId == memberId, "rejoined with the same member id")
        #expect(try Self.describeConsumerGroup(cluster, groupId) == [memberId])
        #expect(ownership.violations.isEmpty, "\(ownership.violations)")
    }

    @Test func aClassicConsumerStillWorks() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("classic")
        let data = try TestData(cluster, topic: topic, partitions: 2)
        let now = ConsumerTests.nowMillis()
        for partition in 0..<2 {
            try data.produce(partition: Int32(partition), (0..<5).map { RecordInput(value: [UInt8($0)], timestamp: now) })
        }
        let groupId = TestCluster.uniqueTopic("group")
        let consumer = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: groupId, .classic))
        defer { consumer.close() }
        try consumer.subscribe([topic])
        #expect(try ConsumerTests.poll(consumer, until: 10).count == 10)
        try consumer.commitSync()
        #expect(try data.describeGroup(groupId) == [consumer.memberId], "a classic group member (DescribeGroups)")
        if Self.kip848 {
            #expect(try Self.describeConsumerGroup(cluster, groupId) == nil, "not a consumer-protocol group")
        }
    }

    @Test func autoPicksTheConsumerProtocolWhenAdvertisedElseClassic() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("auto")
        let data = try TestData(cluster, topic: topic, partitions: 2)
        let now = ConsumerTests.nowMillis()
        for partition in 0..<2 {
            try data.produce(partition: Int32(partition), (0..<5).map { RecordInput(value: [UInt8($0)], timestamp: now) })
        }
        let groupId = TestCluster.uniqueTopic("group")
        let consumer = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: groupId, .auto))
        defer { consumer.close() }
        try consumer.subscribe([topic])
        #expect(try ConsumerTests.poll(consumer, until: 10).count == 10)
        try consumer.commitSync()
        if Self.kip848 {
            #expect(try Self.describeConsumerGroup(cluster, groupId) == [consumer.memberId], "a consumer-protocol member")
        } else {
            #expect(try data.describeGroup(groupId) == [consumer.memberId], "fell back to the classic protocol")
        }
    }

    @Test func configValidation() {
        var config = ConsumerConfig(groupId: "g")
        config.groupRemoteAssignor = ""
        #expect(throws: KafkaClientError.self) { try KafkaConsumer(config: ClientConfig(bootstrapServers: [HostPort(host: "127.0.0.1", port: 1)]), consumerConfig: config) }
        #expect(ConsumerConfig(groupId: "g").groupProtocol == .auto)
    }

    @Test(.enabled(if: kip848, "the broker does not serve ConsumerGroupHeartbeat"))
    func aCommitThatCrossedANewerEpochIsRetriedWithIt() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("kip848-stale")
        let data = try TestData(cluster, topic: topic, partitions: 1)
        try data.produce(partition: 0, (0..<3).map { RecordInput(value: [UInt8($0)], timestamp: ConsumerTests.nowMillis()) })
        let groupId = TestCluster.uniqueTopic("group")
        let admin = KafkaAdmin(config: cluster.clientConfig("tuner"))
        defer { admin.close() }
        try admin.incrementalAlterConfigs(.group(groupId), [.set("consumer.heartbeat.interval.ms", "200")])
        let consumer = try KafkaConsumer(config: cluster.clientConfig("stale"), consumerConfig: Self.config(group: groupId, .consumer))
        defer { consumer.close() }
        try consumer.subscribe([topic])
        #expect(try ConsumerTests.poll(consumer, until: 3).count == 3)
        // The commit is built with an epoch older than the coordinator's (as when a heartbeat
        // answer with a new epoch lands while the commit is on its way): STALE_MEMBER_EPOCH,
        // then a heartbeat, then the commit again with the current epoch.
        // Another member joins and leaves, so this one's epoch moves past 1.
        let raw = KafkaCluster(config: cluster.clientConfig("passer-by"))
        defer { raw.close() }
        let other = ShareConsumer.newMemberId()
        let coordinator = try raw.coordinator(group: groupId, purpose: "test")
        let join = ConsumerGroupHeartbeatRequest(groupId: groupId, memberId: other, memberEpoch: 0, rebalanceTimeoutMs: 5_000,
                                                 subscribedTopicNames: [topic], topicPartitions: [])
        #expect(try coordinator.send(join).0.errorCode == ErrorCode.none)
        #expect(try coordinator.send(ConsumerGroupHeartbeatRequest(groupId: groupId, memberId: other, memberEpoch: -1)).0.errorCode == ErrorCode.none)
        let deadline = ConsumerTests.nowMillis() + 10_000
        while consumer.state.withLock({ $0.generationId }) <= 1 && ConsumerTests.nowMillis() < deadline {
            _ = try consumer.poll(timeoutMs: 50)
        }
        let current = consumer.state.withLock { $0.generationId }
        #expect(current > 1)
        consumer.state.withLock { $0.generationId = current - 1 }
        try consumer.commitSync()
        #expect(try consumer.committed([TopicPartition(topic: topic, partition: 0)]) == [TopicPartition(topic: topic, partition: 0): 3])
        #expect(consumer.state.withLock { $0.generationId } == current)
    }

    @Test(.enabled(if: kip848, "the broker does not serve ConsumerGroupHeartbeat"))
    func aStaticMemberReplacingAKilledOneWaitsForItsSessionThenTakesOver() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("kip848-static")
        _ = try TestData(cluster, topic: topic, partitions: 2)
        let all = Set((0..<2).map { TopicPartition(topic: topic, partition: Int32($0)) })
        let groupId = TestCluster.uniqueTopic("group")
        let admin = KafkaAdmin(config: cluster.clientConfig("tuner"))
        defer { admin.close() }
        try admin.incrementalAlterConfigs(.group(groupId), [.set("consumer.session.timeout.ms", "2000"),
                                                          .set("consumer.heartbeat.interval.ms", "500")])

        // A process with instance id "svc-1" joins, then dies without leaving.
        let raw = KafkaCluster(config: cluster.clientConfig("killed"))
        defer { raw.close() }
        let join = ConsumerGroupHeartbeatRequest(groupId: groupId, memberId: ShareConsumer.newMemberId(), memberEpoch: 0, instanceId: "svc-1",
                                                 rebalanceTimeoutMs: 5_000, subscribedTopicNames: [topic], topicPartitions: [])
        #expect(try raw.coordinator(group: groupId, purpose: "test").send(join).0.errorCode == ErrorCode.none)

        // Its replacement gets UNRELEASED_INSTANCE_ID until the dead one's 2 s session ends;
        // the client keeps trying (no error from poll) and then owns everything.
        var config = Self.config(group: groupId, .consumer)
        config.groupInstanceId = "svc-1"
        let started = ConsumerTests.nowMillis()
        let replacement = try KafkaConsumer(config: cluster.clientConfig("replacement"), consumerConfig: config)
        try replacement.subscribe([topic])
        _ = try Self.pollAll([replacement]) { _ in replacement.assignment == all }
        let waited = ConsumerTests.nowMillis() - started
        #expect(replacement.assignment == all)
        #expect(waited >= 1_500 && waited < 15_000, "took over after the session timeout, not before (\(waited) ms)")

        // A static member that closes leaves for now (epoch -2): the next one with its instance
        // id takes over at once, well inside the session timeout.
        let replacedId = replacement.memberId
        replacement.close()
        let again = ConsumerTests.nowMillis()
        let next = try KafkaConsumer(config: cluster.clientConfig("next"), consumerConfig: config)
        defer { next.close() }
        try next.subscribe([topic])
        _ = try Self.pollAll([next]) { _ in next.assignment == all }
        #expect(next.assignment == all)
        #expect(ConsumerTests.nowMillis() - again < 1_500, "took over without waiting for a session to expire")
        #expect(try Self.describeConsumerGroup(cluster, groupId) == [next.memberId])
        #expect(next.memberId != replacedId)
    }

    // MARK: regular-expression subscriptions (KIP-848 / KIP-1099)

    /// A consumer-protocol consumer of `groupId` whose coordinator asks for heartbeats every
    /// 200 ms (topics the pattern matches later are picked up at the next heartbeat).
    static func fastConsumer(_ cluster: TestCluster, group groupId: String, _ clientId: String) throws -> KafkaConsumer {
        let admin = KafkaAdmin(config: cluster.clientConfig("tuner"))
        defer { admin.close() }
        try admin.incrementalAlterConfigs(.group(groupId), [.set("consumer.heartbeat.interval.ms", "200")])
        return try KafkaConsumer(config: cluster.clientConfig(clientId), consumerConfig: Self.config(group: groupId, .consumer))
    }

    /// Creates `topic` with one partition holding `count` records.
    static func topicWithRecords(_ cluster: TestCluster, _ topic: String, count: Int) throws {
        let data = try TestData(cluster, topic: topic, partitions: 1)
        try data.produce(partition: 0, (0..<count).map { RecordInput(value: [UInt8($0)], timestamp: ConsumerTests.nowMillis()) })
    }

    @Test(.enabled(if: kip848, "the broker does not serve ConsumerGroupHeartbeat"))
    func aPatternSubscriptionReadsTheMatchingTopicsOnly() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let prefix = TestCluster.uniqueTopic("rx")
        let matching = ["\(prefix)-orders-eu", "\(prefix)-orders-us"]
        for topic in matching { try Self.topicWithRecords(cluster, topic, count: 3) }
        try Self.topicWithRecords(cluster, "\(prefix)-payments", count: 3)
        try Self.topicWithRecords(cluster, "x\(prefix)-orders-eu", count: 3)  // matches only a partial (non-whole) match
        let groupId = TestCluster.uniqueTopic("group")
        let ownership = Ownership()
        let consumer = try Self.fastConsumer(cluster, group: groupId, "regex")
        defer { consumer.close() }
        try consumer.subscribe(pattern: "\(prefix)-orders-.*", listener: ownership.listener("m"))
        #expect(consumer.subscriptionPattern == "\(prefix)-orders-.*")
        #expect(consumer.subscription.isEmpty)

        let expected = Set(matching.map { TopicPartition(topic: $0, partition: 0) })
        let records = try Self.pollAll([consumer]) { $0.count >= 6 }
        #expect(records.count == 6, "three records of each matching topic")
        #expect(Set(records.map(\.topic)) == Set(matching))
        #expect(consumer.assignment == expected)
        #expect(ownership.events == [Ownership.Event(member: "m", kind: "assigned", partitions: expected)], "\(ownership.events)")
        // Positions and commits work as for named topics.
        try consumer.commitSync()
        #expect(try consumer.committed(expected.sorted()) == Dictionary(uniqueKeysWithValues: expected.map { ($0, 3) }))
        #expect(try consumer.poll(timeoutMs: 300).isEmpty, "nothing from the topics the pattern does not match")
        #expect(consumer.assignment == expected)

        // The coordinator knows the member by its regex (and no topic names).
        let raw = KafkaCluster(config: cluster.clientConfig("describe"))
        defer { raw.close() }
        let described = try raw.coordinator(group: groupId, purpose: "test").send(ConsumerGroupDescribeRequest(groupIds: [groupId])).0
        let member = described.groups.first?.members.first
        #expect(member?.subscribedTopicRegex == "\(prefix)-orders-.*")
        #expect(member?.subscribedTopicNames.isEmpty == true)

        // Back to a name: the coordinator drops the regex, only that topic stays assigned.
        let payments = TopicPartition(topic: "\(prefix)-payments", partition: 0)
        try consumer.subscribe([payments.topic])
        #expect(consumer.subscriptionPattern == nil)
        let paid = try Self.pollAll([consumer]) { $0.count >= 3 && consumer.assignment == [payments] }
        #expect(paid.map(\.topic) == Array(repeating: payments.topic, count: 3))
        #expect(consumer.assignment == [payments])
        let after = try raw.coordinator(group: groupId, purpose: "test").send(ConsumerGroupDescribeRequest(groupIds: [groupId])).0
        #expect(after.groups.first?.members.first?.subscribedTopicRegex == nil)
        #expect(after.groups.first?.members.first?.subscribedTopicNames == [payments.topic])
    }

    @Test(.enabled(if: kip848, "the broker does not serve ConsumerGroupHeartbeat"))
    func aTopicCreatedLaterThatMatchesIsAssignedWithoutResubscribing() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let prefix = TestCluster.uniqueTopic("rx-late")
        let groupId = TestCluster.uniqueTopic("group")
        let ownership = Ownership()
        let consumer = try Self.fastConsumer(cluster, group: groupId, "regex-late")
        defer { consumer.close() }
        // Nothing matches yet: joining must not wait for (or complain about) missing topics.
        try consumer.subscribe(pattern: "\(prefix)-.*", listener: ownership.listener("m"))
        let joinDeadline = ConsumerTests.nowMillis() + 10_000
        while consumer.state.withLock({ $0.membership.epoch }) == 0 && ConsumerTests.nowMillis() < joinDeadline {
            #expect(try consumer.poll(timeoutMs: 50).isEmpty)
        }
        #expect(consumer.state.withLock { $0.membership.epoch } > 0, "joined with a pattern that matches nothing")
        #expect(consumer.assignment.isEmpty)

        let first = "\(prefix)-first"
        try Self.topicWithRecords(cluster, first, count: 2)
        var records = try Self.pollAll([consumer]) { $0.count >= 2 }
        #expect(records.map(\.topic) == [first, first])
        let second = "\(prefix)-second"
        try Self.topicWithRecords(cluster, second, count: 4)
        records = try Self.pollAll([consumer]) { $0.count >= 4 }
        #expect(records.count == 4 && records.allSatisfy { $0.topic == second }, "\(records.map(\.topic))")
        #expect(consumer.assignment == [TopicPartition(topic: first, partition: 0), TopicPartition(topic: second, partition: 0)])
        #expect(ownership.events.map(\.kind) == ["assigned", "assigned"], "incremental: nothing revoked (\(ownership.events))")
        #expect(ownership.events.last?.partitions == [TopicPartition(topic: second, partition: 0)])
    }

    /// Polls (for up to 10 s) until `poll` throws; returns the message of an
    /// INVALID_REGULAR_EXPRESSION error, else records an issue and returns nil.
    static func invalidRegexMessage(_ consumer: KafkaConsumer) -> String? {
        var thrown: KafkaClientError?
        let deadline = ConsumerTests.nowMillis() + 10_000
        while thrown == nil && ConsumerTests.nowMillis() < deadline {
            do {
                _ = try consumer.poll(timeoutMs: 100)
            } catch {
                thrown = error
            }
        }
        guard case .broker(.invalidRegularExpression, let context)? = thrown else {
            Issue.record("expected INVALID_REGULAR_EXPRESSION from poll, got \(String(describing: thrown))")
            return nil
        }
        return context
    }

    @Test(.enabled(if: kip848, "the broker does not serve ConsumerGroupHeartbeat"))
    func anInvalidPatternFailsPollWithTheBrokersMessageUntilResubscribed() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("rx-valid")
        try Self.topicWithRecords(cluster, topic, count: 1)
        let groupId = TestCluster.uniqueTopic("group")
        let consumer = try Self.fastConsumer(cluster, group: groupId, "regex-invalid")
        defer { consumer.close() }
        try consumer.subscribe(pattern: "(unclosed")
        guard let context = Self.invalidRegexMessage(consumer) else { return }
        #expect(context.contains("(unclosed") && context.contains("not a valid regular expression"), "\(context)")

        // A valid pattern replaces it and the consumer works.
        try consumer.subscribe(pattern: "\(topic)|nothing-else")
        let records = try Self.pollAll([consumer]) { !$0.isEmpty }
        #expect(records.map(\.topic) == [topic])

        // A member switching to an invalid pattern gets the error too (from a heartbeat), keeps
        // its partitions (the coordinator refused the change) and recovers by resubscribing.
        try consumer.subscribe(pattern: "[unclosed")
        guard let again = Self.invalidRegexMessage(consumer) else { return }
        #expect(again.contains("[unclosed"), "\(again)")
        #expect(consumer.assignment == [TopicPartition(topic: topic, partition: 0)])
        let other = TestCluster.uniqueTopic("rx-other")
        try Self.topicWithRecords(cluster, other, count: 2)
        try consumer.subscribe(pattern: other)
        let moved = try Self.pollAll([consumer]) { $0.count >= 2 }
        #expect(moved.map(\.topic) == [other, other])
        #expect(consumer.assignment == [TopicPartition(topic: other, partition: 0)])
    }

    @Test func aPatternNeedsTheConsumerProtocol() throws {
        let bootstrap = ClientConfig(bootstrapServers: [HostPort(host: "127.0.0.1", port: 1)])
        let classic = try KafkaConsumer(config: bootstrap, consumerConfig: Self.config(group: "g", .classic))
        defer { classic.close() }
        #expect {
            try classic.subscribe(pattern: "orders-.*")
        } throws: { error in
            guard case KafkaClientError.invalidArgument(let message) = error else { return false }
            return message.contains("consumer group protocol")
        }
        #expect(classic.subscriptionPattern == nil)

        // `.auto` decides at the first poll; a coordinator that speaks only the classic
        // protocol is simulated by recording that decision (the test broker serves KIP-848).
        let auto = try KafkaConsumer(config: bootstrap, consumerConfig: Self.config(group: "g", .auto))
        defer { auto.close() }
        try auto.subscribe(pattern: "orders-.*")
        #expect(throws: KafkaClientError.self) { try auto.assign([TopicPartition(topic: "orders-eu", partition: 0)]) }
        auto.state.withLock { $0.activeProtocol = .classic }
        #expect {
            _ = try auto.poll(timeoutMs: 1_000)
        } throws: { error in
            guard case KafkaClientError.unsupported(.consumerGroupHeartbeat, let reason) = error else { return false }
            return reason.contains("consumer group protocol")
        }
        auto.unsubscribe()
        #expect(auto.subscriptionPattern == nil)
        #expect(throws: KafkaClientError.self) { try auto.subscribe(pattern: "orders-.*") }
    }
}
