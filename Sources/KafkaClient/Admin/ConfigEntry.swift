/// One configuration entry of a topic, broker or group, as DescribeConfigs reported it.
/// A value type; `Sendable`.
public struct ConfigEntry: Sendable, Equatable, CustomStringConvertible {
    /// Where a config value comes from: Kafka's `ConfigSource` (DescribeConfigs `config_source`,
    /// v1+; also each synonym's source). The wire numbers are in the case comments.
    /// A value type; `Sendable`.
    public enum Source: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// The broker did not say (0).
        case unknown
        /// Set on the topic itself (1).
        case dynamicTopic
        /// Set dynamically for this one broker (2).
        case dynamicBroker
        /// Set dynamically as the cluster-wide default for every broker (3).
        case dynamicDefaultBroker
        /// Set in the broker's static configuration (its properties file or flags) (4).
        case staticBroker
        /// The built-in default (5).
        case defaultConfig
        /// Set dynamically on a broker logger (6).
        case dynamicBrokerLogger
        /// Set on a client-metrics resource (7).
        case clientMetrics
        /// Set on the consumer group itself (8).
        case group
        /// A source number this client does not know (the wire value).
        case other(Int8)

        /// The source for a DescribeConfigs `config_source` (or synonym `source`) value.
        public init(wire: Int8) {
            switch wire {
            case 0: self = .unknown
            case 1: self = .dynamicTopic
            case 2: self = .dynamicBroker
            case 3: self = .dynamicDefaultBroker
            case 4: self = .staticBroker
            case 5: self = .defaultConfig
            case 6: self = .dynamicBrokerLogger
            case 7: self = .clientMetrics
            case 8: self = .group
            default: self = .other(wire)
            }
        }

        /// The wire number (see the cases).
        public var wireValue: Int8 {
            switch self {
            case .unknown: 0
            case .dynamicTopic: 1
            case .dynamicBroker: 2
            case .dynamicDefaultBroker: 3
            case .staticBroker: 4
            case .defaultConfig: 5
            case .dynamicBrokerLogger: 6
            case .clientMetrics: 7
            case .group: 8
            case .other(let wire): wire
            }
        }

        /// Kafka's name for the source, e.g. `DYNAMIC_TOPIC_CONFIG` (`kafka-configs` prints these);
        /// `SOURCE_<n>` for an unknown number.
        public var description: String {
            switch self {
            case .unknown: "UNKNOWN"
            case .dynamicTopic: "DYNAMIC_TOPIC_CONFIG"
            case .dynamicBroker: "DYNAMIC_BROKER_CONFIG"
            case .dynamicDefaultBroker: "DYNAMIC_DEFAULT_BROKER_CONFIG"
            case .staticBroker: "STATIC_BROKER_CONFIG"
            case .defaultConfig: "DEFAULT_CONFIG"
            case .dynamicBrokerLogger: "DYNAMIC_BROKER_LOGGER_CONFIG"
            case .clientMetrics: "CLIENT_METRICS_CONFIG"
            case .group: "GROUP_CONFIG"
            case .other(let wire): "SOURCE_\(wire)"
            }
        }
    }

    /// A config's value type (DescribeConfigs `config_type`, v3+; `.unknown` before).
    public enum ValueType: Int8, Sendable, Equatable, Hashable, CustomStringConvertible {
        /// Kafka's `ConfigType` values, by wire code (`unknown` also for codes this client
        /// does not know).
        case unknown = 0, boolean = 1, string = 2, int = 3, short = 4, long = 5, double = 6, list = 7, `class` = 8, password = 9

        /// The type for a wire number; `.unknown` for numbers this client does not know.
        public init(wire: Int8) { self = ValueType(rawValue: wire) ?? .unknown }

        /// Kafka's name for the type, e.g. `LONG`.
        public var description: String {
            switch self {
            case .unknown: "UNKNOWN"
            case .boolean: "BOOLEAN"
            case .string: "STRING"
            case .int: "INT"
            case .short: "SHORT"
            case .long: "LONG"
            case .double: "DOUBLE"
            case .list: "LIST"
            case .class: "CLASS"
            case .password: "PASSWORD"
            }
        }
    }

    /// Another place the same setting is (or could be) defined, in precedence order: e.g. a
    /// topic's `retention.ms` has the broker's `log.retention.ms` as a synonym.
    /// A value type; `Sendable`.
    public struct Synonym: Sendable, Equatable, Hashable {
        /// The synonym's name (may differ from the entry's, e.g. `log.retention.ms`).
        public var name: String
        /// Its value; nil when hidden (sensitive) or absent.
        public var value: String?
        /// Where it is defined.
        public var source: Source

        /// A synonym.
        public init(name: String, value: String?, source: Source) {
            self.name = name
            self.value = value
            self.source = source
        }
    }

    /// The config name, e.g. `retention.ms`.
    public var name: String
    /// The value; nil when the broker hides it (sensitive) or has none.
    public var value: String?
    /// Whether the value is the built-in default (`source == .defaultConfig` for v1+ answers;
    /// the broker's `is_default` flag for v0).
    public var isDefault: Bool
    /// Where the value comes from.
    public var source: Source
    /// Whether the value cannot be changed.
    public var isReadOnly: Bool
    /// Whether the value is a secret (the broker then sends no value).
    public var isSensitive: Bool
    /// The synonyms in precedence order, the entry's own definition first (empty unless the
    /// broker answered DescribeConfigs v1+ with synonyms requested).
    public var synonyms: [Synonym]
    /// The value's type (`.unknown` unless DescribeConfigs v3+).
    public var type: ValueType
    /// The broker's description of the config, when documentation was requested (v3+).
    public var documentation: String?

    /// An entry; `source` defaults to match `isDefault`.
    public init(name: String, value: String?, isDefault: Bool, source: Source? = nil, isReadOnly: Bool = false, isSensitive: Bool = false,
                synonyms: [Synonym] = [], type: ValueType = .unknown, documentation: String? = nil) {
        self.name = name
        self.value = value
        self.isDefault = isDefault
        self.source = source ?? (isDefault ? .defaultConfig : .dynamicTopic)
        self.isReadOnly = isReadOnly
        self.isSensitive = isSensitive
        self.synonyms = synonyms
        self.type = type
        self.documentation = documentation
    }

    /// `name=value`, with ` (default)` for default values.
    public var description: String { "\(name)=\(value ?? "null")\(isDefault ? " (default)" : "")" }
}
