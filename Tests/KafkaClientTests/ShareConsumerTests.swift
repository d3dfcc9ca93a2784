@testable import KafkaClient
import KafkaProtocol
import KafkaRecords
import SystemIO
import Testing

/// `ShareConsumer` end to end against the in-process kaffeed (started with share groups on),
/// plus offline tests of acknowledgement batching and acquired-range decoding.
///
/// The live tests run only against kaffeed: Tansu has no share groups (KIP-932), and Kafka
/// brokers need `group.share.enable` and a share-group-enabled coordinator, which
/// `scripts/test-client-against` does not configure.
@Suite(.serialized) struct ShareConsumerTests {
    static let live = TestCluster.kind == "kaffeed"

    /// A 1-partition topic holding `batches` batches of `perBatch` records ("value-0", ... per
    /// batch) and a share group reading it from the start (share.auto.offset.reset=earliest).
    static func queue(_ cluster: TestCluster, batches: Int, perBatch: Int) throws -> (topic: String, group: String) {
        let topic = TestCluster.uniqueTopic("share-queue")
        let group = TestCluster.uniqueTopic("share-group")
        let admin = KafkaAdmin(config: cluster.clientConfig("share-admin"))
        defer { admin.close() }
        try admin.createTopic(name: topic, partitions: 1)
        try admin.incrementalAlterConfigs(.group(group), [.set("share.auto.offset.reset", "earliest")])
        let raw = KafkaCluster(config: cluster.clientConfig("share-produce"))
        defer { raw.close() }
        for _ in 0..<batches {
            try produce(raw, topic: topic, partition: 0, timestamps: Array(repeating: 1_700_000_000_000, count: perBatch))
        }
        return (topic, group)
    }

    static func consumer(_ cluster: TestCluster, group: String, topic: String, mode: ShareConsumerConfig.AcknowledgementMode = .implicit,
                         maxPollRecords: Int = 500) throws -> ShareConsumer {
        var config = ShareConsumerConfig(client: cluster.clientConfig("share-consumer"), groupId: group)
        config.acknowledgementMode = mode
        config.maxPollRecords = maxPollRecords
        config.fetchMaxWaitMs = 100
        let consumer = try ShareConsumer(config: config)
        try consumer.subscribe([topic])
        return consumer
    }

    /// Polls until `count` records arrived or 15 s passed.
    static func poll(_ consumer: ShareConsumer, until count: Int) throws -> [ShareRecord] {
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + 15_000_000_000
        var records: [ShareRecord] = []
        while records.count < count && clock.monotonicNanos() < deadline {
            records += try consumer.poll(timeoutMs: 200)
        }
        return records
    }

    @Test(.enabled(if: live, "share groups need kaffeed (Tansu has none)"))
    func twoConsumersTogetherReceiveEveryRecordExactlyOnce() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let (topic, group) = try Self.queue(cluster, batches: 20, perBatch: 5)
        let first = try Self.consumer(cluster, group: group, topic: topic, maxPollRecords: 5)
        let second = try Self.consumer(cluster, group: group, topic: topic, maxPollRecords: 5)
        defer { first.close(); second.close() }
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + 20_000_000_000
        var offsets: [Int64] = []
        var perConsumer = [0, 0]
        while offsets.count < 100 && clock.monotonicNanos() < deadline {
            for (index, consumer) in [first, second].enumerated() {
                let records = try consumer.poll(timeoutMs: 100)
                #expect(records.allSatisfy { $0.deliveryCount == 1 && $0.topic == topic && $0.partition == 0 })
                offsets += records.map(\.offset)
                perConsumer[index] += records.count
            }
        }
        try first.commitSync()
        try second.commitSync()
        #expect(offsets.sorted() == Array(0..<100))
        #expect(perConsumer[0] > 0 && perConsumer[1] > 0, "both consumers got records: \(perConsumer)")
        // Everything was accepted: nothing comes back.
        #expect(try first.poll(timeoutMs: 300).isEmpty)
        #expect(try second.poll(timeoutMs: 300).isEmpty)
    }

    @Test(.enabled(if: live, "share groups need kaffeed (Tansu has none)"))
    func explicitReleaseRedeliversAndRejectDoesNot() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let (topic, group) = try Self.queue(cluster, batches: 1, perBatch: 3)
        let consumer = try Self.consumer(cluster, group: group, topic: topic, mode: .explicit)
        defer { consumer.close() }
        let records = try Self.poll(consumer, until: 3)
        #expect(records.map(\.offset) == [0, 1, 2])
        #expect(records.map(\.deliveryCount) == [1, 1, 1])
        #expect(records.map { $0.value.map { String(decoding: $0, as: UTF8.self) } } == ["value-0", "value-1", "value-2"])
        guard records.count == 3 else { return }
        try consumer.acknowledge(records[0], type: .release)
        try consumer.acknowledge(records[1], type: .reject)
        try consumer.acknowledge(records[2], type: .accept)
        #expect(caught { () throws(KafkaClientError) in try consumer.acknowledge(records[2], type: .accept) } != nil)
        #expect(try consumer.commitSync().isEmpty)

        let again = try Self.poll(consumer, until: 1)
        #expect(again.map(\.offset) == [0])
        #expect(again.first?.deliveryCount == 2)
        if let record = again.first { try consumer.acknowledge(record, type: .accept) }
        #expect(try consumer.commitSync().isEmpty)
        #expect(try consumer.poll(timeoutMs: 300).isEmpty)
    }

    @Test(.enabled(if: live, "share groups need kaffeed (Tansu has none)"))
    func closeReleasesUnacknowledgedRecordsToTheNextMember() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let (topic, group) = try Self.queue(cluster, batches: 1, perBatch: 2)
        let first = try Self.consumer(cluster, group: group, topic: topic, mode: .explicit)
        #expect(try Self.poll(first, until: 2).count == 2)
        first.close()
        #expect(caught { () throws(KafkaClientError) in try first.poll(timeoutMs: 10) } == .closed)
        let second = try Self.consumer(cluster, group: group, topic: topic)
        defer { second.close() }
        let records = try Self.poll(second, until: 2)
        #expect(records.map(\.offset) == [0, 1])
        #expect(records.map(\.deliveryCount) == [2, 2])
    }

    @Test(.enabled(if: live, "share groups need kaffeed (Tansu has none)"))
    func heartbeatsKeepTheMemberAliveBetweenPolls() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let (topic, group) = try Self.queue(cluster, batches: 2, perBatch: 1)
        let admin = KafkaAdmin(config: cluster.clientConfig("share-admin"))
        defer { admin.close() }
        try admin.incrementalAlterConfigs(.group(group), [.set("share.session.timeout.ms", "1500"), .set("share.heartbeat.interval.ms", "200")])
        let consumer = try Self.consumer(cluster, group: group, topic: topic, maxPollRecords: 1)
        defer { consumer.close() }
        #expect(try Self.poll(consumer, until: 1).map(\.offset) == [0])
        // A member that joins and never heartbeats again: the control.
        let silent = ShareGroupHeartbeatRequest(groupId: group, memberId: "silent-member-0000000000", memberEpoch: 0, subscribedTopicNames: [topic])
        #expect(try admin.cluster.coordinator(group: group, purpose: "test-silent").send(silent).0.errorCode == ErrorCode.none)
        #expect(try admin.describeShareGroup(group).members.count == 2)
        KafkaCluster.sleep(milliseconds: 3_500)
        let members = try admin.describeShareGroup(group).members
        #expect(members.map(\.memberId) == [consumer.memberId])
        #expect(members.first?.assignment == [TopicPartition(topic: topic, partition: 0)])
        #expect(try Self.poll(consumer, until: 1).map(\.offset) == [1])
        #expect(try admin.shareGroupOffsets(group: group) == [ShareGroupPartitionOffset(topic: topic, partition: 0, startOffset: 1, lag: 1)])
    }

    @Test(.enabled(if: live, "share groups need kaffeed (Tansu has none)"))
    func aMemberRemovedByTheCoordinatorRejoinsAndGetsItsRecordsAgain() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let (topic, group) = try Self.queue(cluster, batches: 2, perBatch: 1)
        let consumer = try Self.consumer(cluster, group: group, topic: topic, maxPollRecords: 1)
        defer { consumer.close() }
        #expect(try Self.poll(consumer, until: 1).map(\.offset) == [0])
        // Someone else makes the coordinator drop this member (as a session timeout would).
        let raw = KafkaCluster(config: cluster.clientConfig("share-raw"))
        defer { raw.close() }
        let leave = ShareGroupHeartbeatRequest(groupId: group, memberId: consumer.memberId, memberEpoch: -1)
        #expect(try raw.coordinator(group: group, purpose: "test-leave").send(leave).0.errorCode == ErrorCode.none)
        var seen: [Int64: Int16] = [:]
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + 15_000_000_000
        while seen.count < 2 && clock.monotonicNanos() < deadline {
            for record in try consumer.poll(timeoutMs: 200) { seen[record.offset] = record.deliveryCount }
        }
        #expect(seen == [0: 2, 1: 1])
        #expect(consumer.memberEpoch > 0)
    }

    // MARK: offline

    @Test func acknowledgementsBecomeContiguousBatches() {
        var acks = ShareAcknowledgements()
        let partition = TopicPartition(topic: "t", partition: 0)
        for offset: Int64 in [0, 1, 2, 5] { acks.add(partition, offset: offset, type: .accept) }
        acks.add(partition, offset: 6, type: .release)
        acks.addGap(partition, offset: 7)
        let batches = acks.takeAll()[partition]
        #expect(batches == [
            .init(firstOffset: 0, lastOffset: 2, types: [1]),
            .init(firstOffset: 5, lastOffset: 7, types: [1, 2, 0]),
        ])
        #expect(acks.isEmpty)
    }

    @Test func onlyRecordsInsideAcquiredRangesAreReturned() throws {
        var builder = RecordBatchBuilder()
        for index in 0..<6 { builder.append(RecordInput(key: nil, value: [UInt8(index)], timestamp: 1)) }
        let bytes = builder.build()
        let decoded = try ShareRecordsDecoder.decode(bytes, topic: "t", partition: 0, acquired: [
            .init(firstOffset: 1, lastOffset: 2, deliveryCount: 1), .init(firstOffset: 4, lastOffset: 4, deliveryCount: 3),
        ])
        #expect(decoded.records.map(\.offset) == [1, 2, 4])
        #expect(decoded.records.map(\.deliveryCount) == [1, 1, 3])
        #expect(decoded.gaps.isEmpty)
    }

    @Test func recordsOutsideTheAcquiredRangesAreSkippedUnread() throws {
        // Two batches, offsets 0-5 and 6-8; the member acquired only offset 7 and 8...9.
        var first = RecordBatchBuilder()
        for index in 0..<6 { first.append(RecordInput(key: nil, value: [UInt8(index)], timestamp: 1)) }
        var second = RecordBatchBuilder()
        for index in 6..<9 { second.append(RecordInput(key: nil, value: [UInt8(index)], timestamp: 1)) }
        var secondBytes = second.build()
        secondBytes.withUnsafeMutableBytes { RecordBatchHeader.rewrite(baseOffset: 6, partitionLeaderEpoch: 0, in: $0) }
        let decoded = try ShareRecordsDecoder.decode(first.build() + secondBytes, topic: "t", partition: 0, acquired: [
            .init(firstOffset: 7, lastOffset: 7, deliveryCount: 2), .init(firstOffset: 8, lastOffset: 9, deliveryCount: 1),
        ])
        #expect(decoded.records.map(\.offset) == [7, 8])
        #expect(decoded.records.map(\.value) == [[7], [8]])
        #expect(decoded.records.map(\.deliveryCount) == [2, 1])
        // Offset 9 lies past the data: not a gap, it stays locked and comes back later.
        #expect(decoded.gaps.isEmpty)
    }

    @Test func configValidation() {
        var config = ShareConsumerConfig(bootstrapServers: [], groupId: "g")
        #expect(caught { () throws(KafkaClientError) in try ShareConsumer(config: config) } != nil)
        config = ShareConsumerConfig(client: ClientConfig(bootstrapServers: ClientConfig.parseBrokers("localhost:1") ?? []), groupId: "")
        #expect(caught { () throws(KafkaClientError) in try ShareConsumer(config: config) } != nil)
        #expect(AcknowledgeType(name: "reject") == .reject)
        #expect(ShareConsumer.newMemberId().count == 22)
    }
}
