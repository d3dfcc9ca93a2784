import KafkaClient

/// `kaffee cluster describe|log-dirs|config`: the brokers, their log directories and their
/// configuration.
enum ClusterCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--json", help: "print JSON (one object, or one array for log-dirs)"),
        Arguments.Option("--topic", value: "TOPIC", help: "log-dirs: only this topic's replicas (repeatable)"),
        Arguments.Option("--broker", value: "ID", help: "config: this broker (default: show the controller's, change the cluster-wide defaults)"),
        Arguments.Option("--all", help: "config: list every config, defaults too (default: only those set somewhere)"),
    ] + ConfigOptions.changeOptions + [
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee cluster describe [--json]            cluster id, controller and brokers
           kaffee cluster log-dirs [--topic TOPIC]... [--json]
                                                      each broker's log directories and the replicas in them
           kaffee cluster config [--broker ID] [--all] [--json]
                                                      broker configs with their source
           kaffee cluster config [--broker ID] [--set KEY=VALUE]... [--delete KEY]... [--append KEY=VALUE]... [--subtract KEY=VALUE]... [--validate-only]
                                                      change dynamic broker configs: of broker ID, or without
                                                      --broker the cluster-wide defaults every broker uses

    \(Arguments.help(options))
    """

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let (arguments, action, operands) = try Kaffee.action(raw, options: options, usage: usage, console: console)
        guard operands.isEmpty else {
            throw CLIError.usage("kaffee cluster \(action) takes no operands, got \(operands.joined(separator: " "))\n\n\(usage)")
        }
        let json = arguments.flag("--json")
        switch action {
        case "describe", "log-dirs":
            break
        case "config":
            return try config(arguments, admin: try admin(arguments, environment), console: console)
        default:
            throw CLIError.usage("unknown action \(action.debugDescription)\n\n\(usage)")
        }
        let admin = try admin(arguments, environment)
        defer { admin.close() }
        if action == "describe" {
            let description = try admin.describeCluster()
            if json { console.print(describeJSON(description).rendered) } else { for line in describeLines(description) { console.print(line) } }
        } else {
            let topics = arguments.all("--topic")
            let directories = try admin.describeLogDirs(topics: topics.isEmpty ? nil : topics)
            if json { console.print(JSONValue.array(directories.map(logDirJSON)).rendered) } else { for line in logDirLines(directories) { console.print(line) } }
        }
        return .ok
    }

    private static func admin(_ arguments: Arguments, _ environment: @Sendable (String) -> String?) throws(CLIError) -> KafkaAdmin {
        KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
    }

    /// `cluster config`: describe (no change flags) or alter.
    static func config(_ arguments: Arguments, admin: KafkaAdmin, console: Console) throws -> ExitCode {
        defer { admin.close() }
        let changes = try ConfigOptions.alterations(arguments)
        var broker: Int32?
        if let text = arguments.value("--broker") {
            guard let id = Int32(text), id >= 0 else { throw CLIError.usage("--broker needs a broker id of 0 or more, got \(text.debugDescription)") }
            broker = id
        }
        if !changes.isEmpty {
            if arguments.flag("--all") || arguments.flag("--json") {
                throw CLIError.usage("--all and --json show configs; they cannot be combined with --set/--delete/--append/--subtract")
            }
            let resource: ConfigResource = broker.map { .broker($0) } ?? .brokerDefaults
            let validateOnly = arguments.flag("--validate-only")
            try admin.incrementalAlterConfigs(resource, changes, validateOnly: validateOnly)
            console.print(ConfigOptions.summary("\(resource)", changes, validateOnly: validateOnly))
            return .ok
        }
        if arguments.flag("--validate-only") { throw CLIError.usage("--validate-only needs a change (--set, --delete, --append or --subtract)") }
        let id = try broker ?? defaultBroker(admin)
        let entries = try admin.describeConfigs(.broker(id))
        if arguments.flag("--json") {
            console.print(JSONValue.object([("broker", .number(id)), ("configs", .array(entries.map(ConfigOptions.json)))]).rendered)
        } else {
            let shown = arguments.flag("--all") ? entries : entries.filter { $0.source != .defaultConfig }
            console.print(shown.isEmpty ? "broker \(id) configs: all defaults" : "broker \(id) configs:")
            for line in ConfigOptions.lines(shown, indent: "  ") { console.print(line) }
        }
        return .ok
    }

    /// The broker `cluster config` shows without `--broker`: the controller, else the lowest id.
    private static func defaultBroker(_ admin: KafkaAdmin) throws -> Int32 {
        let description = try admin.describeCluster()
        guard let id = description.controller?.nodeId ?? description.brokers.first?.nodeId else {
            throw CLIError.failed("the cluster lists no brokers")
        }
        return id
    }

    // MARK: output

    /// The text of `cluster describe`.
    static func describeLines(_ description: ClusterDescription) -> [String] {
        var lines = ["cluster \(description.clusterId ?? "-")  controller \(description.controllerId)  brokers \(description.brokers.count)"]
        for broker in description.brokers {
            var line = "  broker \(broker.nodeId)  \(broker.address)  rack \(broker.rack ?? "-")"
            if broker.nodeId == description.controllerId { line += "  (controller)" }
            if broker.isFenced { line += "  (fenced)" }
            lines.append(line)
        }
        return lines
    }

    /// `cluster describe --json`.
    static func describeJSON(_ description: ClusterDescription) -> JSONValue {
        .object([
            ("clusterId", .optional(description.clusterId)),
            ("controllerId", .number(description.controllerId)),
            ("brokers", .array(description.brokers.map { broker in
                .object([("id", .number(broker.nodeId)), ("host", .string(broker.host)), ("port", .number(broker.port)),
                         ("rack", .optional(broker.rack)), ("fenced", .bool(broker.isFenced))])
            })),
            ("source", .string(description.source.rawValue)),
        ])
    }

    /// The text of `cluster log-dirs`: a line per directory, then its replicas as a table.
    static func logDirLines(_ directories: [LogDirDescription]) -> [String] {
        var lines: [String] = []
        for directory in directories {
            var line = "broker \(directory.brokerId)  \(directory.path)  replicas \(directory.replicas.count)  bytes \(directory.replicaBytes)"
            if let total = directory.totalBytes { line += "  volume \(total)" }
            if let usable = directory.usableBytes { line += "  usable \(usable)" }
            if directory.isCordoned { line += "  (cordoned)" }
            if directory.errorCode != .none { line += "  error \(directory.errorCode.summary)" }
            lines.append(line)
            guard !directory.replicas.isEmpty else { continue }
            lines.append("  TOPIC\tPARTITION\tBYTES\tOFFSET-LAG")
            for replica in directory.replicas {
                lines.append("  \(replica.partition.topic)\t\(replica.partition.partition)\t\(replica.sizeBytes)\t\(replica.offsetLag)\(replica.isFuture ? "\tfuture" : "")")
            }
        }
        return lines
    }

    /// One directory of `cluster log-dirs --json`.
    static func logDirJSON(_ directory: LogDirDescription) -> JSONValue {
        .object([
            ("broker", .number(directory.brokerId)),
            ("path", .string(directory.path)),
            ("error", directory.errorCode == .none ? .null : .string(directory.errorCode.summary)),
            ("totalBytes", .number(directory.totalBytes)),
            ("usableBytes", .number(directory.usableBytes)),
            ("cordoned", .bool(directory.isCordoned)),
            ("replicas", .array(directory.replicas.map { replica in
                .object([("topic", .string(replica.partition.topic)), ("partition", .number(replica.partition.partition)),
                         ("bytes", .number(replica.sizeBytes)), ("offsetLag", .number(replica.offsetLag)), ("future", .bool(replica.isFuture))])
            })),
        ])
    }
}
