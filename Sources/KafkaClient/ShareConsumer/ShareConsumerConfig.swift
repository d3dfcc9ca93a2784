public import Net

/// Settings of a ``ShareConsumer`` (the Java client's names in camel case). A value type;
/// `Sendable`. `ShareConsumer.init` validates it.
public struct ShareConsumerConfig: Sendable {
    /// How delivered records are acknowledged (Java's `share.acknowledgement.mode`).
    /// A value type; `Sendable`.
    public enum AcknowledgementMode: String, Sendable, Equatable {
        /// Every record a `poll` returned is accepted by the next `poll`, `commitSync`,
        /// `commitAsync` or `close`.
        case implicit
        /// The application calls `acknowledge(_:type:)` per record; records it never
        /// acknowledges stay locked until their acquisition lock expires at the broker.
        case explicit
    }

    /// Connection settings: bootstrap servers, client id, request timeout and retries.
    public var client: ClientConfig
    /// The share group to join (required, not empty).
    public var groupId: String
    /// Implicit (default) or explicit acknowledgement.
    public var acknowledgementMode: AcknowledgementMode = .implicit
    /// The most records one ShareFetch asks to acquire (the broker may exceed it on kafka
    /// brokers without record-limit mode to keep batches whole; all of them are returned).
    public var maxPollRecords = 500
    /// How long a ShareFetch may wait at the broker for records.
    public var fetchMaxWaitMs = 500
    /// Size limit of one ShareFetch response.
    public var fetchMaxBytes = 50 << 20
    /// How often to heartbeat until the coordinator says otherwise (its answer wins).
    public var heartbeatIntervalMs = 5_000

    /// A configuration for `groupId` on the cluster at `bootstrapServers`.
    public init(bootstrapServers: [HostPort], groupId: String, clientId: String = "kaffee-share") {
        client = ClientConfig(bootstrapServers: bootstrapServers, clientId: clientId)
        self.groupId = groupId
    }

    /// A configuration for `groupId` with existing client settings.
    public init(client: ClientConfig, groupId: String) {
        self.client = client
        self.groupId = groupId
    }

    /// The request timeout of `client` (convenience).
    public var requestTimeoutMs: Int {
        get { client.requestTimeoutMs }
        set { client.requestTimeoutMs = newValue }
    }

    /// Throws `invalidArgument` naming the first inconsistent setting.
    func validate() throws(KafkaClientError) {
        func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(KafkaClientError) {
            if !condition { throw .invalidArgument("invalid share consumer config: \(message())") }
        }
        let int32Max = Int(Int32.max)
        try check(!client.bootstrapServers.isEmpty, "no bootstrap servers configured")
        try check(!groupId.isEmpty, "groupId must not be empty")
        try check(maxPollRecords > 0 && maxPollRecords <= int32Max, "maxPollRecords \(maxPollRecords) must be in 1...\(int32Max)")
        try check(fetchMaxWaitMs >= 0 && fetchMaxWaitMs <= int32Max, "fetchMaxWaitMs \(fetchMaxWaitMs) must be in 0...\(int32Max)")
        try check(fetchMaxBytes > 0 && fetchMaxBytes <= int32Max, "fetchMaxBytes must be in 1...\(int32Max)")
        try check(heartbeatIntervalMs > 0, "heartbeatIntervalMs must be positive")
        try check(client.requestTimeoutMs > 0, "requestTimeoutMs must be positive")
    }
}
