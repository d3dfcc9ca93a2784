import KafkaProtocol

/// Cluster administration: topics, partitions, records, offsets, consumer groups, configs,
/// brokers and log directories.
///
/// Every call is blocking and thread-safe. Transient failures (unreachable broker, moved
/// leader or coordinator, timeouts) are retried through `KafkaCluster.withRetries` as the
/// `ClientConfig` allows; other broker errors surface as `KafkaClientError.broker(code, context:)`
/// with the operation and the broker's message in the context. Nothing connects before the first
/// call, so an unreachable bootstrap list is reported by that call (`.notReachable`).
///
/// Thread-safety: `Sendable`; one admin client may serve any number of threads at once. Calls
/// block an OS thread (do not make them from Swift's cooperative pool). Call `close()` when
/// done (dropping the client closes its connections too).
///
/// ```swift
/// let admin = KafkaAdmin(config: config)
/// defer { admin.close() }
/// try admin.createTopic(name: "orders", partitions: 6, configs: ["retention.ms": "86400000"])
/// let retention = try admin.describeConfigs(.topic("orders"), keys: ["retention.ms"]).first?.value
/// try admin.incrementalAlterConfigs(.topic("orders"), [.set("cleanup.policy", "compact")])
/// for partition in try admin.lag(group: "billing") { print(partition.topic, partition.partition, partition.lag) }
/// ```
public final class KafkaAdmin: Sendable {
    /// The settings this client was created with.
    public let config: ClientConfig
    /// The cluster view (metadata and connections) the admin client owns.
    public let cluster: KafkaCluster

    /// An admin client for the cluster at `config.bootstrapServers` (connects lazily).
    public init(config: ClientConfig) {
        self.config = config
        self.cluster = KafkaCluster(config: config)
    }

    deinit { cluster.close() }

    /// Closes every connection; later calls fail with `.closed`.
    public func close() {
        cluster.close()
    }

    // MARK: helpers shared by the admin operations

    /// Connection purpose for admin requests (kept apart from producers' and consumers').
    static let purpose = "admin"

    /// The timeout handed to the broker for CreateTopics/DeleteTopics: a little below the
    /// request timeout, so the broker answers before the connection gives up.
    var brokerTimeoutMs: Int32 {
        Int32(clamping: max(1, config.requestTimeoutMs * 3 / 4))
    }

    /// Any broker that answers (for requests every broker can serve).
    func anyBroker() throws(KafkaClientError) -> BrokerConnection {
        try cluster.bootstrapConnection(purpose: Self.purpose)
    }

    /// The controller (from fresh metadata), or any broker when the cluster names none.
    func controller() throws(KafkaClientError) -> BrokerConnection {
        try cluster.refreshMetadata(topics: [])
        let controllerId = cluster.controllerId
        guard controllerId >= 0 else { return try anyBroker() }
        return try cluster.connection(node: controllerId, purpose: Self.purpose)
    }

    /// The version `connection` will use for `key`, or `.unsupported` saying whether the broker
    /// does not offer the API at all (its ApiVersions answer lacks the key) or offers only
    /// versions this client cannot use. `purpose` (e.g. "raising a topic's partition count")
    /// goes into that reason.
    func negotiatedVersion(_ key: ApiKey, on connection: BrokerConnection, for purpose: String? = nil) throws(KafkaClientError) -> Int16 {
        let ranges = try connection.apiVersions()
        guard let version = ClientVersions.negotiate(key, broker: ranges) else {
            let what = purpose.map { " (needed for \($0))" } ?? ""
            guard let theirs = ranges[key] else {
                throw .unsupported(key, reason: "the broker at \(connection.address) does not offer API key \(key.rawValue)\(what)")
            }
            let ours = ClientVersions.supported[key].map { "\($0.lowerBound)-\($0.upperBound)" } ?? "none"
            throw .unsupported(key, reason: "no common version: the broker at \(connection.address) offers v\(theirs.minVersion)-\(theirs.maxVersion), this client v\(ours)\(what)")
        }
        return version
    }

    /// `what`, followed by the broker's message when it sent one.
    static func context(_ what: String, _ message: String?) -> String {
        guard let message, !message.isEmpty else { return what }
        return "\(what) (\(message))"
    }

    /// Keeps the most useful of two failures: a non-retriable one wins over a retriable one,
    /// otherwise the first seen.
    static func worse(_ current: KafkaClientError?, _ new: KafkaClientError) -> KafkaClientError {
        guard let current else { return new }
        return current.isRetriable && !new.isRetriable ? new : current
    }
}
