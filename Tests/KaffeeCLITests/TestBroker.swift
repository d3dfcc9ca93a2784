import BrokerServer
import Net
import SystemIO

/// An in-process kaffeed on a free loopback port with a fresh data directory, for CLI tests
/// that need a broker. Call ``stop()`` when done.
final class TestBroker {
    let server: BrokerServer
    let directory: String

    /// Starts a broker whose data directory name starts with `prefix`.
    init(prefix: String) throws {
        directory = try FileSystemCalls.makeTemporaryDirectory(prefix: prefix)
        var config = ServerConfig()
        config.listen = HostPort(host: "127.0.0.1", port: 0)
        config.dataDirectory = directory
        config.shareGroups = true
        do {
            server = try BrokerServer(config: config, logger: .silent)
            try server.start()
        } catch {
            try? FileSystemCalls.removeTree(directory)
            throw error
        }
    }

    /// `HOST:PORT` of the broker.
    var address: String { "127.0.0.1:\(server.port)" }

    /// The broker's address for a client.
    var hostPort: HostPort { HostPort(host: "127.0.0.1", port: server.port) }

    /// Stops the broker and removes its data.
    func stop() {
        try? server.shutdown(graceMillis: 1_000)
        try? FileSystemCalls.removeTree(directory)
    }
}
