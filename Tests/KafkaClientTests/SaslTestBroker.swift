import BrokerServer
import KafkaClient
import Net
import SystemIO

/// An in-process kaffeed with a PLAINTEXT and a SASL_PLAINTEXT listener and users from a
/// `--sasl-users` file, configured through the same flags as the real daemon. Always local,
/// even when `KAFFEE_TEST_BROKERS` points the rest of the suite at another broker (Tansu has no
/// SASL listener to test against). Call ``stop()`` when done.
final class SaslTestBroker {
    let server: BrokerServer
    let directory: String
    /// The SASL_PLAINTEXT listener.
    let saslAddress: HostPort
    /// The PLAINTEXT listener (no login).
    let plainAddress: HostPort

    /// `users`: `name:password` lines of the users file; `mechanisms`: `--sasl-enabled-mechanisms`.
    init(users: [String] = ["alice:alice-secret"], mechanisms: String? = nil) throws {
        directory = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-sasl-client-")
        do {
            let usersFile = directory + "/users"
            let fd = try FileDescriptor.open(usersFile, [.writeOnly, .create, .truncate], mode: 0o600)
            defer { try? fd.close() }
            try Array(users.map { $0 + "\n" }.joined().utf8).withUnsafeBytes { try fd.write($0, at: 0) }
            var arguments = ["--listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
                             "--sasl-users", usersFile, "--data-dir", directory + "/data"]
            if let mechanisms { arguments += ["--sasl-enabled-mechanisms", mechanisms] }
            guard case .run(let config) = ServerConfig.parse(arguments: arguments, environment: { _ in nil }) else {
                throw KafkaClientError.invalidArgument("kaffeed flags \(arguments) did not parse")
            }
            server = try BrokerServer(config: config, logger: .silent)
            try server.start()
            guard let sasl = server.listenerPorts["SASL_PLAINTEXT"], let plain = server.listenerPorts["PLAINTEXT"] else {
                try? server.shutdown(graceMillis: 0)
                throw KafkaClientError.invalidArgument("the broker has no SASL_PLAINTEXT or PLAINTEXT listener")
            }
            saslAddress = HostPort(host: "127.0.0.1", port: sasl)
            plainAddress = HostPort(host: "127.0.0.1", port: plain)
        } catch {
            try? FileSystemCalls.removeTree(directory)
            throw error
        }
    }

    /// A client configuration for the SASL listener logging in with these credentials.
    func config(_ mechanism: SaslConfig.Mechanism, _ username: String, _ password: String) -> ClientConfig {
        var config = ClientConfig(bootstrapServers: [saslAddress], clientId: "kaffee-sasl-test")
        config.requestTimeoutMs = 10_000
        config.sasl = SaslConfig(mechanism: mechanism, username: username, password: password)
        return config
    }

    /// Stops the broker and removes its data.
    func stop() {
        try? server.shutdown(graceMillis: 1_000)
        try? FileSystemCalls.removeTree(directory)
    }
}
