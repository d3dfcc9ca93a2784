/// One configuration entry of a topic, as DescribeConfigs reported it.
public struct ConfigEntry: Sendable, Equatable, CustomStringConvertible {
    /// Where a config value comes from (DescribeConfigs `config_source`, v1+).
    public enum Source: Sendable, Equatable {
        /// Set on the topic itself (1).
        case dynamicTopic
        /// Set in the broker's static configuration (4).
        case staticBroker
        /// The built-in default (5).
        case defaultConfig
        /// Any other source, or unknown (the wire value).
        case other(Int8)

        /// The source for a DescribeConfigs `config_source` value.
        init(wire: Int8) {
            switch wire {
            case 1: self = .dynamicTopic
            case 4: self = .staticBroker
            case 5: self = .defaultConfig
            default: self = .other(wire)
            }
        }
    }

    /// The config name, e.g. `retention.ms`.
    public var name: String
    /// The value; nil when the broker hides it (sensitive) or has none.
    public var value: String?
    /// Whether the value is the default rather than set for this topic.
    public var isDefault: Bool
    /// Where the value comes from.
    public var source: Source
    /// Whether the value cannot be changed.
    public var isReadOnly: Bool
    /// Whether the value is a secret (the broker then sends no value).
    public var isSensitive: Bool

    /// An entry; `source` defaults to match `isDefault`.
    public init(name: String, value: String?, isDefault: Bool, source: Source? = nil, isReadOnly: Bool = false, isSensitive: Bool = false) {
        self.name = name
        self.value = value
        self.isDefault = isDefault
        self.source = source ?? (isDefault ? .defaultConfig : .dynamicTopic)
        self.isReadOnly = isReadOnly
        self.isSensitive = isSensitive
    }

    /// `name=value`, with ` (default)` for default values.
    public var description: String { "\(name)=\(value ?? "null")\(isDefault ? " (default)" : "")" }
}
