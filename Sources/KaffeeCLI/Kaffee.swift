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
            default:
                if let extra = extraCommands[command] { return try extra(rest, environment, console) }
                throw CLIError.usage("unknown command \(command.debugDescription)\n\n\(usage)")
            }
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
      perf produce|consume|e2e throughput and latency tests
      demo                     run the whole coffee shop (broker + three services) and check it
      verify                   run the coffee shop's consistency checks against running services
      healthcheck [URL]        container health probe: HTTP 200 from URL, or --broker HOST:PORT answers

    every command takes --brokers HOST:PORT[,HOST:PORT] (or KAFFEE_BROKERS; default localhost:9092)

    \(ExitCode.summary)
    """

    static let brokersOption = Arguments.Option("--brokers", value: "HOST:PORT,...", help: "bootstrap brokers (env KAFFEE_BROKERS, default localhost:9092)")
    static let helpOption = Arguments.Option("--help", help: "show this help")

    /// The client configuration from `--brokers` / `KAFFEE_BROKERS`.
    static func clientConfig(_ arguments: Arguments, environment: (String) -> String?, clientId: String = "kaffee") throws(CLIError) -> ClientConfig {
        let text = arguments.value("--brokers") ?? environment("KAFFEE_BROKERS") ?? "localhost:9092"
        guard let brokers = ClientConfig.parseBrokers(text) else {
            throw .usage("--brokers: expected HOST:PORT[,HOST:PORT...], got \(text.debugDescription)")
        }
        var config = ClientConfig(bootstrapServers: brokers, clientId: clientId)
        config.requestTimeoutMs = 10_000
        config.retries = 3
        return config
    }
}
