import Broker
import BrokerServer
import KafkaClient
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
        let server = try BrokerServer(config: config, logger: Logger(component: "test-broker", minimumLevel: .warning))
        try server.start()
        self.server = server
        directory = dir
        bootstrap = [HostPort(host: "127.0.0.1", port: server.port)]
        isExternal = false
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
