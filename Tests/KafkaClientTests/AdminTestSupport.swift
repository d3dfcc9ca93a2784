import KafkaClient
import KafkaProtocol
import KafkaRecords
import Testing

// Helpers the admin client tests share: they produce data and form groups with raw requests,
// so the tests do not depend on the client's producer or consumer.

/// The error `body` throws, or nil.
func caught<T>(_ body: () throws(KafkaClientError) -> T) -> KafkaClientError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// The broker error code `body` fails with, or nil (success or another kind of error).
func brokerCode<T>(_ body: () throws(KafkaClientError) -> T) -> ErrorCode? {
    guard case .broker(let code, _)? = caught(body) else { return nil }
    return code
}

/// Appends one batch with a record per timestamp to a partition (raw Produce, acks = all).
func produce(_ cluster: KafkaCluster, topic: String, partition: Int32, timestamps: [Int64]) throws {
    var builder = RecordBatchBuilder()
    for (index, timestamp) in timestamps.enumerated() {
        builder.append(RecordInput(key: nil, value: Array("value-\(index)".utf8), timestamp: timestamp))
    }
    let request = ProduceRequest(acks: -1, timeoutMs: 5_000, topicData: [
        .init(name: topic, partitionData: [.init(index: partition, records: .inline(builder.build()))]),
    ])
    let connection = try cluster.leader(topic: topic, partition: partition, purpose: "test-produce")
    let response = try connection.send(request).0
    #expect(response.responses.first?.partitionResponses.first?.errorCode == ErrorCode.none)
}

/// The group's committed offsets: `committedOffsets(group:)`, except on
/// Tansu, which cannot list every committed offset of a group (OffsetFetch with topics =
/// null), where those of `partitions` are read with a raw OffsetFetch naming them.
func committed(_ admin: KafkaAdmin, group: String, _ partitions: [TopicPartition]) throws -> [TopicPartition: Int64] {
    guard TestCluster.kind == "tansu" else {
        return try admin.committedOffsets(group: group)
    }
    let topics = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, entries in
        OffsetFetchRequest.Topic(name: topic, partitionIndexes: entries.map(\.partition).sorted())
    }
    let response = try admin.cluster.coordinator(group: group, purpose: "test-offset-fetch").send(OffsetFetchRequest(groupId: group, topics: topics)).0
    #expect(response.errorCode == ErrorCode.none)
    var offsets: [TopicPartition: Int64] = [:]
    for topic in response.topics {
        for partition in topic.partitions where partition.committedOffset >= 0 {
            #expect(partition.errorCode == ErrorCode.none)
            offsets[TopicPartition(topic: topic.name, partition: partition.partitionIndex)] = partition.committedOffset
        }
    }
    return offsets
}

/// Commits offsets as a non-member (raw OffsetCommit, generation −1, empty member id).
func commitRaw(_ cluster: KafkaCluster, group: String, offsets: [TopicPartition: Int64]) throws {
    let topics = Dictionary(grouping: offsets.sorted { $0.key < $1.key }, by: \.key.topic).sorted { $0.key < $1.key }.map { topic, entries in
        OffsetCommitRequest.Topic(name: topic, partitions: entries.map { .init(partitionIndex: $0.key.partition, committedOffset: $0.value) })
    }
    let request = OffsetCommitRequest(groupId: group, generationIdOrMemberEpoch: -1, memberId: "", topics: topics)
    let response = try cluster.coordinator(group: group, purpose: "test-commit").send(request).0
    for topic in response.topics {
        for partition in topic.partitions { #expect(partition.errorCode == ErrorCode.none) }
    }
}

/// Forms a one-member consumer group with raw JoinGroup (two-step member id) and SyncGroup,
/// assigning `assigned` partitions of `topic`; returns the member id.
func joinAndSync(_ cluster: KafkaCluster, group: String, topic: String, assigned: [Int32]) throws -> String {
    var subscription = ProtocolWriter(flexible: false)
    subscription.writeInt16(0)
    subscription.writeArray([topic]) { w, name in w.writeString(name) }
    subscription.writeNullableBytes(nil)
    let connection = try cluster.coordinator(group: group, purpose: "test-member")
    // Tansu 0.6 answers the JoinGroup of a new group only after half the session timeout
    // (whatever the rebalance timeout): 10 s keeps that at 5 s, longer than the rest of the
    // test needs without heartbeats, and the request timeout covers it.
    let sessionTimeoutMs: Int32 = TestCluster.kind == "tansu" ? 10_000 : 30_000
    var join = JoinGroupRequest(groupId: group, sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: 10_000, memberId: "",
                                protocolType: "consumer", protocols: [.init(name: "range", metadata: subscription.encoded)])
    var joined = try connection.send(join, timeoutMs: 20_000).0
    if joined.errorCode == .memberIdRequired {
        join.memberId = joined.memberId
        joined = try connection.send(join, timeoutMs: 20_000).0
    }
    #expect(joined.errorCode == ErrorCode.none)
    #expect(joined.leader == joined.memberId)

    // Assignment v1 with user data, so the decoder must skip trailing fields.
    var assignment = ProtocolWriter(flexible: false)
    assignment.writeInt16(1)
    assignment.writeArray([topic]) { w, name in
        w.writeString(name)
        w.writeArray(assigned) { w, partition in w.writeInt32(partition) }
    }
    assignment.writeNullableBytes([1, 2, 3])
    let sync = SyncGroupRequest(groupId: group, generationId: joined.generationId, memberId: joined.memberId,
                                assignments: [.init(memberId: joined.memberId, assignment: assignment.encoded)])
    let synced = try connection.send(sync).0
    #expect(synced.errorCode == ErrorCode.none)
    #expect(synced.assignment == assignment.encoded)
    return joined.memberId
}
