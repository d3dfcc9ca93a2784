import KafkaProtocol

/// ListOffsets for a consumer: earliest/latest/by-timestamp offsets of partitions, one request
/// per partition leader (replica id -1, the consumer's isolation level), on the consumer's own "offsets"
/// connections so a seek from another thread never waits behind a long-poll fetch.
///
/// Retriable failures (moved leaders, broken connections) are retried with the cluster's
/// backoff, refreshing the topics' metadata first. Thread-safe (a value holding a thread-safe
/// cluster).
struct OffsetLookup: Sendable {
    /// The connection purpose of ListOffsets requests.
    static let purpose = "consumer-offsets"
    /// ListOffsets query timestamps.
    static let earliest: Int64 = -2
    /// See `earliest`.
    static let latest: Int64 = -1

    /// Metadata and pooled leader connections.
    let cluster: KafkaCluster
    /// ListOffsets isolation level (0 read_uncommitted; 1 read_committed, where "latest" is
    /// the last stable offset).
    var isolationLevel: Int8 = 0

    /// Offset per partition for each query (`earliest`, `latest`, or a timestamp in ms: the
    /// first offset whose timestamp is ≥ it). A timestamp query with no match answers -1.
    func offsets(_ queries: [TopicPartition: Int64]) throws(KafkaClientError) -> [TopicPartition: Int64] {
        guard !queries.isEmpty else { return [:] }
        var attempt = 0
        return try cluster.withRetries("ListOffsets") { () throws(KafkaClientError) -> [TopicPartition: Int64] in
            attempt += 1
            var byLeader: [Int32: [TopicPartition]] = [:]
            var refreshed: Set<String> = []
            for partition in queries.keys.sorted() {
                let refresh = attempt > 1 && refreshed.insert(partition.topic).inserted
                let info = try cluster.topic(partition.topic, refresh: refresh)
                guard partition.partition >= 0 && partition.partition < info.partitionCount else {
                    throw .unknownPartition(topic: partition.topic, partition: partition.partition)
                }
                let leader = info.leaders[Int(partition.partition)]
                guard leader >= 0 else { throw .broker(.leaderNotAvailable, context: "ListOffsets for \(partition)") }
                byLeader[leader, default: []].append(partition)
            }
            var result: [TopicPartition: Int64] = [:]
            for (leader, partitions) in byLeader.sorted(by: { $0.key < $1.key }) {
                let byTopic = Dictionary(grouping: partitions, by: \.topic)
                let request = ListOffsetsRequest(replicaId: -1, isolationLevel: isolationLevel, topics: byTopic.keys.sorted().map { topic in
                    ListOffsetsRequest.ListOffsetsTopic(name: topic, partitions: (byTopic[topic] ?? []).map { partition in
                        ListOffsetsRequest.ListOffsetsPartition(partitionIndex: partition.partition, timestamp: queries[partition] ?? Self.latest)
                    })
                })
                let connection = try cluster.connection(node: leader, purpose: Self.purpose)
                let (response, version) = try connection.send(request)
                for topic in response.topics {
                    for answer in topic.partitions {
                        let key = TopicPartition(topic: topic.name, partition: answer.partitionIndex)
                        guard answer.errorCode == .none else {
                            throw .broker(answer.errorCode, context: "ListOffsets for \(key) on broker \(leader)")
                        }
                        result[key] = version == 0 ? (answer.oldStyleOffsets.first ?? -1) : answer.offset
                    }
                }
                for partition in partitions where result[partition] == nil {
                    throw .connection(address: connection.address.description, reason: "ListOffsets answer does not mention \(partition)")
                }
            }
            return result
        }
    }
}
