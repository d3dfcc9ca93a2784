/// The broker-level config values that topics fall back on, by layer: set at run time for this
/// broker (BROKER "<id>"), set at run time as the cluster default (BROKER ""), and set at start
/// (flags). Keys are Kafka broker config names (`log.retention.ms`), values normalized text.
///
/// Precedence, most specific first: dynamic topic config, dynamic broker, dynamic default,
/// static, built-in default (Kafka's order). A value type; `Sendable`.
public struct BrokerConfigLayers: Sendable, Equatable {
    public var dynamicBroker: [String: String]
    public var dynamicDefault: [String: String]
    public var staticConfig: [String: String]

    public init(dynamicBroker: [String: String] = [:], dynamicDefault: [String: String] = [:], staticConfig: [String: String] = [:]) {
        self.dynamicBroker = dynamicBroker
        self.dynamicDefault = dynamicDefault
        self.staticConfig = staticConfig
    }

    /// The layers with their sources, most specific first.
    public var ordered: [(source: ConfigSource, values: [String: String])] {
        [(.dynamicBroker, dynamicBroker), (.dynamicDefaultBroker, dynamicDefault), (.staticBroker, staticConfig)]
    }

    /// The value of broker config `name` and its source, or nil when no layer sets it.
    public func lookup(_ name: String) -> (value: String, source: ConfigSource)? {
        for layer in ordered { if let value = layer.values[name] { return (value, layer.source) } }
        return nil
    }
}

/// One synonym of a config entry, as DescribeConfigs lists them (most specific first).
public struct ConfigSynonym: Sendable, Equatable {
    public var name: String
    public var value: String?
    public var source: ConfigSource

    public init(name: String, value: String?, source: ConfigSource) {
        self.name = name
        self.value = value
        self.source = source
    }
}

/// A config's effective value, where it comes from, and the chain of synonyms behind it.
public struct ResolvedConfig: Sendable, Equatable {
    public var name: String
    public var value: String?
    public var source: ConfigSource
    public var synonyms: [ConfigSynonym]
    public var type: ConfigType
    public var documentation: String

    public init(name: String, value: String?, source: ConfigSource, synonyms: [ConfigSynonym], type: ConfigType, documentation: String) {
        self.name = name
        self.value = value
        self.source = source
        self.synonyms = synonyms
        self.type = type
        self.documentation = documentation
    }
}
