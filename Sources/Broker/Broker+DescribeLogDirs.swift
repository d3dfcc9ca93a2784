import KafkaProtocol
import LogStorage
import SystemIO

extension Broker {
    /// DescribeLogDirs v0–4 (Kafka's `ReplicaManager.describeLogDirs`; Kafka 4 dropped v0, which
    /// has v1's layout and is served for kafka-python). One log directory: the data directory,
    /// named by its absolute path. `topics == nil` selects every partition; otherwise only the
    /// listed partitions that exist appear (unknown ones are left out, not errors). Per
    /// partition: the bytes of its segments, offset lag 0 (the only replica is the leader) and
    /// no future replica. Topics are sorted by name, partitions by index; topics with nothing
    /// selected are left out. v4 adds the volume's total and usable bytes (`statvfs`), -1
    /// when they cannot be read.
    func handleDescribeLogDirs(_ request: DescribeLogDirsRequest, version: Int16, context: RequestContext) -> DescribeLogDirsResponse {
        // Kafka: DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED and no directories.
        guard isAuthorizedOnCluster(context, .describe) else {
            return DescribeLogDirsResponse(throttleTimeMs: 0, errorCode: .clusterAuthorizationFailed, results: [])
        }
        let wanted: Set<PartitionKey>? = request.topics.map { topics in
            Set(topics.flatMap { topic in topic.partitions.map { PartitionKey(topic: topic.topic, partition: $0) } })
        }
        var byTopic: [String: [DescribeLogDirsResponse.DescribeLogDirsPartition]] = [:]
        for (topic, partition, log) in store.allPartitions {
            if let wanted, !wanted.contains(PartitionKey(topic: topic, partition: partition)) { continue }
            byTopic[topic, default: []].append(.init(partitionIndex: partition, partitionSize: log.sizeInBytes, offsetLag: 0, isFutureKey: false))
        }
        let topics = byTopic.keys.sorted().map { name in
            DescribeLogDirsResponse.DescribeLogDirsTopic(name: name, partitions: (byTopic[name] ?? []).sorted { $0.partitionIndex < $1.partitionIndex })
        }
        var result = DescribeLogDirsResponse.DescribeLogDirsResult(errorCode: .none, logDir: logDirectory, topics: topics)
        if version >= 4, let space = try? VolumeSpace.of(store.dataDirectory) {
            result.totalBytes = space.totalBytes
            result.usableBytes = space.usableBytes
        }
        return DescribeLogDirsResponse(throttleTimeMs: 0, errorCode: .none, results: [result])
    }

    /// A topic partition as a set element.
    private struct PartitionKey: Hashable {
        var topic: String
        var partition: Int32
    }
}
