public import KafkaClient
public import SystemIO

/// Gives a service's consumer group its session timeout under Kafka 4's consumer group
/// protocol (KIP-848), where the session timeout and heartbeat interval are group configs
/// (`consumer.session.timeout.ms`, `consumer.heartbeat.interval.ms`) rather than consumer
/// settings. Without it a killed static member keeps its partitions, and its restarted
/// replacement waits (UNRELEASED_INSTANCE_ID), for the broker's default of 45 s instead of
/// `SERVICE_SESSION_TIMEOUT_MS`.
///
/// Best effort: a broker without the protocol (Tansu) needs nothing; a broker whose bounds
/// refuse the values (Kafka's `group.consumer.min.session.timeout.ms` is 45 s) keeps its
/// defaults, with a warning. Stateless; thread-safe.
public enum ConsumerGroupTuning {
    /// The group configs for `sessionTimeoutMs`: the heartbeat interval a third of it (at
    /// least 1 s), as the classic settings of the services.
    public static func alterations(sessionTimeoutMs: Int) -> [ConfigAlteration] {
        [.set("consumer.session.timeout.ms", String(sessionTimeoutMs)),
         .set("consumer.heartbeat.interval.ms", String(max(1_000, sessionTimeoutMs / 3)))]
    }

    /// Sets the configs on `groupId` when the broker speaks the consumer protocol and
    /// `groupProtocol` may use it; returns whether they were set. Never throws: failures are
    /// logged.
    @discardableResult
    public static func apply(groupId: String, sessionTimeoutMs: Int, groupProtocol: ConsumerConfig.GroupProtocol,
                             client: ClientConfig, logger: Logger) -> Bool {
        guard groupProtocol != .classic else { return false }
        do {
            guard try BrokerFeatures.advertises(.consumerGroupHeartbeat, client: client) else { return false }
            let admin = KafkaAdmin(config: client)
            defer { admin.close() }
            try admin.incrementalAlterConfigs(.group(groupId), alterations(sessionTimeoutMs: sessionTimeoutMs))
            logger.info("consumer group \(groupId): consumer.session.timeout.ms set to \(sessionTimeoutMs)")
            return true
        } catch {
            logger.warning("consumer group \(groupId): cannot set its session timeout (\(error)); the broker's default applies")
            return false
        }
    }
}
