import KafkaProtocol
import LogStorage

extension Broker {
    typealias DescribedConfig = DescribeConfigsResponse.DescribeConfigsResourceResult

    /// Kafka's default text for INVALID_REQUEST, used where Kafka fails a whole request.
    static let invalidRequestText = "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details."

    /// DescribeConfigs v0–4 for topics (2), this broker (4: its id, or "" for the cluster-wide
    /// dynamic defaults) and groups (32): each entry's effective value, source, synonyms (when
    /// asked), type and documentation (when asked), as Kafka 4 answers. An unsupported resource
    /// type fails every resource of the request, as in Kafka.
    ///
    /// Authorization (Kafka's `ConfigHelper`): DESCRIBE_CONFIGS on the topic, on the cluster for
    /// broker resources, on the group for group resources; else TOPIC_, CLUSTER_ or
    /// GROUP_AUTHORIZATION_FAILED with no configs (answered after the authorized resources).
    func handleDescribeConfigs(_ request: DescribeConfigsRequest, version: Int16, context: RequestContext) -> DescribeConfigsResponse {
        let supported: Set<Int8> = [ConfigResourceType.topic.rawValue, ConfigResourceType.broker.rawValue, ConfigResourceType.group.rawValue]
        if request.resources.contains(where: { !supported.contains($0.resourceType) }) {
            return DescribeConfigsResponse(results: request.resources.map {
                .init(errorCode: .invalidRequest, errorMessage: Self.invalidRequestText, resourceType: $0.resourceType, resourceName: $0.resourceName)
            })
        }
        let dynamic = currentDynamicConfigs
        let layers = layers(for: dynamic)
        var refused: [DescribeConfigsResponse.DescribeConfigsResult] = []
        let permitted = request.resources.filter { resource in
            guard let type = Self.configAclResource(resource.resourceType) else { return true }
            if isAuthorized(context, .describeConfigs, type, type == .cluster ? AclResourceType.clusterName : resource.resourceName) { return true }
            let code = Self.authorizationError(type)
            refused.append(.init(errorCode: code, errorMessage: Self.authorizationMessage(code), resourceType: resource.resourceType,
                                 resourceName: resource.resourceName, configs: []))
            return false
        }
        let results = permitted.map { resource -> DescribeConfigsResponse.DescribeConfigsResult in
            var result = DescribeConfigsResponse.DescribeConfigsResult(resourceType: resource.resourceType, resourceName: resource.resourceName)
            let entries: [(ResolvedConfig, readOnly: Bool, sensitive: Bool)]
            switch ConfigResourceType(rawValue: resource.resourceType) {
            case .topic:
                if let problem = Self.topicNameProblem(resource.resourceName) {
                    result.errorCode = .invalidTopicException
                    result.errorMessage = problem
                    return result
                }
                guard let metadata = store.topic(resource.resourceName) else {
                    result.errorCode = .unknownTopicOrPartition
                    return result
                }
                entries = metadata.config.resolveAll(layers: layers).map { ($0, false, false) }
            case .broker:
                if let problem = brokerResourceProblem(resource.resourceName) {
                    result.errorCode = .invalidRequest
                    result.errorMessage = problem
                    return result
                }
                if resource.resourceName.isEmpty {
                    // The cluster-wide defaults set at run time, and nothing else.
                    entries = dynamic.brokerDefault.sorted { $0.key < $1.key }.map { name, value in
                        let entry = BrokerConfigDefinitions.definition(name)
                        let resolved = ResolvedConfig(name: name, value: value, source: .dynamicDefaultBroker,
                                                      synonyms: [ConfigSynonym(name: name, value: value, source: .dynamicDefaultBroker)],
                                                      type: entry?.definition.type ?? .unknown, documentation: entry?.definition.documentation ?? "")
                        return (resolved, !(entry?.isDynamic ?? false), entry?.definition.isSensitive ?? false)
                    }
                } else {
                    entries = BrokerConfigDefinitions.all.map { entry in
                        (resolveBrokerConfig(entry, layers: layers), !entry.isDynamic, entry.definition.isSensitive)
                    }
                }
            case .group:
                guard !resource.resourceName.isEmpty else {
                    result.errorCode = .invalidRequest
                    result.errorMessage = "Group name must not be empty"
                    return result
                }
                entries = resolveGroupConfigs(resource.resourceName, dynamic: dynamic).map { ($0, false, false) }
            default:
                return result  // unreachable: checked above
            }
            let wanted = resource.configurationKeys.flatMap { $0.isEmpty ? nil : Set($0) }
            result.configs = entries.filter { wanted?.contains($0.0.name) ?? true }.map { resolved, readOnly, sensitive in
                describedConfig(resolved, readOnly: readOnly, sensitive: sensitive, request: request)
            }
            return result
        }
        return DescribeConfigsResponse(throttleTimeMs: 0, results: results + refused)
    }

    /// One entry as DescribeConfigs returns it (synonyms and documentation only when asked).
    private func describedConfig(_ resolved: ResolvedConfig, readOnly: Bool, sensitive: Bool, request: DescribeConfigsRequest) -> DescribedConfig {
        DescribedConfig(
            name: resolved.name, value: sensitive ? nil : resolved.value, readOnly: readOnly,
            isDefault: resolved.source == .default, configSource: resolved.source.rawValue, isSensitive: sensitive,
            synonyms: request.includeSynonyms ? resolved.synonyms.map {
                .init(name: $0.name, value: sensitive ? nil : $0.value, source: $0.source.rawValue)
            } : [],
            configType: resolved.type.rawValue,
            documentation: request.includeDocumentation ? resolved.documentation : nil)
    }

    /// Kafka's message for an invalid topic name (`Topic.validate`), or nil for a valid one.
    static func topicNameProblem(_ name: String) -> String? {
        guard !TopicMetadata.isValidName(name) else { return nil }
        let reason: String
        if name.isEmpty { reason = "the empty string is not allowed" }
        else if name == "." || name == ".." { reason = "'\(name)' is not allowed" }
        else if name.utf16.count > 249 { reason = "the length of '\(name)' is longer than the max allowed length 249" }
        else { reason = "'\(name)' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'" }
        return "Topic name is invalid: \(reason)"
    }

    /// Kafka's refusal of a BROKER resource name that is neither "" nor this broker's id.
    func brokerResourceProblem(_ name: String) -> String? {
        guard !name.isEmpty else { return nil }
        guard let id = Int32(name) else { return "Broker id must be an integer, but it is: \(name)" }
        guard id == config.nodeId else { return "Unexpected broker id, expected \(config.nodeId) or empty string, but received \(name)" }
        return nil
    }
}
