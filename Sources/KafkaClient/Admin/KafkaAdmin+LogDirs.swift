import KafkaProtocol

extension KafkaAdmin {
    /// Every broker's log directories with the replicas stored in each (DescribeLogDirs, one
    /// request per broker), sorted by broker and path.
    ///
    /// - Parameter topics: report only these topics' replicas (every partition of each); nil
    ///   reports every replica. Directories are listed either way.
    /// - Throws: `.unknownTopic` for a named topic that does not exist, `.unsupported` when a
    ///   broker lacks DescribeLogDirs, `.broker(code, ...)` for a request-level refusal.
    public func describeLogDirs(topics: [String]? = nil) throws(KafkaClientError) -> [LogDirDescription] {
        try cluster.withRetries("DescribeLogDirs") { () throws(KafkaClientError) -> [LogDirDescription] in
            var wanted: [DescribeLogDirsRequest.DescribableLogDirTopic]?
            if let topics {
                let names = Set(topics).sorted()
                if let empty = names.first(where: \.isEmpty) { throw .invalidArgument("the topic name must not be empty, got \(empty.debugDescription)") }
                let known = try cluster.refreshMetadata(topics: names)
                wanted = try names.map { name throws(KafkaClientError) in
                    guard let info = known[name] else { throw .unknownTopic(name) }
                    return .init(topic: name, partitions: Array(0..<info.partitionCount))
                }
            } else {
                try cluster.refreshMetadata(topics: [])
            }
            var directories: [LogDirDescription] = []
            for broker in cluster.brokers {
                let connection = try cluster.connection(node: broker.nodeId, purpose: Self.purpose)
                let version = try negotiatedVersion(.describeLogDirs, on: connection, for: "describing log directories")
                let response = try connection.send(DescribeLogDirsRequest(topics: wanted), version: version).0
                guard response.errorCode == .none else {
                    throw .broker(response.errorCode, context: "describe the log directories of broker \(broker.nodeId)")
                }
                for result in response.results {
                    let replicas = result.topics.flatMap { topic in
                        topic.partitions.map {
                            LogDirDescription.Replica(partition: TopicPartition(topic: topic.name, partition: $0.partitionIndex),
                                                      sizeBytes: $0.partitionSize, offsetLag: $0.offsetLag, isFuture: $0.isFutureKey)
                        }
                    }
                    directories.append(LogDirDescription(
                        brokerId: broker.nodeId, path: result.logDir, errorCode: result.errorCode,
                        totalBytes: version >= 4 && result.totalBytes >= 0 ? result.totalBytes : nil,
                        usableBytes: version >= 4 && result.usableBytes >= 0 ? result.usableBytes : nil,
                        isCordoned: result.isCordoned, replicas: replicas))
                }
            }
            return directories.sorted { ($0.brokerId, $0.path) < ($1.brokerId, $1.path) }
        }
    }
}
