/// Kafka's `ConfigDef.Type`, numbered as DescribeConfigs (v3+) reports it in `config_type`.
public enum ConfigType: Int8, Sendable, Equatable {
    case unknown = 0
    case boolean = 1
    case string = 2
    case int = 3
    case short = 4
    case long = 5
    case double = 6
    case list = 7
    case `class` = 8
    case password = 9

    /// Kafka's name for the type, as it appears in "Not a number of type INT".
    public var kafkaName: String {
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

/// Where a config value comes from (Kafka's `ConfigSource`, the DescribeConfigs
/// `config_source`), most specific first.
public enum ConfigSource: Int8, Sendable, Equatable {
    case unknown = 0
    /// Set on the topic (CreateTopics, Alter*).
    case dynamicTopic = 1
    /// Set at run time on this broker (BROKER resource "<id>").
    case dynamicBroker = 2
    /// Set at run time as the cluster-wide default (BROKER resource "").
    case dynamicDefaultBroker = 3
    /// Set when the broker started (a `kaffeed` flag or `--config`).
    case staticBroker = 4
    /// Kafka's built-in default.
    case `default` = 5
    case brokerLogger = 6
    case clientMetrics = 7
    /// Set on the consumer or share group (GROUP resource).
    case group = 8
}
