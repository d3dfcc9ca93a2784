import KafkaProtocol
import LogStorage

extension Broker {
    /// CreateTopics v0–7: one result per requested topic; -1 partitions / replication factor
    /// mean the broker's defaults; replication factor above 1 is refused (one broker).
    func handleCreateTopics(_ request: CreateTopicsRequest, version: Int16) -> CreateTopicsResponse {
        var results: [CreateTopicsResponse.CreatableTopicResult] = []
        var seen = Set<String>()
        for topic in request.topics {
            var result = CreateTopicsResponse.CreatableTopicResult(name: topic.name)
            func fail(_ code: ErrorCode, _ message: String) {
                result.errorCode = code
                result.errorMessage = message
                results.append(result)
            }
            guard seen.insert(topic.name).inserted else {
                fail(.invalidRequest, "topic \(topic.name) appears more than once in the request")
                continue
            }
            guard TopicMetadata.isValidName(topic.name) else {
                fail(.invalidTopicException, "invalid topic name \(topic.name.debugDescription)")
                continue
            }
            let partitions = !topic.assignments.isEmpty ? Int32(topic.assignments.count)
                : (topic.numPartitions == -1 ? config.defaultPartitions : topic.numPartitions)
            guard partitions > 0 else {
                fail(.invalidPartitions, "number of partitions must be larger than 0, got \(topic.numPartitions)")
                continue
            }
            guard topic.replicationFactor == -1 || topic.replicationFactor == 1 || !topic.assignments.isEmpty else {
                fail(.invalidReplicationFactor, "replication factor must be 1 on a single broker, got \(topic.replicationFactor)")
                continue
            }
            var topicConfig = config.topicConfig(partitions: partitions)
            var badConfig: String?
            for entry in topic.configs {
                guard let value = entry.value else { continue }
                do { try topicConfig.set(entry.name, value) } catch { badConfig = "\(error)"; break }
            }
            if let badConfig {
                fail(.invalidConfig, badConfig)
                continue
            }
            if store.topic(topic.name) != nil {
                fail(.topicAlreadyExists, "topic \(topic.name) already exists")
                continue
            }
            var metadata = TopicMetadata(name: topic.name, id: [UInt8](repeating: 0, count: 16), config: topicConfig)
            if !request.validateOnly {
                do {
                    metadata = try store.createTopic(topic.name, config: topicConfig)
                } catch {
                    fail(errorCode(for: error), "\(error)")
                    continue
                }
            }
            result.topicId = metadata.id
            result.numPartitions = partitions
            result.replicationFactor = 1
            result.configs = describeConfigEntries(topicConfig).map { entry in
                CreateTopicsResponse.CreatableTopicConfigs(name: entry.name, value: entry.value, readOnly: false,
                                                          configSource: entry.isDefault ? 5 : 1, isSensitive: false)
            }
            results.append(result)
        }
        return CreateTopicsResponse(throttleTimeMs: 0, topics: results)
    }

    /// Every config entry of a topic and whether it still has the broker's default value.
    func describeConfigEntries(_ topicConfig: TopicConfig) -> [(name: String, value: String, isDefault: Bool)] {
        let defaults = Dictionary(uniqueKeysWithValues: config.topicConfig(partitions: 1).entries.map { ($0.key, $0.value) })
        return topicConfig.entries.map { ($0.key, $0.value, defaults[$0.key] == $0.value) }
    }
}
