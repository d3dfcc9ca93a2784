import BrokerServer
import HTTPServer
@testable import KaffeeCLI
import KafkaClient
import Net
import SystemIO
import Testing

/// Runs `kaffee healthcheck ARGS` with `environment` and a capturing console.
private func healthcheck(_ arguments: [String], environment: [String: String] = [:]) -> (code: ExitCode, out: String, err: String) {
    let console = Console.capturing()
    let code = Kaffee.run(["healthcheck"] + arguments, environment: { environment[$0] }, console: console)
    return (code, console.captured.out, console.captured.err)
}

/// An HTTP server on a free loopback port: `/healthz` answers 200, `/sick` 503 with a reason.
private func startServer() throws -> HTTPServer {
    var router = HTTPRouter()
    router.get("/healthz") { _, _ in .json("{\"status\":\"ok\"}") }
    router.get("/sick") { _, _ in .error("database not migrated", status: 503) }
    let server = try HTTPServer(listen: HostPort(host: "127.0.0.1", port: 0), router: router, logger: .silent)
    try server.start()
    return server
}

/// A loopback port nothing listens on (a server's, after it stopped).
private func closedPort() throws -> UInt16 {
    let server = try startServer()
    let port = server.port
    server.stop(graceMillis: 0)
    return port
}

@Suite struct HealthcheckCommandTests {
    @Test func httpModeIsHealthyOnlyOn200() throws {
        let server = try startServer()
        defer { server.stop() }
        let healthy = healthcheck(["http://127.0.0.1:\(server.port)/healthz"])
        #expect(healthy.code == .ok)
        #expect(healthy.out.contains("answered 200"))

        let sick = healthcheck(["http://127.0.0.1:\(server.port)/sick"])
        #expect(sick.code == .failure)
        #expect(sick.err.contains("503"))
        #expect(sick.err.contains("database not migrated"))

        #expect(healthcheck(["127.0.0.1:\(server.port)/nope"]).code == .failure)
        let down = healthcheck(["http://127.0.0.1:\(try closedPort())/healthz", "--timeout", "1000"])
        #expect(down.code == .failure)
        #expect(down.err.contains("unhealthy"))
    }

    @Test func defaultURLIsTheServicePortFromTheEnvironment() throws {
        let server = try startServer()
        defer { server.stop() }
        #expect(healthcheck([], environment: ["SERVICE_HTTP_PORT": String(server.port)]).code == .ok)
        #expect(healthcheck([], environment: ["SERVICE_HTTP_PORT": "http"]).code == .usage)
        #expect(try HTTPTarget.defaultService { _ in nil } == HTTPTarget(parsing: "http://127.0.0.1:8080/healthz"))
    }

    @Test func urlsParseOrAreUsageErrors() throws {
        let plain = try HTTPTarget(parsing: "http://order-service:8080/healthz?deep=1")
        #expect(plain.server == HostPort(host: "order-service", port: 8080))
        #expect(plain.path == "/healthz?deep=1")
        #expect(try HTTPTarget(parsing: "example.com").server == HostPort(host: "example.com", port: 80))
        #expect(try HTTPTarget(parsing: "HTTP://[::1]/").server == HostPort(host: "::1", port: 80))
        #expect(try HTTPTarget(parsing: "http://[::1]:81").path == "/")
        for bad in ["https://x:1/", "http://", "http://:80/", "x:0/"] {
            #expect(throws: CLIError.self) { try HTTPTarget(parsing: bad) }
        }
        #expect(healthcheck(["--topic", "t"]).code == .usage)
        #expect(healthcheck(["--broker", "nope"]).code == .usage)
        #expect(healthcheck(["--broker", "127.0.0.1:1", "http://x:1/"]).code == .usage)
        #expect(healthcheck(["--help"]).code == .ok)
    }

    @Test func brokerModeNeedsAnAnsweringBrokerAndItsTopics() throws {
        let broker = try TestBroker(prefix: "kaffee-healthcheck-test-")
        defer { broker.stop() }
        let address = broker.address

        #expect(healthcheck(["--broker", address]).code == .ok)
        let missing = healthcheck(["--broker", address, "--topic", "coffee.orders"])
        #expect(missing.code == .failure)
        #expect(missing.err.contains("coffee.orders"))

        let admin = KafkaAdmin(config: ClientConfig(bootstrapServers: [broker.hostPort]))
        defer { admin.close() }
        try admin.createTopic(name: "coffee.orders", partitions: 1)
        #expect(healthcheck(["--broker", address, "--topic", "coffee.orders"]).code == .ok)

        let down = healthcheck(["--broker", "127.0.0.1:\(try closedPort())", "--timeout", "1000"])
        #expect(down.code == .failure)
        #expect(down.err.contains("unhealthy"))
    }
}
