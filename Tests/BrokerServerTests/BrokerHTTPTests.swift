import BrokerServer
import HTTPClient
import HTTPServer
import Net
import SystemIO
import Testing

/// kaffeed's HTTP port: where it listens, health and readiness over real loopback HTTP, the
/// routes installed later, and what happens when its port is taken.
@Suite struct BrokerHTTPTests {
    private func config(_ arguments: [String]) throws -> ServerConfig {
        guard case .run(let config) = ServerConfig.parse(arguments: arguments, environment: { _ in nil }) else {
            throw SystemError(code: 22, operation: "parse \(arguments)")
        }
        return config
    }

    private func specs(_ config: ServerConfig) throws -> [ListenerSpec] { try config.listenerSpecs.get() }

    @Test func theDefaultPortIsTheNextOneNoListenerUses() throws {
        let single = try config(["--listen", "0.0.0.0:9092"])
        let address = try #require(single.httpAddress(listeners: try specs(single)))
        #expect(address.address == HostPort(host: "0.0.0.0", port: 9093))
        #expect(!address.explicit)
        let two = try config(["--listeners", "PLAINTEXT://127.0.0.1:9092,SASL_PLAINTEXT://127.0.0.1:9093"])
        #expect(two.httpAddress(listeners: try specs(two))?.address == HostPort(host: "127.0.0.1", port: 9094))
        let random = try config(["--listeners", "PLAINTEXT://127.0.0.1:0"])
        #expect(random.httpAddress(listeners: try specs(random))?.address.port == 0)
    }

    @Test func anExplicitAddressOrOffWins() throws {
        let explicit = try config(["--listen", "0.0.0.0:9092", "--http-listen", "127.0.0.1:8081"])
        let address = try #require(explicit.httpAddress(listeners: try specs(explicit)))
        #expect(address.address == HostPort(host: "127.0.0.1", port: 8081))
        #expect(address.explicit)
        let off = try config(["--http-listen", "off"])
        #expect(off.httpAddress(listeners: try specs(off)) == nil)
        guard case .run(let fromEnvironment) = ServerConfig.parse(arguments: [], environment: { $0 == "KAFFEE_HTTP_LISTEN" ? "127.0.0.1:7000" : nil }) else {
            Issue.record("KAFFEE_HTTP_LISTEN refused")
            return
        }
        #expect(fromEnvironment.httpListenText == "127.0.0.1:7000")
        guard case .error(let message) = ServerConfig.parse(arguments: ["--http-listen", "nonsense"], environment: { _ in nil }) else {
            Issue.record("a bad --http-listen was accepted")
            return
        }
        #expect(message.contains("--http-listen"))
        guard case .error = ServerConfig.parse(arguments: ["--metrics", "maybe"], environment: { _ in nil }) else {
            Issue.record("a bad --metrics was accepted")
            return
        }
    }

    @Test func healthReadinessMetricsAndInstalledRoutes() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-http-")
        defer { try? FileSystemCalls.removeTree(dir) }
        var config = try config(["--listeners", "PLAINTEXT://127.0.0.1:0", "--http-listen", "127.0.0.1:0"])
        config.dataDirectory = dir
        let server = try BrokerServer(config: config, logger: .silent)
        let http = try #require(server.http)
        let client = HTTPClient(server: HostPort(host: "127.0.0.1", port: http.port), timeoutMillis: 5_000)
        defer { client.close() }
        // Bound and answering before start(): alive, not ready.
        #expect(try client.get("/healthz").status == 200)
        let early = try client.get("/readyz")
        #expect(early.status == 503)
        #expect(early.text.hasPrefix("not ready"))
        try server.start()
        #expect(try client.get("/readyz").text == "ready\n")
        #expect(try client.get("/console").status == 404)
        var routes = HTTPRouter()
        routes.get("/console") { _, _ in .text("console") }
        http.install(routes: routes)
        #expect(try client.get("/console").text == "console")
        #expect(try client.get("/healthz").text == "ok\n")
        http.setMetrics { "kaffee_up 1\n" }
        let metrics = try client.get("/metrics")
        #expect(metrics.text == "kaffee_up 1\n")
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        try server.shutdown()
        #expect(throws: (any Error).self) { try HTTPClient(server: HostPort(host: "127.0.0.1", port: http.port), timeoutMillis: 1_000).get("/healthz") }
    }

    @Test func aTakenExplicitPortStopsTheBrokerButATakenDefaultOneOnlyWarns() throws {
        let blocker = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
        defer { blocker.close() }
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-http-")
        defer { try? FileSystemCalls.removeTree(dir) }
        var explicit = try config(["--listeners", "PLAINTEXT://127.0.0.1:0", "--http-listen", "127.0.0.1:\(blocker.port)"])
        explicit.dataDirectory = dir
        #expect(throws: (any Error).self) { _ = try BrokerServer(config: explicit, logger: .silent) }
        // The default is the listener's port + 1: with the listener one below the blocker's port.
        guard blocker.port > 1024 else { return }
        var fallback = try config(["--listeners", "PLAINTEXT://127.0.0.1:\(blocker.port - 1)"])
        fallback.dataDirectory = dir
        guard let server = try? BrokerServer(config: fallback, logger: .silent) else { return }  // port below was taken too
        defer { try? server.shutdown() }
        #expect(server.http == nil)
    }
}
