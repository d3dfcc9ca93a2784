public import LogStorage

/// A broker config: its definition, whether it can be changed at run time (IncrementalAlter /
/// AlterConfigs on a BROKER resource), and, for read-only ones, how its value is obtained from
/// the running broker.
public struct BrokerConfigDefinition: Sendable {
    public let definition: ConfigDefinition
    /// Changeable at run time (read_only false in DescribeConfigs).
    public let isDynamic: Bool
    /// The value this broker runs with when no layer sets it (e.g. `broker.id` = the node id);
    /// nil = the definition's default.
    let current: (@Sendable (BrokerConfig) -> String?)?

    init(_ definition: ConfigDefinition, dynamic: Bool, current: (@Sendable (BrokerConfig) -> String?)? = nil) {
        self.definition = definition
        self.isDynamic = dynamic
        self.current = current
    }

    public var name: String { definition.name }
}

/// The broker configs kaffeed knows: the cluster-wide topic defaults (every topic config's
/// primary broker synonym, changeable at run time, as in Kafka), the log cleaner's settings,
/// and the static settings admin tools show (identity, listeners, groups). Unknown names are
/// refused when altering (Kafka would store them as custom configs; here they would do nothing).
public enum BrokerConfigDefinitions {
    static let hour = "3600000"

    /// Kafka's broker defaults for primary synonyms whose value is null (the topic default then
    /// comes from a less specific synonym such as `log.retention.hours`).
    static let nullDefaults: Set<String> = ["log.retention.ms", "log.roll.ms", "log.roll.jitter.ms", "log.flush.interval.ms"]

    /// One dynamic broker config per topic config with a broker synonym.
    static let topicDefaults: [BrokerConfigDefinition] = TopicConfigDefinitions.all.compactMap { entry in
        guard let primary = entry.synonyms.first else { return nil }
        let topic = entry.definition
        let defaultValue = nullDefaults.contains(primary.name) ? nil : topic.defaultValue
        let definition = ConfigDefinition(primary.name, topic.type, defaultValue, topic.validator,
                                          "Default \(topic.name) of topics that do not set it. \(topic.documentation)")
        return BrokerConfigDefinition(definition, dynamic: true)
    }

    static let others: [BrokerConfigDefinition] = [
        // Less specific synonyms of topic defaults: static, as in Kafka.
        .init(.init("log.retention.minutes", .int, nil, .none, "retention.ms default in minutes (when log.retention.ms is unset)."), dynamic: false),
        .init(.init("log.retention.hours", .int, "168", .none, "retention.ms default in hours (when log.retention.ms/minutes are unset)."), dynamic: false),
        .init(.init("log.roll.hours", .int, "168", .atLeast(1), "segment.ms default in hours (when log.roll.ms is unset)."), dynamic: false),
        .init(.init("log.roll.jitter.hours", .int, "0", .atLeast(0), "segment.jitter.ms default in hours."), dynamic: false),
        .init(.init("log.flush.scheduler.interval.ms", .long, String(Int64.max), .none, "flush.ms default (when log.flush.interval.ms is unset)."), dynamic: false),
        // The log cleaner.
        .init(.init("log.cleaner.enable", .boolean, "true", .none, "Whether compacted topics are compacted."), dynamic: false),
        .init(.init("log.cleaner.threads", .int, "1", .atLeast(0), "Cleaner threads (kaffeed runs one)."), dynamic: false),
        .init(.init("log.cleaner.dedupe.buffer.size", .long, "134217728", .none, "Memory for the key map of one compaction pass."), dynamic: true),
        // Kafka's default is unlimited; kaffeed bounds the cleaner out of the box so a large
        // compaction cannot starve other partitions' producers of disk bandwidth.
        .init(.init("log.cleaner.io.max.bytes.per.second", .double, "5.24288E7", .atLeastDouble(1),
                    "Cleaner I/O limit, reads and writes together (kaffeed default 50 MiB/s; Kafka's is unlimited)."), dynamic: true),
        .init(.init("log.cleaner.backoff.ms", .long, "15000", .atLeast(0), "Pause between cleaner passes that found nothing to do."), dynamic: true),
        .init(.init("log.cleaner.io.buffer.size", .int, "524288", .atLeast(0), "Cleaner read buffer (kaffeed reads 1 MiB windows)."), dynamic: true),
        .init(.init("log.retention.check.interval.ms", .long, "300000", .atLeast(1), "How often retention runs."), dynamic: false),
        // Identity and listeners.
        .init(.init("broker.id", .int, "-1", .none, "This broker's id."), dynamic: false, current: { String($0.nodeId) }),
        .init(.init("node.id", .int, nil, .none, "This node's id."), dynamic: false, current: { String($0.nodeId) }),
        .init(.init("process.roles", .list, "", .none, "Roles of this node: broker and controller in one process."), dynamic: false,
              current: { _ in "broker,controller" }),
        .init(.init("listeners", .list, "PLAINTEXT://:9092", .none, "Where the broker listens."), dynamic: false,
              current: { $0.listenerText }),
        .init(.init("advertised.listeners", .list, nil, .none, "What clients are told to connect to."), dynamic: false,
              current: { $0.endpoints.map(\.advertisedText).joined(separator: ",") }),
        .init(.init("log.dirs", .list, nil, .none, "Where topics are stored."), dynamic: false, current: { $0.dataDirectory }),
        .init(.init("num.partitions", .int, "1", .atLeast(1), "Partitions of auto-created topics."), dynamic: false,
              current: { String($0.defaultPartitions) }),
        .init(.init("default.replication.factor", .int, "1", .none, "Replication factor of auto-created topics (one node: 1)."), dynamic: false),
        .init(.init("auto.create.topics.enable", .boolean, "true", .none, "Create unknown topics on metadata and produce."), dynamic: false,
              current: { $0.autoCreateTopics ? "true" : "false" }),
        .init(.init("delete.topic.enable", .boolean, "true", .none, "Whether topics may be deleted."), dynamic: false),
        .init(.init("num.network.threads", .int, "2", .atLeast(1), "Event-loop threads moving bytes for every connection (kaffeed --network-threads)."), dynamic: false),
        .init(.init("num.io.threads", .int, "8", .atLeast(1), "Threads running request handlers (kaffeed --handler-threads)."), dynamic: false),
        .init(.init("socket.request.max.bytes", .int, "104857600", .atLeast(1), "Largest request frame."), dynamic: false,
              current: { String($0.maxRequestBytes) }),
        // Connections and security.
        .init(.init("connections.max.idle.ms", .long, "600000", .atLeast(1000), "Close connections idle this long (kaffeed --connections-max-idle-ms)."), dynamic: false),
        .init(.init("max.connections.per.ip", .int, "2147483647", .atLeast(1), "Most connections from one client address (kaffeed --max-connections-per-ip)."), dynamic: false),
        .init(.init("sasl.server.max.receive.size", .int, "524288", .atLeast(512), "Largest request before a SASL login succeeded."), dynamic: false),
        .init(.init("sasl.enabled.mechanisms", .list, "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512", .none, "SASL mechanisms of SASL_PLAINTEXT listeners."), dynamic: false,
              current: { $0.saslMechanisms.joined(separator: ",") }),
        .init(.init("connection.failed.authentication.delay.ms", .int, "100", .atLeast(0), "Delay before a failed login is answered and closed."), dynamic: false,
              current: { String($0.failedAuthenticationDelayMs) }),
        // Groups.
        .init(.init("offsets.topic.replication.factor", .short, "1", .none, "Replicas of the committed-offsets log (one node: 1)."), dynamic: false),
        .init(.init("offsets.retention.minutes", .int, "10080", .atLeast(1), "How long an empty group's committed offsets are kept."), dynamic: false),
        .init(.init("group.min.session.timeout.ms", .int, "6000", .none, "Shortest classic-group session timeout accepted."), dynamic: false,
              current: { String($0.groups.minSessionTimeoutMs) }),
        .init(.init("group.max.session.timeout.ms", .int, "1800000", .none, "Longest classic-group session timeout accepted."), dynamic: false,
              current: { String($0.groups.maxSessionTimeoutMs) }),
        .init(.init("group.initial.rebalance.delay.ms", .int, "3000", .none, "Wait for more members when a group forms."), dynamic: false,
              current: { String($0.groups.initialRebalanceDelayMs) }),
        // Transactions.
        .init(.init("transaction.max.timeout.ms", .int, "900000", .atLeast(1), "Longest transaction.timeout.ms a producer may ask for."), dynamic: false,
              current: { String($0.transactions.maxTimeoutMs) }),
        .init(.init("transactional.id.expiration.ms", .int, "604800000", .atLeast(1), "How long an idle transactional id is remembered."), dynamic: false,
              current: { String($0.transactions.idExpirationMs) }),
        .init(.init("transaction.abort.timed.out.transaction.cleanup.interval.ms", .int, "10000", .atLeast(1), "How often transactions past their timeout are looked for and aborted."), dynamic: false,
              current: { String($0.transactions.abortCheckIntervalMs) }),
        .init(.init("transaction.remove.expired.transaction.cleanup.interval.ms", .int, "3600000", .atLeast(1), "How often expired transactional ids are looked for."), dynamic: false,
              current: { String($0.transactions.expiredIdCheckIntervalMs) }),
        .init(.init("transaction.state.log.replication.factor", .short, "1", .none, "Replicas of the transaction log (one node: 1)."), dynamic: false),
        .init(.init("transaction.state.log.min.isr", .int, "1", .atLeast(1), "Minimum in-sync replicas of the transaction log (one node: 1)."), dynamic: false),
        .init(.init("group.consumer.session.timeout.ms", .int, "45000", .atLeast(1), "Default consumer.session.timeout.ms of groups."), dynamic: false),
        .init(.init("group.consumer.min.session.timeout.ms", .int, "45000", .atLeast(1), "Lower bound of consumer.session.timeout.ms."), dynamic: false),
        .init(.init("group.consumer.max.session.timeout.ms", .int, "60000", .atLeast(1), "Upper bound of consumer.session.timeout.ms."), dynamic: false),
        .init(.init("group.consumer.heartbeat.interval.ms", .int, "5000", .atLeast(1), "Default consumer.heartbeat.interval.ms of groups."), dynamic: false),
        .init(.init("group.consumer.min.heartbeat.interval.ms", .int, "5000", .atLeast(1), "Lower bound of consumer.heartbeat.interval.ms."), dynamic: false),
        .init(.init("group.consumer.max.heartbeat.interval.ms", .int, "15000", .atLeast(1), "Upper bound of consumer.heartbeat.interval.ms."), dynamic: false),
        .init(.init("group.share.session.timeout.ms", .int, "45000", .atLeast(1), "Default share.session.timeout.ms of groups."), dynamic: false),
        .init(.init("group.share.min.session.timeout.ms", .int, "45000", .atLeast(1), "Lower bound of share.session.timeout.ms."), dynamic: false),
        .init(.init("group.share.max.session.timeout.ms", .int, "60000", .atLeast(1), "Upper bound of share.session.timeout.ms."), dynamic: false),
        .init(.init("group.share.heartbeat.interval.ms", .int, "5000", .atLeast(1), "Default share.heartbeat.interval.ms of groups."), dynamic: false),
        .init(.init("group.share.min.heartbeat.interval.ms", .int, "5000", .atLeast(1), "Lower bound of share.heartbeat.interval.ms."), dynamic: false),
        .init(.init("group.share.max.heartbeat.interval.ms", .int, "15000", .atLeast(1), "Upper bound of share.heartbeat.interval.ms."), dynamic: false),
        .init(.init("group.share.delivery.count.limit", .int, "5", .atLeast(2), "Deliveries of a share-group record before it is archived."), dynamic: false),
        .init(.init("group.share.partition.max.record.locks", .int, "2000", .atLeast(100), "Most records in flight per share partition."), dynamic: false),
        .init(.init("group.share.record.lock.duration.ms", .int, "30000", .atLeast(1000), "Default share.record.lock.duration.ms of groups."), dynamic: false),
        .init(.init("group.share.min.record.lock.duration.ms", .int, "15000", .atLeast(1000), "Lower bound of share.record.lock.duration.ms."), dynamic: false),
        .init(.init("group.share.max.record.lock.duration.ms", .int, "60000", .atLeast(1000), "Upper bound of share.record.lock.duration.ms."), dynamic: false),
        .init(.init("group.streams.min.session.timeout.ms", .int, "45000", .atLeast(1), "Lower bound of streams.session.timeout.ms."), dynamic: false),
        .init(.init("group.streams.max.session.timeout.ms", .int, "60000", .atLeast(1), "Upper bound of streams.session.timeout.ms."), dynamic: false),
        .init(.init("group.streams.min.heartbeat.interval.ms", .int, "5000", .atLeast(1), "Lower bound of streams.heartbeat.interval.ms."), dynamic: false),
        .init(.init("group.streams.max.heartbeat.interval.ms", .int, "15000", .atLeast(1), "Upper bound of streams.heartbeat.interval.ms."), dynamic: false),
        .init(.init("group.streams.max.standby.replicas", .int, "2", .atLeast(0), "Upper bound of streams.num.standby.replicas."), dynamic: false),
    ]

    public static let all: [BrokerConfigDefinition] = topicDefaults + others

    static let byName: [String: BrokerConfigDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The definition of `name`, or nil for a config kaffeed does not know.
    public static func definition(_ name: String) -> BrokerConfigDefinition? { byName[name] }
}
