import KafkaProtocol
public import LogStorage

/// The broker's own and its groups' config values: what DescribeConfigs shows and what the
/// Alter*Configs handlers validate against.
extension Broker {
    /// The run-time configs (dynamic broker defaults, this broker's, groups').
    var currentDynamicConfigs: DynamicConfigs { dynamicConfigs.withLock { $0 } }

    /// The layers topics fall back on, given run-time configs.
    func layers(for dynamic: DynamicConfigs) -> BrokerConfigLayers {
        BrokerConfigLayers(dynamicBroker: dynamic.broker, dynamicDefault: dynamic.brokerDefault, staticConfig: config.staticConfigs)
    }

    /// The value of broker config `name` over `layers`, its source and synonyms.
    func resolveBrokerConfig(_ entry: BrokerConfigDefinition, layers: BrokerConfigLayers) -> ResolvedConfig {
        var synonyms: [ConfigSynonym] = []
        for layer in layers.ordered {
            if let value = layer.values[entry.name] { synonyms.append(ConfigSynonym(name: entry.name, value: value, source: layer.source)) }
        }
        let running = entry.current?(config)
        if let defaultValue = entry.definition.defaultValue {
            synonyms.append(ConfigSynonym(name: entry.name, value: defaultValue, source: .default))
        }
        let value: String?
        let source: ConfigSource
        if let found = layers.lookup(entry.name) {
            (value, source) = (found.value, found.source)
        } else if let running, running != entry.definition.defaultValue {
            // Set by a kaffeed flag (or derived from one, like broker.id from the node id).
            (value, source) = (running, .staticBroker)
            synonyms.insert(ConfigSynonym(name: entry.name, value: running, source: .staticBroker), at: 0)
        } else {
            (value, source) = (entry.definition.defaultValue, .default)
        }
        return ResolvedConfig(name: entry.name, value: value, source: source, synonyms: synonyms,
                              type: entry.definition.type, documentation: entry.definition.documentation)
    }

    /// A broker config's current value (any layer, the running value, or the default).
    func brokerConfigValue(_ name: String, layers: BrokerConfigLayers) -> String? {
        guard let entry = BrokerConfigDefinitions.definition(name) else { return layers.lookup(name)?.value }
        return resolveBrokerConfig(entry, layers: layers).value
    }

    /// Every config of group `groupId` (set on it, else the broker's default, else built in).
    func resolveGroupConfigs(_ groupId: String, dynamic: DynamicConfigs) -> [ResolvedConfig] {
        let values = dynamic.groups[groupId] ?? [:]
        let layers = layers(for: dynamic)
        return GroupConfigDefinitions.all.map { entry in
            let set = values[entry.name]
            let value = set ?? GroupConfigDefinitions.effective(entry.name, [:]) { brokerConfigValue($0, layers: layers) }
            let source: ConfigSource = set != nil ? .group : .default
            return ResolvedConfig(name: entry.name, value: value, source: source,
                                  synonyms: [ConfigSynonym(name: entry.name, value: value, source: source)],
                                  type: entry.definition.type, documentation: entry.definition.documentation)
        }
    }

    /// The effective configs of a group as name → value (for the group coordinators).
    public func groupConfig(_ groupId: String) -> [String: String] {
        var result: [String: String] = [:]
        for entry in resolveGroupConfigs(groupId, dynamic: currentDynamicConfigs) { result[entry.name] = entry.value }
        return result
    }

    /// The log cleaner's settings as configured now (for the cleaner thread, each pass).
    public var cleanerSettings: CleanerSettings {
        let layers = layers(for: currentDynamicConfigs)
        func value(_ name: String) -> String? { brokerConfigValue(name, layers: layers) }
        return CleanerSettings(
            enabled: value("log.cleaner.enable") != "false",
            offsetMapBytes: Int(value("log.cleaner.dedupe.buffer.size") ?? "") ?? (128 << 20),
            ioBytesPerSecond: Double(value("log.cleaner.io.max.bytes.per.second") ?? "") ?? .infinity,
            backoffMillis: Int64(value("log.cleaner.backoff.ms") ?? "") ?? 15_000)
    }

    /// Makes `dynamic` the run-time configs: persists them (atomically) and applies them to the
    /// store without a restart. Throws on a storage error, leaving everything as it was.
    func commitDynamicConfigs(_ dynamic: DynamicConfigs) throws(LogStorageError) {
        try dynamicConfigs.withLock { current throws(LogStorageError) in
            try store.writeInternalFile(DynamicConfigs.fileName, dynamic.serialized())
            current = dynamic
        }
        store.updateLayers(layers(for: dynamic))
    }
}
