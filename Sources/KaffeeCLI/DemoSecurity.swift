import Foundation
import KafkaClient
import Net
import TopicCatalog

/// What `kaffee demo --secure` sets up: a random password per user (`admin`, each service and
/// the barista workers) in `DATA_DIR/secrets/<user>` (mode 0600) and the broker's
/// `--sasl-users` file, kaffeed on a SASL_PLAINTEXT listener only with `--authorizer acl` and
/// `admin` as its super user, and the services' least-privilege ACLs from `Topics/`
/// (`kaffee acls apply`). Passwords are never printed.
struct DemoSecurity {
    static let users = ["admin", "order-service", "barista-service", "notification-service", "barista-worker"]
    let secretsDir: String
    let topicsDir: String
    let broker: String
    let users: [String: String]

    init(dataDir: String, topicsDir: String, broker: String) throws {
        secretsDir = dataDir + "/secrets"
        self.topicsDir = topicsDir
        self.broker = broker
        try FileManager.default.createDirectory(atPath: secretsDir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var users: [String: String] = [:]
        for user in Self.users {
            users[user] = String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        }
        self.users = users
        for (user, password) in users { try Self.writeSecret(password + "\n", to: secretsDir + "/" + user) }
        try Self.writeSecret(Self.users.map { "\($0):\(users[$0] ?? "")\n" }.joined(), to: secretsDir + "/users")
    }

    /// kaffeed's listener and security flags.
    var brokerArguments: [String] {
        ["--listeners", "SASL_PLAINTEXT://\(broker)", "--advertised-listeners", "SASL_PLAINTEXT://\(broker)",
         "--sasl-users", secretsDir + "/users", "--authorizer", "acl", "--super-users", "User:admin"]
    }

    /// The login of the demo's own clients (the checks): the super user.
    var admin: SaslConfig { SaslConfig(mechanism: .scramSha512, username: "admin", password: users["admin"] ?? "") }

    /// The environment that makes a service or worker log in as `user`.
    func environment(user: String) -> [String: String] {
        ["KAFFEE_SASL_MECHANISM": "SCRAM-SHA-512", "KAFFEE_SASL_USERNAME": user, "KAFFEE_SASL_PASSWORD_FILE": secretsDir + "/" + user]
    }

    /// Creates the services' ACLs as `admin`, retrying until the broker answers or `deadline`;
    /// returns how many.
    func grantServiceAcls(deadline: Date) throws -> Int {
        let rules = AclsCommand.serviceRules(try TopicDeclaration.load(directory: topicsDir))
        let hostPort = broker.split(separator: ":").last.flatMap { UInt16($0) }.map { HostPort(host: "127.0.0.1", port: $0) }
        var config = ClientConfig(bootstrapServers: hostPort.map { [$0] } ?? [], clientId: "kaffee-demo")
        config.sasl = admin
        while true {
            let admin = KafkaAdmin(config: config)
            defer { admin.close() }
            do {
                let results = try admin.createAcls(rules)
                if let failure = results.values.compactMap({ $0 }).first { throw CLIError.client(failure) }
                return rules.count
            } catch let error as KafkaClientError {
                // The broker may still be starting (connection refused): try again until the
                // deadline. A refused login will not get better.
                if case .authenticationFailed = error { throw CLIError.client(error) }
                guard Date() < deadline else { throw CLIError.client(error) }
            }
            usleep(200_000)
        }
    }

    private static func writeSecret(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError.failed("cannot write \(path)")
        }
    }
}
