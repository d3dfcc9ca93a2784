import BrokerServer
import Net
import SystemIO

/// An in-process kaffeed on a free loopback port with a fresh data directory, for CLI tests
/// that need a broker. Call ``stop()`` when done.
final class TestBroker {
    let server: BrokerServer
    let directory: String

    /// Starts a broker whose data directory name starts with `prefix`. With `saslUsers`
    /// (`name:password` lines of a `--sasl-users` file) it also has a SASL_PLAINTEXT listener
    /// (``saslAddress``) next to the PLAINTEXT one.
    /// `flags`: more kaffeed flags (e.g. `--authorizer acl`), parsed as the command line would.
    init(prefix: String, saslUsers: [String]? = nil, flags: [String] = []) throws {
        directory = try FileSystemCalls.makeTemporaryDirectory(prefix: prefix)
        guard case .run(var config) = ServerConfig.parse(arguments: flags, environment: { _ in nil }) else {
            throw SystemError(code: 22, operation: "kaffeed flags \(flags)")
        }
        config.listen = HostPort(host: "127.0.0.1", port: 0)
        // The users file sits next to the data, not in it.
        config.dataDirectory = saslUsers == nil ? directory : directory + "/data"
        config.shareGroups = true
        do {
            if let saslUsers {
                config.listenersText = "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0"
                config.saslUsersFile = directory + "/users"
                let fd = try FileDescriptor.open(directory + "/users", [.writeOnly, .create, .truncate], mode: 0o600)
                defer { try? fd.close() }
                try Array(saslUsers.map { $0 + "\n" }.joined().utf8).withUnsafeBytes { try fd.write($0, at: 0) }
            }
            server = try BrokerServer(config: config, logger: .silent)
            try server.start()
        } catch {
            try? FileSystemCalls.removeTree(directory)
            throw error
        }
    }

    /// `HOST:PORT` of the broker.
    var address: String { "127.0.0.1:\(server.port)" }

    /// `HOST:PORT` of the SASL_PLAINTEXT listener (a broker started with `saslUsers`).
    var saslAddress: String { "127.0.0.1:\(server.listenerPorts["SASL_PLAINTEXT"] ?? 0)" }

    /// The broker's address for a client.
    var hostPort: HostPort { HostPort(host: "127.0.0.1", port: server.port) }

    /// Stops the broker and removes its data.
    func stop() {
        try? server.shutdown(graceMillis: 1_000)
        try? FileSystemCalls.removeTree(directory)
    }
}
