import KafkaClient
import SystemIO

/// `kaffee users list|create|delete`: SCRAM credentials (KIP-554). Passwords are salted and
/// hashed by the client; only the salted password reaches the broker, and none is ever printed.
enum UsersCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--mechanism", value: "M", help: "create, delete: SCRAM-SHA-256 or SCRAM-SHA-512 (repeatable; default both)"),
        Arguments.Option("--password", value: "PASSWORD", help: "create: the password (visible in ps; prefer --password-stdin)"),
        Arguments.Option("--password-stdin", help: "create: read the password from the first line of standard input"),
        Arguments.Option("--iterations", value: "N", help: "create: PBKDF2 iterations, 4096...16384 (default 4096, as Kafka)"),
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee users list [NAME]...                USER  MECHANISM  ITERATIONS, one line per credential
           kaffee users create NAME (--password P | --password-stdin) [--mechanism M]... [--iterations N]
                                                      add or replace the user's SCRAM credentials
           kaffee users delete NAME [--mechanism M]...  remove them (default: every mechanism the user has)
    PLAIN logins are checked against the SCRAM credentials, so a user created here can log in with
    PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (as the listener's --sasl-enabled-mechanisms allow).

    \(Arguments.help(options))
    """

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let (arguments, action, operands) = try Kaffee.action(raw, options: options, usage: usage, console: console)
        switch action {
        case "list":
            let admin = KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
            defer { admin.close() }
            var failure: KafkaClientError?
            for (user, result) in try admin.describeUserScramCredentials(operands).sorted(by: { $0.key < $1.key }) {
                switch result {
                case .success(let credentials):
                    for credential in credentials { console.print("\(user)\t\(credential.mechanism.name)\t\(credential.iterations)") }
                case .failure(let error):
                    console.error("\(user): \(error)")
                    failure = failure ?? error
                }
            }
            if let failure { throw CLIError.client(failure) }
        case "create":
            guard operands.count == 1 else { throw CLIError.usage("kaffee users create needs one NAME\n\n\(usage)") }
            let mechanisms = try mechanisms(arguments)
            let password = try password(arguments)
            let iterations = try arguments.integer("--iterations", default: ScramCredentialUpsertion.defaultIterations, range: 4096...16384)
            let admin = KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
            defer { admin.close() }
            // One request: every mechanism is stored, or none (a user and mechanism may appear
            // only once per request, Kafka's rule; different mechanisms of one user may).
            let upsertions = mechanisms.map { ScramCredentialUpsertion(user: operands[0], mechanism: $0, password: password, iterations: iterations) }
            if case .some(.some(let error)) = try admin.alterUserScramCredentials(upsert: upsertions)[operands[0]] { throw CLIError.client(error) }
            for mechanism in mechanisms { console.print("\(operands[0])\t\(mechanism.name)\t\(iterations)") }
        case "delete":
            guard operands.count == 1 else { throw CLIError.usage("kaffee users delete needs one NAME\n\n\(usage)") }
            let admin = KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
            defer { admin.close() }
            var mechanisms = try mechanisms(arguments, default: [])
            if mechanisms.isEmpty {
                switch try admin.describeUserScramCredentials([operands[0]])[operands[0]] {
                case .success(let credentials): mechanisms = credentials.map(\.mechanism)
                case .failure(let error): throw CLIError.client(error)
                case nil: throw CLIError.notFound("user \(operands[0]) does not exist")
                }
            }
            let deletions = mechanisms.map { ScramCredentialDeletion(user: operands[0], mechanism: $0) }
            if case .some(.some(let error)) = try admin.alterUserScramCredentials(delete: deletions)[operands[0]] { throw CLIError.client(error) }
            for mechanism in mechanisms { console.print("deleted \(operands[0])\t\(mechanism.name)") }
        default:
            throw CLIError.usage("unknown action \(action.debugDescription)\n\n\(usage)")
        }
        return .ok
    }

    /// The `--mechanism` values (each SCRAM-SHA-256 or SCRAM-SHA-512, no repeats), or `fallback`.
    static func mechanisms(_ arguments: Arguments, default fallback: [SaslConfig.Mechanism] = [.scramSha256, .scramSha512]) throws(CLIError) -> [SaslConfig.Mechanism] {
        var result: [SaslConfig.Mechanism] = []
        for name in arguments.all("--mechanism") {
            guard let mechanism = SaslConfig.Mechanism(name: name), mechanism != .plain else {
                throw .usage("--mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512, got \(name.debugDescription) (PLAIN logins use the SCRAM credentials)")
            }
            if !result.contains(mechanism) { result.append(mechanism) }
        }
        return result.isEmpty ? fallback : result
    }

    /// The password of `--password` or the first line of standard input (`--password-stdin`).
    static func password(_ arguments: Arguments) throws -> String {
        switch (arguments.value("--password"), arguments.flag("--password-stdin")) {
        case (let password?, false):
            guard !password.isEmpty else { throw CLIError.usage("--password must not be empty") }
            return password
        case (nil, true):
            var line: [UInt8]?
            try LineReader.forEachLine(of: .standardInput) { if line == nil { line = Array($0) } }
            guard let line, !line.isEmpty else { throw CLIError.usage("--password-stdin: standard input holds no password") }
            return String(decoding: line, as: UTF8.self)
        case (_?, true):
            throw CLIError.usage("give either --password or --password-stdin, not both")
        case (nil, false):
            throw CLIError.usage("kaffee users create needs --password or --password-stdin")
        }
    }
}
