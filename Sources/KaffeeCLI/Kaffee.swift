import KafkaClient
public import SystemIO

/// The `kaffee` command line: dispatches `kaffee COMMAND ...` to its command. A library so tests
/// can run commands with a capturing `Console`.
public enum Kaffee {
    /// Runs `arguments` (without the program name) and returns the exit code.
    public static func run(_ arguments: [String], environment: @Sendable (String) -> String? = Environment.get, console: Console) -> ExitCode {
        guard let command = arguments.first, command != "--help", command != "-h", command != "help" else {
            console.print(usage)
            return arguments.isEmpty ? .usage : .ok
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "topics": return try TopicsCommand.run(rest, environment: environment, console: console)
            case "groups": return try GroupsCommand.run(rest, environment: environment, console: console)
            case "cluster": return try ClusterCommand.run(rest, environment: environment, console: console)
            case "transactions": return try TransactionsCommand.run(rest, environment: environment, console: console)
            case "users": return try UsersCommand.run(rest, environment: environment, console: console)
            case "acls": return try AclsCommand.run(rest, environment: environment, console: console)
            default:
                if let extra = extraCommands[command] { return try extra(rest, environment, console) }
                throw CLIError.usage("unknown command \(command.debugDescription)\n\n\(usage)")
            }
        } catch CLIError.usageShown(let code) {
            return code
        } catch let error as CLIError {
            console.error("kaffee \(command): \(error)")
            return error.exitCode
        } catch let error as KafkaClientError {
            let wrapped = CLIError.client(error)
            console.error("kaffee \(command): \(wrapped)")
            return wrapped.exitCode
        } catch {
            console.error("kaffee \(command): \(error)")
            return .failure
        }
    }

    /// Commands registered by other files (produce, consume, perf, ...).
    typealias Runner = @Sendable ([String], @Sendable (String) -> String?, Console) throws -> ExitCode
    static let extraCommands: [String: Runner] = [
        "produce": ProduceCommand.run,
        "consume": ConsumeCommand.run,
        "share": ShareCommand.run,
        "perf": PerfCommand.run,
        "demo": DemoCommand.run,
        "verify": VerifyCommand.run,
        "healthcheck": HealthcheckCommand.run,
    ]

    public static let usage = """
    usage: kaffee COMMAND [options]   (kaffee COMMAND --help for each command's options)

    commands:
      produce TOPIC            read records from stdin (one per line) and produce them
      consume TOPIC            print records, from a group or a partition/offset/timestamp
      topics list|describe|create|delete|alter-config|add-partitions|trim|apply DIR
      share consume TOPIC      read as a member of a share group (KIP-932), acknowledging each record
      groups list|describe|reset-offsets|delete-offsets
      cluster describe|log-dirs|config   brokers, log directories, broker configs
      transactions list|describe|abort   transactional ids, their state, aborting hanging transactions
      users list|create|delete SCRAM users (SCRAM-SHA-256/512 credentials; PLAIN logins use them too)
      acls list|create|delete  Kafka ACLs (the broker runs with --authorizer acl)
      perf produce|consume|e2e throughput and latency tests
      demo                     run the whole coffee shop (broker + three services) and check it
      verify                   run the coffee shop's consistency checks against running services
      healthcheck [URL]        container health probe: HTTP 200 from URL, or --broker HOST:PORT answers

    every command takes --brokers HOST:PORT[,HOST:PORT] (or KAFFEE_BROKERS; default localhost:9092)
    and, for a SASL_PLAINTEXT listener, --sasl-mechanism PLAIN|SCRAM-SHA-256|SCRAM-SHA-512,
    --sasl-username, --sasl-password (or KAFFEE_SASL_MECHANISM, KAFFEE_SASL_USERNAME,
    KAFFEE_SASL_PASSWORD or KAFFEE_SASL_PASSWORD_FILE; prefer a variable for the password: other
    users see flags in `ps`)

    \(ExitCode.summary)
    """

    static let brokersOption = Arguments.Option("--brokers", value: "HOST:PORT,...", help: "bootstrap brokers (env KAFFEE_BROKERS, default localhost:9092)")
    static let helpOption = Arguments.Option("--help", help: "show this help")
    /// The options every client command takes: `--brokers` and the SASL login.
    static let clientOptions: [Arguments.Option] = [
        brokersOption,
        Arguments.Option("--sasl-mechanism", value: "MECHANISM", help: "log in with PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (env KAFFEE_SASL_MECHANISM); PLAIN sends the password in clear"),
        Arguments.Option("--sasl-username", value: "NAME", help: "SASL user name (env KAFFEE_SASL_USERNAME)"),
        Arguments.Option("--sasl-password", value: "PASSWORD", help: "SASL password; prefer env KAFFEE_SASL_PASSWORD (flags are visible in ps)"),
    ]

    /// Parses `kaffee COMMAND ACTION [OPERAND]... [options]` against `options`. For `--help`, or
    /// without an action, prints `usage` and throws `.usageShown` (exit 0 for `--help`, 2 else).
    static func action(_ raw: [String], options: [Arguments.Option], usage: String,
                       console: Console) throws(CLIError) -> (arguments: Arguments, action: String, operands: [String]) {
        let arguments = try Arguments(raw, options: options)
        guard !arguments.flag("--help"), let action = arguments.positionals.first else {
            console.print(usage)
            throw .usageShown(arguments.flag("--help") ? .ok : .usage)
        }
        return (arguments, action, Array(arguments.positionals.dropFirst()))
    }

    /// The client configuration from `--brokers` / `KAFFEE_BROKERS`.
    static func clientConfig(_ arguments: Arguments, environment: (String) -> String?, clientId: String = "kaffee") throws(CLIError) -> ClientConfig {
        let text = arguments.value("--brokers") ?? environment("KAFFEE_BROKERS") ?? "localhost:9092"
        guard let brokers = ClientConfig.parseBrokers(text) else {
            throw .usage("--brokers: expected HOST:PORT[,HOST:PORT...], got \(text.debugDescription)")
        }
        var config = ClientConfig(bootstrapServers: brokers, clientId: clientId)
        config.requestTimeoutMs = 10_000
        config.retries = 3
        config.sasl = try sasl(arguments, environment: environment)
        return config
    }

    /// The SASL login from `--sasl-*` / `KAFFEE_SASL_*` (a flag wins over its variable): nil
    /// when no mechanism is given; a usage error when the mechanism is unknown, or when a user
    /// or password comes without the rest.
    static func sasl(_ arguments: Arguments, environment: (String) -> String?) throws(CLIError) -> SaslConfig? {
        func setting(_ flag: String, _ variable: String) -> String? {
            (arguments.value(flag) ?? environment(variable)).flatMap { $0.isEmpty ? nil : $0 }
        }
        let username = setting("--sasl-username", "KAFFEE_SASL_USERNAME")
        var password = setting("--sasl-password", "KAFFEE_SASL_PASSWORD")
        // Docker secrets: the first line of the file KAFFEE_SASL_PASSWORD_FILE names.
        if password == nil, let path = environment("KAFFEE_SASL_PASSWORD_FILE"), !path.isEmpty {
            guard let line = SmallFile.firstLine(path) else {
                throw .usage("KAFFEE_SASL_PASSWORD_FILE: cannot read a password from \(path)")
            }
            password = line
        }
        guard let name = setting("--sasl-mechanism", "KAFFEE_SASL_MECHANISM") else {
            if username != nil || password != nil {
                throw .usage("--sasl-username/--sasl-password need --sasl-mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)")
            }
            return nil
        }
        guard let mechanism = SaslConfig.Mechanism(name: name) else {
            throw .usage("--sasl-mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got \(name.debugDescription)")
        }
        guard let username, let password else {
            throw .usage("--sasl-mechanism \(mechanism.name) needs --sasl-username and --sasl-password (or KAFFEE_SASL_USERNAME, KAFFEE_SASL_PASSWORD)")
        }
        return SaslConfig(mechanism: mechanism, username: username, password: password)
    }
}
