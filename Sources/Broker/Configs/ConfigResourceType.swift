/// Kafka's `ConfigResource.Type` numbers, as DescribeConfigs and the Alter*Configs APIs carry
/// them in `resource_type`.
enum ConfigResourceType: Int8 {
    case unknown = 0
    case topic = 2
    case broker = 4
    case brokerLogger = 8
    case clientMetrics = 16
    case group = 32
}
