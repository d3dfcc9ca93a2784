public import HTTPServer
public import Net
public import SystemIO
import Prometheus
import Synchronization

/// kaffeed's HTTP port: `/healthz`, `/readyz`, `/metrics`, and whatever routes are installed
/// later (the web console).
///
/// It binds and starts before the store is opened, so `/healthz` answers during a long
/// recovery while `/readyz` says 503 until the broker marks itself ready (store open, recovery
/// done, listeners bound). The HTTP server runs on its own threads (one per connection, at most
/// `HTTPServer.Limits.maxConnections`), never on the Kafka network loops or handler threads,
/// so HTTP clients cannot slow the Kafka port's request path. Thread-safe.
public final class BrokerHTTP: Sendable {
    private struct State {
        var ready = false
        var notReadyReason = "starting"
        var metrics: (@Sendable () -> String)?
        var routes: HTTPRouter?
    }

    /// The state the routes read, shared by reference with their closures.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let server: HTTPServer
    private let shared = Shared()

    /// The port bound (the chosen one when asked for port 0).
    public var port: UInt16 { server.port }

    /// Binds `address` (not yet serving; call `start`).
    public init(address: HostPort, logger: Logger) throws(SystemError) {
        let shared = self.shared
        var router = HTTPRouter()
        router.get("/healthz") { _, _ in .text("ok\n") }
        router.get("/readyz") { _, _ in
            let (ready, reason) = shared.state.withLock { ($0.ready, $0.notReadyReason) }
            return ready ? .text("ready\n") : .text("not ready: \(reason)\n", status: 503)
        }
        router.get("/metrics") { _, _ in
            guard let render = shared.state.withLock({ $0.metrics }) else { return .text("# metrics not available yet\n", status: 503) }
            return .text(render(), contentType: PrometheusText.contentType)
        }
        router.fallback = { request, _ in
            guard let routes = shared.state.withLock({ $0.routes }) else { return .notFound }
            return routes.handle(request)
        }
        server = try HTTPServer(listen: address, router: router, logger: logger)
    }

    /// Starts serving.
    public func start() throws(SystemError) { try server.start() }

    /// Marks the broker ready (`/readyz` answers 200).
    public func markReady() { shared.state.withLock { $0.ready = true } }

    /// Marks the broker not ready with the reason `/readyz` reports (shutting down, ...).
    public func markNotReady(_ reason: String) {
        shared.state.withLock {
            $0.ready = false
            $0.notReadyReason = reason
        }
    }

    /// Sets what `/metrics` renders (the Prometheus text exposition).
    public func setMetrics(_ render: @escaping @Sendable () -> String) { shared.state.withLock { $0.metrics = render } }

    /// Installs routes answering every path the built-in ones do not (replacing earlier ones).
    public func install(routes: HTTPRouter) { shared.state.withLock { $0.routes = routes } }

    /// Closes the port and its connections.
    public func stop() { server.stop(graceMillis: 2_000) }
}
