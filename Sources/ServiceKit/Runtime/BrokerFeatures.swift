public import KafkaClient
public import KafkaProtocol

/// What the bootstrap broker offers, asked with ApiVersions on a short-lived connection.
/// Stateless; thread-safe.
public enum BrokerFeatures {
    /// Whether the bootstrap broker advertises `key` (e.g. ShareGroupHeartbeat for share
    /// groups, ConsumerGroupHeartbeat for Kafka 4's consumer group protocol). Throws when the
    /// broker cannot be reached.
    public static func advertises(_ key: ApiKey, client: ClientConfig) throws -> Bool {
        let cluster = KafkaCluster(config: client)
        defer { cluster.close() }
        let connection = try cluster.bootstrapConnection(purpose: "api versions")
        return try connection.apiVersions()[key] != nil
    }
}
