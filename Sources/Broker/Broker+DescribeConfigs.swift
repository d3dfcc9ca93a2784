import KafkaProtocol
import LogStorage

extension Broker {
    static let topicResource: Int8 = 2
    static let brokerResource: Int8 = 4

    /// DescribeConfigs v0–4 for topics (resource type 2) and this broker (4): every config the
    /// topic has, marked default (source 5) or set on the topic (source 1).
    func handleDescribeConfigs(_ request: DescribeConfigsRequest, version: Int16) -> DescribeConfigsResponse {
        let results = request.resources.map { resource -> DescribeConfigsResponse.DescribeConfigsResult in
            var result = DescribeConfigsResponse.DescribeConfigsResult(resourceType: resource.resourceType, resourceName: resource.resourceName)
            let entries: [(name: String, value: String, isDefault: Bool)]
            switch resource.resourceType {
            case Self.topicResource:
                guard let metadata = store.topic(resource.resourceName) else {
                    result.errorCode = .unknownTopicOrPartition
                    result.errorMessage = "unknown topic \(resource.resourceName)"
                    return result
                }
                entries = describeConfigEntries(metadata.config)
            case Self.brokerResource:
                entries = describeConfigEntries(config.topicConfig(partitions: config.defaultPartitions))
            default:
                result.errorCode = .invalidRequest
                result.errorMessage = "unsupported resource type \(resource.resourceType)"
                return result
            }
            let wanted = resource.configurationKeys.map(Set.init)
            result.configs = entries.filter { wanted?.contains($0.name) ?? true }.map { entry in
                DescribeConfigsResponse.DescribeConfigsResourceResult(
                    name: entry.name, value: entry.value, readOnly: resource.resourceType == Self.brokerResource,
                    isDefault: entry.isDefault, configSource: entry.isDefault ? 5 : (resource.resourceType == Self.brokerResource ? 5 : 1),
                    isSensitive: false, synonyms: [], configType: Self.configType(entry.name), documentation: nil)
            }
            return result
        }
        return DescribeConfigsResponse(throttleTimeMs: 0, results: results)
    }

    /// Kafka's ConfigType numbers (v3+): 2 STRING, 5 LONG, 3 INT.
    static func configType(_ name: String) -> Int8 {
        switch name {
        case "cleanup.policy", "durability": 2
        case "segment.bytes", "max.message.bytes", "index.interval.bytes": 3
        default: 5
        }
    }
}
