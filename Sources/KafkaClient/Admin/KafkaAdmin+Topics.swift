import KafkaProtocol

extension KafkaAdmin {
    /// Creates a topic (CreateTopics, sent to the controller).
    ///
    /// - Parameters:
    ///   - partitions: the partition count, or −1 for the broker's default.
    ///   - replicationFactor: replicas per partition, or −1 for the broker's default.
    ///   - configs: topic config overrides, e.g. `["retention.ms": "60000"]`.
    /// - Throws: `.broker(.topicAlreadyExists, ...)` when the topic exists (callers may ignore
    ///   it), `.broker(.invalidTopicException | .invalidPartitions | .invalidReplicationFactor |
    ///   .invalidConfig, ...)` for bad arguments, `.invalidArgument` for an empty name.
    public func createTopic(name: String, partitions: Int32, replicationFactor: Int16 = 1,
                            configs: [String: String] = [:]) throws(KafkaClientError) {
        guard !name.isEmpty else { throw .invalidArgument("the topic name must not be empty") }
        let topic = CreateTopicsRequest.CreatableTopic(
            name: name, numPartitions: partitions, replicationFactor: replicationFactor,
            configs: configs.sorted { $0.key < $1.key }.map { CreateTopicsRequest.CreatableTopicConfig(name: $0.key, value: $0.value) })
        let request = CreateTopicsRequest(topics: [topic], timeoutMs: brokerTimeoutMs)
        try cluster.withRetries("CreateTopics \(name)") { () throws(KafkaClientError) in
            var result = try createTopicsResult(request, name: name)
            if result.errorCode == .notController {
                result = try createTopicsResult(request, name: name)   // the controller moved: once more on the new one
            }
            guard result.errorCode == .none else {
                throw .broker(result.errorCode, context: Self.context("create topic \(name)", result.errorMessage))
            }
        }
        _ = try? cluster.refreshMetadata(topics: [name])
    }

    private func createTopicsResult(_ request: CreateTopicsRequest, name: String) throws(KafkaClientError) -> CreateTopicsResponse.CreatableTopicResult {
        let connection = try controller()
        let response = try connection.send(request).0
        guard let result = response.topics.first(where: { $0.name == name }) else {
            throw .connection(address: connection.address.description, reason: "CreateTopics answer does not mention topic \(name)")
        }
        return result
    }

    /// Deletes a topic (DeleteTopics, sent to the controller).
    /// - Throws: `.unknownTopic` when it does not exist.
    public func deleteTopic(name: String) throws(KafkaClientError) {
        guard !name.isEmpty else { throw .invalidArgument("the topic name must not be empty") }
        // Both lists are filled: v0–5 encode `topicNames`, v6 encodes `topics`.
        let request = DeleteTopicsRequest(topics: [.init(name: name)], topicNames: [name], timeoutMs: brokerTimeoutMs)
        try cluster.withRetries("DeleteTopics \(name)") { () throws(KafkaClientError) in
            var result = try deleteTopicsResult(request, name: name)
            if result.errorCode == .notController {
                result = try deleteTopicsResult(request, name: name)
            }
            switch result.errorCode {
            case .none: return
            case .unknownTopicOrPartition, .unknownTopicId: throw .unknownTopic(name)
            default: throw .broker(result.errorCode, context: Self.context("delete topic \(name)", result.errorMessage))
            }
        }
        _ = try? cluster.refreshMetadata(topics: [name])
    }

    private func deleteTopicsResult(_ request: DeleteTopicsRequest, name: String) throws(KafkaClientError) -> DeleteTopicsResponse.DeletableTopicResult {
        let connection = try controller()
        let response = try connection.send(request).0
        guard let result = response.responses.first(where: { $0.name == name }) ?? (response.responses.count == 1 ? response.responses.first : nil) else {
            throw .connection(address: connection.address.description, reason: "DeleteTopics answer does not mention topic \(name)")
        }
        return result
    }

    /// The names of every non-internal topic, sorted.
    public func listTopics() throws(KafkaClientError) -> [String] {
        try cluster.withRetries("Metadata (all topics)") { () throws(KafkaClientError) -> [String] in
            let response = try anyBroker().send(MetadataRequest(topics: nil, allowAutoTopicCreation: false)).0
            return response.topics.compactMap { topic in
                guard topic.errorCode == .none, !topic.isInternal, let name = topic.name else { return nil }
                return name
            }.sorted()
        }
    }

    /// A topic's id, partitions (leader, replicas, ISR) and configuration (DescribeConfigs).
    /// - Throws: `.unknownTopic` when it does not exist.
    public func describeTopic(name: String) throws(KafkaClientError) -> TopicDescription {
        guard !name.isEmpty else { throw .invalidArgument("the topic name must not be empty") }
        var description = try cluster.withRetries("Metadata \(name)") { () throws(KafkaClientError) -> TopicDescription in
            let request = MetadataRequest(topics: [.init(name: name)], allowAutoTopicCreation: false)
            let response = try anyBroker().send(request).0
            guard let topic = response.topics.first(where: { $0.name == name }) else { throw .unknownTopic(name) }
            switch topic.errorCode {
            case .none: break
            case .unknownTopicOrPartition: throw .unknownTopic(name)
            default: throw .broker(topic.errorCode, context: "describe topic \(name)")
            }
            let partitions = topic.partitions.sorted { $0.partitionIndex < $1.partitionIndex }.map { partition in
                PartitionDescription(partition: partition.partitionIndex, leader: partition.leaderId, leaderEpoch: partition.leaderEpoch,
                                     replicas: partition.replicaNodes, isr: partition.isrNodes, offlineReplicas: partition.offlineReplicas)
            }
            return TopicDescription(name: name, id: topic.topicId, isInternal: topic.isInternal, partitions: partitions, configs: [])
        }
        description.configs = try topicConfigs(name)
        return description
    }

    /// Every config entry of a topic (DescribeConfigs, resource type 2, without synonyms), sorted by name.
    func topicConfigs(_ name: String) throws(KafkaClientError) -> [ConfigEntry] {
        try describeConfigs(.topic(name), includeSynonyms: false)
    }
}
