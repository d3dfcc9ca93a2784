public import LogStorage

/// What the broker needs to know about itself. A value type; set once at start-up.
public struct BrokerConfig: Sendable {
    /// This broker's node id (the only node of the cluster).
    public var nodeId: Int32 = 0
    /// The host clients are told to connect to (Metadata); never a wildcard address.
    public var advertisedHost: String = "127.0.0.1"
    /// The port clients are told to connect to.
    public var advertisedPort: Int32 = 9092
    /// A stable cluster id (Metadata v2+).
    public var clusterId: String = "kaffee"
    /// Create unknown topics on Metadata (when the client allows it) and on Produce.
    public var autoCreateTopics: Bool = true
    /// Partition count for auto-created topics and CreateTopics with -1.
    public var defaultPartitions: Int32 = 1
    /// Broker configs set at start (flags, `--config`), by Kafka name: the static layer of
    /// DescribeConfigs and of topic defaults (`BrokerConfigLayers.staticConfig`).
    public var staticConfigs: [String: String] = [:]
    /// The data directory (`log.dirs`).
    public var dataDirectory: String = ""
    /// The listener as Kafka writes it (`listeners`).
    public var listenerText: String = "PLAINTEXT://:9092"
    /// The listeners clients reach this broker on, each with its advertised address; empty =
    /// one PLAINTEXT listener at `advertisedHost:advertisedPort` (see `endpoints`).
    public var listeners: [ListenerEndpoint] = []

    /// `listeners`, or the single PLAINTEXT listener at the advertised address. Never empty;
    /// the first is the default for requests without a known listener (tests, `handle`).
    public var endpoints: [ListenerEndpoint] {
        listeners.isEmpty
            ? [ListenerEndpoint(name: "PLAINTEXT", securityProtocol: .plaintext, advertisedHost: advertisedHost, advertisedPort: advertisedPort)]
            : listeners
    }
    /// The SASL mechanisms SASL_PLAINTEXT listeners offer (`sasl.enabled.mechanisms`).
    public var saslMechanisms: [String] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
    /// How long a failed login waits before its answer and the close
    /// (`connection.failed.authentication.delay.ms`).
    public var failedAuthenticationDelayMs: Int = 100
    /// Whether ACL authorization is on (`--authorizer acl`): the ACL APIs serve the durable
    /// ACLs; off, they answer SECURITY_DISABLED as a Kafka broker without an authorizer does.
    /// (The other APIs do not check ACLs yet.)
    public var aclAuthorizer: Bool = false
    /// Principals allowed everything (`super.users`).
    public var superUsers: [KafkaPrincipal] = []
    /// Allow when no ACL applies to a resource (`allow.everyone.if.no.acl.found`, default off).
    public var allowEveryoneIfNoAclFound = false
    /// The largest request frame accepted (`socket.request.max.bytes`).
    public var maxRequestBytes: Int = 100 * 1024 * 1024
    /// Longest a Fetch may be parked, whatever the client asks (guards against absurd waits).
    public var maxFetchWaitMillis: Int32 = 30_000

    /// Segment size of the committed-offsets log (`offsets.topic.segment.bytes`): smaller
    /// segments are compacted sooner.
    public var offsetsSegmentBytes: Int = 16 << 20

    /// Consumer-group timing limits.
    public var groups = GroupSettings()

    /// Transaction coordinator limits (`transaction.max.timeout.ms` and friends).
    public var transactions = TransactionSettings()

    /// Whether the share-group APIs (KIP-932) are advertised and served (default true;
    /// `--share-groups false` hides them, as a Kafka cluster without the share feature would).
    public var shareGroups = true

    /// Whether the consumer group protocol of Kafka 4 (KIP-848: ConsumerGroupHeartbeat,
    /// ConsumerGroupDescribe) is advertised and served (default true; classic groups work
    /// either way).
    public var consumerGroupProtocol = true

    public init() {}

    /// The topic config a new topic gets with `partitions` partitions: nothing set on the
    /// topic, so the broker's values apply.
    public func topicConfig(partitions: Int32) -> TopicConfig {
        TopicConfig(partitionCount: partitions)
    }
}

/// Consumer-group timing limits (Kafka's `group.min/max.session.timeout.ms`,
/// `group.initial.rebalance.delay.ms`).
public struct GroupSettings: Sendable {
    public var minSessionTimeoutMs: Int32 = 6_000
    public var maxSessionTimeoutMs: Int32 = 1_800_000
    public var initialRebalanceDelayMs: Int32 = 3_000
    public init() {}
}
