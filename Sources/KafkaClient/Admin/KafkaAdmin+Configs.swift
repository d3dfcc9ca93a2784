import KafkaProtocol

extension KafkaAdmin {
    /// The configuration of a topic, broker, the cluster-wide broker defaults or a group
    /// (DescribeConfigs), sorted by name. A broker resource is asked of that broker itself;
    /// everything else of any broker.
    ///
    /// - Parameters:
    ///   - keys: only these entries (nil: every entry).
    ///   - includeSynonyms: also report each entry's synonyms (v1+).
    ///   - includeDocumentation: also report each entry's documentation (v3+).
    /// - Throws: `.unknownTopic` for a topic that does not exist, `.broker(code, ...)` with the
    ///   broker's message for other refusals (e.g. a resource type the broker does not serve),
    ///   `.unsupported` when the broker lacks DescribeConfigs.
    public func describeConfigs(_ resource: ConfigResource, keys: [String]? = nil, includeSynonyms: Bool = true,
                                includeDocumentation: Bool = false) throws(KafkaClientError) -> [ConfigEntry] {
        try Self.validate(resource)
        let request = DescribeConfigsRequest(resources: [.init(resourceType: resource.wireType, resourceName: resource.wireName, configurationKeys: keys)],
                                             includeSynonyms: includeSynonyms, includeDocumentation: includeDocumentation)
        return try cluster.withRetries("DescribeConfigs \(resource)") { () throws(KafkaClientError) -> [ConfigEntry] in
            let connection = try configConnection(node: resource.brokerId)
            let version = try negotiatedVersion(.describeConfigs, on: connection, for: "describing configs")
            let response = try connection.send(request, version: version).0
            guard let result = response.results.first(where: { resource.matches(type: $0.resourceType, name: $0.resourceName) })
                    ?? (response.results.count == 1 ? response.results.first : nil) else {
                throw .connection(address: connection.address.description, reason: "DescribeConfigs answer does not mention \(resource)")
            }
            if let failure = Self.resourceError(result.errorCode, result.errorMessage, resource, "describe configs of") { throw failure }
            return result.configs.map { Self.entry($0, version: version, resource: resource) }.sorted { $0.name < $1.name }
        }
    }

    /// Changes individual entries of each resource (IncrementalAlterConfigs), leaving the others
    /// alone. Broker resources go to that broker, the others to any broker; a retriable failure
    /// repeats the destination's request for the resources not yet answered (setting,
    /// deleting, appending a present or subtracting an absent value again changes nothing more).
    ///
    /// - Returns: for each resource, nil when applied (or, with `validateOnly`, accepted), else
    ///   its failure with the broker's message, e.g. `.broker(.invalidConfig, ...)` for an
    ///   unknown key or a bad value, `.unknownTopic` for a topic that does not exist.
    /// - Throws: `.unsupported` when a destination broker lacks IncrementalAlterConfigs (other
    ///   destinations may have applied their changes by then), `.invalidArgument` for an empty
    ///   topic or group name, `.closed`; every other failure is reported per resource.
    public func incrementalAlterConfigs(_ changes: [ConfigResource: [ConfigAlteration]],
                                        validateOnly: Bool = false) throws(KafkaClientError) -> [ConfigResource: KafkaClientError?] {
        try alterByDestination(Array(changes.keys), key: .incrementalAlterConfigs, purpose: "changing configs") {
            (connection, version, resources) throws(KafkaClientError) -> [ConfigAnswer] in
            let request = IncrementalAlterConfigsRequest(resources: resources.map { resource in
                .init(resourceType: resource.wireType, resourceName: resource.wireName,
                      configs: (changes[resource] ?? []).map { .init(name: $0.name, configOperation: $0.wireOperation, value: $0.value) })
            }, validateOnly: validateOnly)
            return try connection.send(request, version: version).0.responses.map {
                ConfigAnswer(type: $0.resourceType, name: $0.resourceName, code: $0.errorCode, message: $0.errorMessage)
            }
        }
    }

    /// `incrementalAlterConfigs` for one resource.
    /// - Throws: the resource's failure (see the batch form), with the broker's message.
    public func incrementalAlterConfigs(_ resource: ConfigResource, _ changes: [ConfigAlteration], validateOnly: Bool = false) throws(KafkaClientError) {
        if case .some(.some(let failure)) = try incrementalAlterConfigs([resource: changes], validateOnly: validateOnly)[resource] { throw failure }
    }

    /// Replaces the whole dynamic configuration of each resource (legacy AlterConfigs): every
    /// dynamic entry not given is removed. Prefer `incrementalAlterConfigs`, which changes only
    /// what it names; brokers may lack this API (it is deprecated in Kafka).
    ///
    /// - Returns: for each resource, nil when applied (or accepted with `validateOnly`), else its
    ///   failure with the broker's message.
    /// - Throws: as `incrementalAlterConfigs`, with `.unsupported(.alterConfigs, ...)`.
    public func alterConfigs(_ configs: [ConfigResource: [String: String]], validateOnly: Bool = false) throws(KafkaClientError) -> [ConfigResource: KafkaClientError?] {
        try alterByDestination(Array(configs.keys), key: .alterConfigs, purpose: "replacing configs") {
            (connection, version, resources) throws(KafkaClientError) -> [ConfigAnswer] in
            let request = AlterConfigsRequest(resources: resources.map { resource in
                .init(resourceType: resource.wireType, resourceName: resource.wireName,
                      configs: (configs[resource] ?? [:]).sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) })
            }, validateOnly: validateOnly)
            return try connection.send(request, version: version).0.responses.map {
                ConfigAnswer(type: $0.resourceType, name: $0.resourceName, code: $0.errorCode, message: $0.errorMessage)
            }
        }
    }

    /// `alterConfigs` for one resource.
    /// - Throws: the resource's failure (see the batch form), with the broker's message.
    public func alterConfigs(_ resource: ConfigResource, _ configs: [String: String], validateOnly: Bool = false) throws(KafkaClientError) {
        if case .some(.some(let failure)) = try alterConfigs([resource: configs], validateOnly: validateOnly)[resource] { throw failure }
    }

    // MARK: helpers

    /// One resource's answer to an alter request: its type, name, error code and message.
    fileprivate struct ConfigAnswer {
        var type: Int8
        var name: String
        var code: ErrorCode
        var message: String?
    }

    /// Sends `resources` grouped by destination (each broker resource to its broker, the rest
    /// to any broker), one request per destination built and sent by `send`, retrying the
    /// resources whose answer was a retriable failure; collects one outcome per resource.
    private func alterByDestination(_ resources: [ConfigResource], key: ApiKey, purpose: String,
                                    _ send: (BrokerConnection, Int16, [ConfigResource]) throws(KafkaClientError) -> [ConfigAnswer])
        throws(KafkaClientError) -> [ConfigResource: KafkaClientError?] {
        for resource in resources { try Self.validate(resource) }
        var outcomes: [ConfigResource: KafkaClientError?] = [:]
        let destinations = Dictionary(grouping: resources) { $0.brokerId ?? -1 }
        for (node, group) in destinations.sorted(by: { $0.key < $1.key }) {
            var pending = group.sorted { $0.description < $1.description }
            do throws(KafkaClientError) {
                try cluster.withRetries(node >= 0 ? "\(key) on broker \(node)" : "\(key)") { () throws(KafkaClientError) in
                    let connection = try configConnection(node: node >= 0 ? node : nil)
                    let version = try negotiatedVersion(key, on: connection, for: purpose)
                    let answers = try send(connection, version, pending)
                    var retry: KafkaClientError?
                    var unanswered: [ConfigResource] = []
                    for resource in pending {
                        guard let answer = answers.first(where: { resource.matches(type: $0.type, name: $0.name) }) else {
                            retry = Self.worse(retry, .connection(address: connection.address.description, reason: "\(key) answer does not mention \(resource)"))
                            unanswered.append(resource)
                            continue
                        }
                        let failure = Self.resourceError(answer.code, answer.message, resource, "alter configs of")
                        if let failure, failure.isRetriable {
                            retry = Self.worse(retry, failure)
                            unanswered.append(resource)
                        } else {
                            outcomes.updateValue(failure, forKey: resource)
                        }
                    }
                    pending = unanswered
                    if let retry { throw retry }
                }
            } catch {
                if case .unsupported = error { throw error }
                if error == .closed { throw error }
                for resource in pending { outcomes.updateValue(error, forKey: resource) }
            }
        }
        return outcomes
    }

    /// The connection for a config request: broker `node` itself, or any broker.
    private func configConnection(node: Int32?) throws(KafkaClientError) -> BrokerConnection {
        guard let node else { return try anyBroker() }
        return try cluster.connection(node: node, purpose: Self.purpose)
    }

    /// Rejects empty topic and group names before anything is sent.
    static func validate(_ resource: ConfigResource) throws(KafkaClientError) {
        switch resource {
        case .topic(let name) where name.isEmpty: throw .invalidArgument("the topic name must not be empty")
        case .group(let name) where name.isEmpty: throw .invalidArgument("the group id must not be empty")
        case .broker(let id) where id < 0: throw .invalidArgument("the broker id must be 0 or more, got \(id)")
        default: break
        }
    }

    /// A resource's error code as a client error (nil for none): an unknown topic becomes
    /// `.unknownTopic`, the rest `.broker` with `what` (e.g. "alter configs of") and the message.
    static func resourceError(_ code: ErrorCode, _ message: String?, _ resource: ConfigResource, _ what: String) -> KafkaClientError? {
        switch (code, resource) {
        case (.none, _): return nil
        case (.unknownTopicOrPartition, .topic(let name)): return .unknownTopic(name)
        default: return .broker(code, context: context("\(what) \(resource)", message))
        }
    }

    /// A DescribeConfigs entry as a `ConfigEntry`. v0 has no source, only `is_default`: a
    /// non-default value is then attributed to the resource itself (topic, group) or unknown.
    static func entry(_ entry: DescribeConfigsResponse.DescribeConfigsResourceResult, version: Int16, resource: ConfigResource) -> ConfigEntry {
        let source: ConfigEntry.Source
        if version >= 1 {
            source = ConfigEntry.Source(wire: entry.configSource)
        } else if entry.isDefault {
            source = .defaultConfig
        } else {
            switch resource {
            case .topic: source = .dynamicTopic
            case .group: source = .group
            case .broker, .brokerDefaults: source = .unknown
            }
        }
        return ConfigEntry(name: entry.name, value: entry.value, isDefault: version >= 1 ? source == .defaultConfig : entry.isDefault,
                           source: source, isReadOnly: entry.readOnly, isSensitive: entry.isSensitive,
                           synonyms: version >= 1 ? entry.synonyms.map { .init(name: $0.name, value: $0.value, source: .init(wire: $0.source)) } : [],
                           type: version >= 3 ? .init(wire: entry.configType) : .unknown,
                           documentation: version >= 3 ? entry.documentation : nil)
    }
}
