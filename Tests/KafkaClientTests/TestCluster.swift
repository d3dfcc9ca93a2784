import Broker
import BrokerServer
import KafkaClient
import KafkaProtocol
import Net
import SystemIO
import Synchronization
import Testing

/// The cluster a client test talks to: an in-process kaffeed on a free loopback port with a
/// fresh data directory, or — when `KAFFEE_TEST_BROKERS` is set (e.g. to a Tansu or Kafka
/// broker started by `scripts/test-client-against`) — that external cluster, so the same suite
/// runs against other Kafka-compatible brokers unchanged.
final class TestCluster: Sendable {
    let bootstrap: [HostPort]
    let isExternal: Bool
    private let server: BrokerServer?
    private let directory: String?

    /// Name of the external broker kind (`KAFFEE_TEST_BROKER_KIND`, e.g. "tansu"), or "kaffeed".
    static var kind: String { Environment.get("KAFFEE_TEST_BROKER_KIND") ?? (Environment.get("KAFFEE_TEST_BROKERS") == nil ? "kaffeed" : "external") }

    init() throws {
        if let external = Environment.get("KAFFEE_TEST_BROKERS"), let brokers = ClientConfig.parseBrokers(external) {
            bootstrap = brokers
            isExternal = true
            server = nil
            directory = nil
            return
        }
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-client-test-")
        var config = ServerConfig()
        config.listen = HostPort(host: "127.0.0.1", port: 0)
        config.dataDirectory = dir
        config.defaultPartitions = 3
        config.groups.initialRebalanceDelayMs = 0
        config.groups.minSessionTimeoutMs = 500
        // Share groups (KIP-932) are a kaffeed preview, off by default; the share consumer tests need them.
        config.shareGroups = true
        // Lower bounds only (the defaults stay 45 s / 5 s), so a test may give its share group a
        // short session to check that heartbeats keep a member alive between polls.
        config.staticConfigs["group.share.min.session.timeout.ms"] = "500"
        config.staticConfigs["group.share.min.heartbeat.interval.ms"] = "100"
        // The same for consumer-protocol groups (KIP-848): a test may shorten a group's session.
        config.staticConfigs["group.consumer.min.session.timeout.ms"] = "500"
        config.staticConfigs["group.consumer.min.heartbeat.interval.ms"] = "100"
        let server = try BrokerServer(config: config, logger: Logger(component: "test-broker", minimumLevel: .warning))
        try server.start()
        self.server = server
        directory = dir
        bootstrap = [HostPort(host: "127.0.0.1", port: server.port)]
        isExternal = false
    }

    /// The API versions the broker under test advertises: kaffeed's own table for the
    /// in-process broker, the external broker's ApiVersions answer otherwise (asked once; empty
    /// when it cannot be reached, so tests that need an API are skipped with that reason and the
    /// tests that need the broker fail on their own).
    static let advertisedVersions: [ApiKey: ApiVersionRange] = {
        guard let external = Environment.get("KAFFEE_TEST_BROKERS") else {
            // What `init` configures: share groups on, the consumer group protocol on (default).
            return Dictionary(SupportedVersions.advertised(shareGroups: true, consumerGroups: ServerConfig().consumerGroupProtocol).map { ($0.apiKey, $0) },
                              uniquingKeysWith: { first, _ in first })
        }
        guard let address = ClientConfig.parseBrokers(external)?.first else { return [:] }
        let connection = BrokerConnection(address: address, clientId: "kaffee-test-api-versions", requestTimeoutMs: 10_000)
        defer { connection.close() }
        return (try? connection.apiVersions()) ?? [:]
    }()

    /// Whether the broker under test advertises `key` at a version this client can use.
    static func advertises(_ key: ApiKey) -> Bool {
        ClientVersions.negotiate(key, broker: advertisedVersions) != nil
    }

    func clientConfig(_ clientId: String = "kaffee-test") -> ClientConfig {
        var config = ClientConfig(bootstrapServers: bootstrap, clientId: clientId)
        config.requestTimeoutMs = 10_000
        config.retries = 5
        return config
    }

    /// A topic name unique to this run (external clusters keep state between tests).
    static func uniqueTopic(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return "\(prefix)-\(UInt32.random(in: 0...UInt32.max, using: &generator))"
    }

    private let stopped = Mutex(false)

    /// Stops the in-process broker and removes its data (idempotent).
    func stop() {
        guard stopped.withLock({ done in defer { done = true }; return !done }) else { return }
        try? server?.shutdown(graceMillis: 2_000)
        if let directory { try? FileSystemCalls.removeTree(directory) }
    }

    deinit { stop() }
}
