import KafkaProtocol
public import LogStorage

/// What IncrementalAlterConfigs and AlterConfigs share: checking a request's resources, then
/// applying each resource's changes all-or-nothing (resources are independent), as Kafka 4
/// does, with Kafka's codes and messages. Topics are updated in the store; broker and group
/// configs are collected and committed once (`commitDynamicConfigs`).
extension Broker {
    /// One resource of an alter request, its changes, and what became of it.
    struct ConfigAlteration {
        var type: Int8
        var name: String
        var changes: [ConfigChange]
        /// Unknown operation ids are kept here (the change list holds only known ones).
        var unknownOperation: Int8?
        var refusal: ConfigRefusal?
    }

    /// Checks and applies `alterations`; `replaceAll` is legacy AlterConfigs (every config not
    /// listed is removed). Returns one (code, message) per alteration, in order.
    ///
    /// Authorization (Kafka's controller, `authorizeAlterResource`), after the request-level
    /// checks: ALTER_CONFIGS on the topic, on the cluster for broker resources, on the group
    /// for group resources; else TOPIC_, CLUSTER_ or GROUP_AUTHORIZATION_FAILED.
    ///
    /// Alterations run one at a time (`configAlterations`): each reads the dynamic configs,
    /// changes its copy and commits it, so two at once would lose one's change (three services
    /// setting their group's session timeout at the same start did).
    func alterConfigs(_ input: [ConfigAlteration], replaceAll: Bool, validateOnly: Bool, context: RequestContext) -> [(ErrorCode, String?)] {
        configAlterations.withLock { _ in
            alterConfigsSerially(input, replaceAll: replaceAll, validateOnly: validateOnly, context: context)
        }
    }

    private func alterConfigsSerially(_ input: [ConfigAlteration], replaceAll: Bool, validateOnly: Bool, context: RequestContext) -> [(ErrorCode, String?)] {
        var alterations = input
        preprocess(&alterations, replaceAll: replaceAll)
        for index in alterations.indices where alterations[index].refusal == nil {
            if let type = Self.configAclResource(alterations[index].type),
               !isAuthorized(context, .alterConfigs, type, type == .cluster ? AclResourceType.clusterName : alterations[index].name) {
                alterations[index].refusal = ConfigRefusal(kind: .unauthorized, message: nil)
            }
        }
        var dynamic = currentDynamicConfigs
        var dynamicChanged: [Int] = []
        for index in alterations.indices where alterations[index].refusal == nil {
            let alteration = alterations[index]
            do throws(ConfigRefusal) {
                switch ConfigResourceType(rawValue: alteration.type) {
                case .topic:
                    try alterTopic(alteration, replaceAll: replaceAll, validateOnly: validateOnly, dynamic: dynamic)
                case .broker:
                    var values = alteration.name.isEmpty ? dynamic.brokerDefault : dynamic.broker
                    try alterBroker(alteration, replaceAll: replaceAll, values: &values, dynamic: dynamic)
                    if alteration.name.isEmpty { dynamic.brokerDefault = values } else { dynamic.broker = values }
                    dynamicChanged.append(index)
                case .group:
                    var values = dynamic.groups[alteration.name] ?? [:]
                    try alterGroup(alteration, replaceAll: replaceAll, values: &values, dynamic: dynamic)
                    dynamic.groups[alteration.name] = values.isEmpty ? nil : values
                    dynamicChanged.append(index)
                default:
                    throw .request("Unknown resource type \(alteration.type)")
                }
            } catch {
                alterations[index].refusal = error
            }
        }
        if !validateOnly && !dynamicChanged.isEmpty && dynamic != currentDynamicConfigs {
            do {
                try commitDynamicConfigs(dynamic)
                logger.info("dynamic configs changed: \(dynamicChanged.map { "\(alterations[$0].type):\(alterations[$0].name.debugDescription)" }.joined(separator: ", "))")
            } catch {
                for index in dynamicChanged { alterations[index].refusal = ConfigRefusal(kind: .storage, message: "\(error)") }
            }
        }
        return alterations.map { alteration in
            guard let refusal = alteration.refusal else { return (.none, nil) }
            switch refusal.kind {
            case .invalidRequest: return (.invalidRequest, refusal.message)
            case .invalidConfig: return (.invalidConfig, refusal.message)
            case .invalidTopic: return (.invalidTopicException, refusal.message)
            case .unknownTopic: return (.unknownTopicOrPartition, refusal.message)
            case .storage: return (.kafkaStorageError, refusal.message)
            case .unauthorized:
                let code = Self.authorizationError(Self.configAclResource(alteration.type) ?? .cluster)
                return (code, Self.authorizationMessage(code))
            }
        }
    }

    /// The request-level checks Kafka's broker makes before anything is applied.
    private func preprocess(_ alterations: inout [ConfigAlteration], replaceAll: Bool) {
        var counts: [String: Int] = [:]
        for alteration in alterations { counts["\(alteration.type)/\(alteration.name)", default: 0] += 1 }
        let supported: [Int8] = replaceAll ? [2, 4, 32] : [2, 4, 8, 32]
        for index in alterations.indices {
            let alteration = alterations[index]
            func refuse(_ message: String) { alterations[index].refusal = .request(message) }
            if counts["\(alteration.type)/\(alteration.name)", default: 0] > 1 { refuse("Each resource must appear at most once."); continue }
            let names = alteration.changes.map(\.name)
            if Set(names).count != names.count { refuse("Error due to duplicate config keys"); continue }
            if let operation = alteration.unknownOperation { refuse("Unknown operations type \(operation)"); continue }
            let nulls = alteration.changes.filter { $0.value == nil && $0.operation != .delete }.map(\.name)
            if !nulls.isEmpty { refuse("Null value not supported for : \(nulls.joined(separator: ", "))"); continue }
            guard supported.contains(alteration.type), alteration.type != ConfigResourceType.brokerLogger.rawValue else {
                refuse("Unknown resource type \(alteration.type)")
                continue
            }
            if alteration.type == ConfigResourceType.broker.rawValue && !alteration.name.isEmpty {
                guard let id = Int32(alteration.name) else { refuse("Node id must be an integer, but it is: \(alteration.name)"); continue }
                if id != config.nodeId { refuse("Unexpected broker id, expected \(config.nodeId), but received \(alteration.name)"); continue }
            }
        }
    }

    private func alterTopic(_ alteration: ConfigAlteration, replaceAll: Bool, validateOnly: Bool, dynamic: DynamicConfigs) throws(ConfigRefusal) {
        guard !alteration.name.isEmpty else { throw .request("Default topic resources are not allowed.") }
        if let problem = Self.topicNameProblem(alteration.name) { throw ConfigRefusal(kind: .invalidTopic, message: problem) }
        let existing = store.topic(alteration.name)
        var topicConfig = existing?.config ?? TopicConfig(partitionCount: 1)
        if replaceAll { topicConfig = TopicConfig(partitionCount: topicConfig.partitionCount) }
        // Kafka's order: APPEND/SUBTRACT on a non-LIST key while applying the operations, then
        // unknown names, then the values in LogConfig's definition order (first failure wins).
        for change in alteration.changes where change.operation == .append || change.operation == .subtract {
            guard let entry = TopicConfigDefinitions.definition(change.name), entry.definition.type == .list else {
                throw .config("Can't \(change.operation.verb) to key \(change.name) because its type is not LIST.")
            }
        }
        if let unknown = alteration.changes.first(where: { $0.operation == .set && TopicConfigDefinitions.definition($0.name) == nil }) {
            throw .config("Unknown topic config name: \(unknown.name)")
        }
        let ordered = alteration.changes.enumerated().sorted {
            (TopicConfigDefinitions.kafkaPosition($0.element.name), $0.offset) < (TopicConfigDefinitions.kafkaPosition($1.element.name), $1.offset)
        }.map(\.element)
        for change in ordered {
            do throws(LogStorageError) {
                switch change.operation {
                case .set: try topicConfig.set(change.name, change.value ?? "")
                case .delete: topicConfig.remove(change.name)
                case .append, .subtract:
                    // A known LIST config (checked above); unset, it starts from the built-in default.
                    let current = topicConfig.overrides[change.name] ?? TopicConfigDefinitions.definition(change.name)?.definition.defaultValue ?? ""
                    try topicConfig.set(change.name, ConfigListEdit.apply(change.operation, change.value ?? "", to: current))
                }
            } catch {
                throw .config(Self.storageMessage(error))
            }
        }
        do throws(LogStorageError) {
            _ = try topicConfig.logConfig(layers: layers(for: dynamic))
        } catch {
            throw .config(Self.storageMessage(error))
        }
        // Kafka validates before it checks that the topic exists.
        guard existing != nil else { throw ConfigRefusal(kind: .unknownTopic, message: "The topic '\(alteration.name)' does not exist.") }
        guard !validateOnly else { return }
        do throws(LogStorageError) {
            try store.updateTopic(alteration.name, config: topicConfig)
            logger.info("topic \(alteration.name) configs now \(topicConfig.overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        } catch .unknownTopic {
            throw ConfigRefusal(kind: .unknownTopic, message: "The topic '\(alteration.name)' does not exist.")
        } catch {
            throw ConfigRefusal(kind: .storage, message: "\(error)")
        }
    }

    private func alterBroker(_ alteration: ConfigAlteration, replaceAll: Bool, values: inout [String: String], dynamic: DynamicConfigs) throws(ConfigRefusal) {
        var updated = replaceAll ? [:] : values
        var readOnly: [String] = []
        for change in alteration.changes {
            guard let entry = BrokerConfigDefinitions.definition(change.name) else {
                if change.operation == .delete { continue }
                throw .request("Unknown broker config name: \(change.name) (kaffeed accepts only the broker configs it uses)")
            }
            guard entry.isDynamic else {
                // Kafka checks the configs left after the operations: deleting one is a no-op.
                if change.operation != .delete { readOnly.append(change.name) }
                continue
            }
            switch change.operation {
            case .set:
                do throws(LogStorageError) { updated[change.name] = try entry.definition.normalize(change.value ?? "") } catch {
                    throw .request(Self.storageMessage(error))
                }
            case .delete:
                updated[change.name] = nil
            case .append, .subtract:
                guard entry.definition.type == .list else {
                    throw .config("Config value \(change.operation == .append ? "append" : "subtract") is not allowed for config key: \(change.name)")
                }
                let current = updated[change.name] ?? entry.definition.defaultValue ?? ""
                do throws(LogStorageError) {
                    updated[change.name] = try entry.definition.normalize(ConfigListEdit.apply(change.operation, change.value ?? "", to: current))
                } catch {
                    throw .request(Self.storageMessage(error))
                }
            }
        }
        if !readOnly.isEmpty { throw .request("Cannot update these configs dynamically: Set(\(readOnly.joined(separator: ", ")))") }
        // The new broker defaults must leave every topic valid (min vs max compaction lag).
        var layers = layers(for: dynamic)
        if alteration.name.isEmpty { layers.dynamicDefault = updated } else { layers.dynamicBroker = updated }
        for topic in store.topics {
            do throws(LogStorageError) { _ = try topic.config.logConfig(layers: layers) } catch {
                throw .request("Invalid dynamic configuration: topic \(topic.name): \(Self.storageMessage(error))")
            }
        }
        values = updated
    }

    private func alterGroup(_ alteration: ConfigAlteration, replaceAll: Bool, values: inout [String: String], dynamic: DynamicConfigs) throws(ConfigRefusal) {
        guard !alteration.name.isEmpty else { throw .request("Default group resources are not allowed.") }
        var updated = replaceAll ? [:] : values
        // Kafka's order: APPEND/SUBTRACT (no group config is a LIST), then unknown names, then
        // the values in GroupConfig's definition order, then the bounds.
        if let change = alteration.changes.first(where: { $0.operation == .append || $0.operation == .subtract }) {
            throw .config("Can't \(change.operation.verb) to key \(change.name) because its type is not LIST.")
        }
        if let unknown = alteration.changes.first(where: { $0.operation == .set && GroupConfigDefinitions.definition($0.name) == nil }) {
            throw .config("Unknown group config name: \(unknown.name)")
        }
        for change in alteration.changes where change.operation == .delete { updated[change.name] = nil }
        for entry in GroupConfigDefinitions.all {
            guard let change = alteration.changes.first(where: { $0.operation == .set && $0.name == entry.name }) else { continue }
            do throws(LogStorageError) { updated[change.name] = try entry.definition.normalize(change.value ?? "") } catch {
                throw .config(Self.storageMessage(error))
            }
        }
        let layers = layers(for: dynamic)
        if let problem = GroupConfigDefinitions.problem(in: updated, broker: { brokerConfigValue($0, layers: layers) }) {
            throw .config(problem)
        }
        values = updated
    }

    /// The message of an `invalidConfig` storage error (Kafka's text), or the error's description.
    public static func storageMessage(_ error: LogStorageError) -> String {
        if case .invalidConfig(let message) = error { return message }
        return "\(error)"
    }
}
