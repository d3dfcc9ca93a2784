import KafkaClient
import TopicCatalog

/// `kaffee topics list|describe|create|delete|alter-config|add-partitions|trim|apply`.
enum TopicsCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--partitions", value: "N", help: "partitions for create (default: the broker's default)"),
        Arguments.Option("--replication-factor", value: "N", help: "replication factor for create (default: the broker's default)"),
        Arguments.Option("--config", value: "KEY=VALUE", help: "topic config for create (repeatable)"),
        Arguments.Option("--if-not-exists", help: "create: succeed if the topic already exists"),
        Arguments.Option("--all-configs", help: "describe: list every config, defaults too (default: only those set somewhere)"),
        Arguments.Option("--json", help: "describe: print one JSON object"),
        Arguments.Option("--total", value: "N", help: "add-partitions: the partition count wanted in total"),
        Arguments.Option("--before", value: "OFFSET|end", help: "trim: delete the records below OFFSET (end: every record there is)"),
        Arguments.Option("--partition", value: "P", help: "trim: only this partition (repeatable; default: every partition)"),
    ] + ConfigOptions.changeOptions + [
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee topics list
           kaffee topics describe TOPIC [--all-configs] [--json]   partitions, and configs with their source
           kaffee topics create TOPIC [--partitions N] [--replication-factor N] [--config KEY=VALUE]... [--if-not-exists]
           kaffee topics delete TOPIC
           kaffee topics alter-config TOPIC [--set KEY=VALUE]... [--delete KEY]... [--append KEY=VALUE]... [--subtract KEY=VALUE]... [--validate-only]
           kaffee topics add-partitions TOPIC --total N [--validate-only]
           kaffee topics trim TOPIC --before OFFSET|end [--partition P]...   delete records below OFFSET for good
           kaffee topics apply DIR        create the topics declared in DIR (Topics/), or check existing ones

    \(Arguments.help(options))
    """

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let (arguments, action, operands) = try Kaffee.action(raw, options: options, usage: usage, console: console)
        let admin = KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
        defer { admin.close() }
        func topicOperand() throws(CLIError) -> String {
            guard operands.count == 1 else { throw .usage("kaffee topics \(action) needs exactly one TOPIC\n\n\(usage)") }
            return operands[0]
        }
        switch action {
        case "list":
            for name in try admin.listTopics() { console.print(name) }
        case "describe":
            let topic = try admin.describeTopic(name: try topicOperand())
            if arguments.flag("--json") {
                console.print(describeJSON(topic).rendered)
            } else {
                for line in describeLines(topic, allConfigs: arguments.flag("--all-configs")) { console.print(line) }
            }
        case "alter-config":
            return try alterConfig(try topicOperand(), arguments: arguments, admin: admin, console: console)
        case "add-partitions":
            return try addPartitions(try topicOperand(), arguments: arguments, admin: admin, console: console)
        case "trim":
            return try trim(try topicOperand(), arguments: arguments, admin: admin, console: console)
        case "create":
            let name = try topicOperand()
            let partitions = try arguments.integer("--partitions", default: -1, range: -1...100_000)
            let replication = try arguments.integer("--replication-factor", default: -1, range: -1...Int(Int16.max))
            var configs: [String: String] = [:]
            for entry in arguments.all("--config") {
                guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                    throw CLIError.usage("--config expects KEY=VALUE, got \(entry.debugDescription)")
                }
                configs[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
            }
            let ifNotExists = arguments.flag("--if-not-exists")
            do {
                try admin.createTopic(name: name, partitions: Int32(partitions), replicationFactor: Int16(replication), configs: configs)
                console.print("created topic \(name)")
            } catch {
                guard ifNotExists, case .broker(.topicAlreadyExists, _) = error else { throw error }
                console.print("topic \(name) already exists")
            }
        case "delete":
            let name = try topicOperand()
            try admin.deleteTopic(name: name)
            console.print("deleted topic \(name)")
        case "apply":
            guard operands.count == 1 else { throw CLIError.usage("kaffee topics apply needs a DIR\n\n\(usage)") }
            return try apply(directory: operands[0], admin: admin, console: console)
        default:
            throw CLIError.usage("unknown action \(action.debugDescription)\n\n\(usage)")
        }
        return .ok
    }

    /// The text of `topics describe`: the topic, its partitions, and its configs with their
    /// source (only those not at the built-in default unless `allConfigs`).
    static func describeLines(_ topic: TopicDescription, allConfigs: Bool) -> [String] {
        var lines = ["topic \(topic.name)  id \(topic.idBase64)  partitions \(topic.partitions.count)"]
        for partition in topic.partitions {
            lines.append("  partition \(partition.partition)  leader \(partition.leader)  replicas \(partition.replicas)  isr \(partition.isr)")
        }
        let configs = allConfigs ? topic.configs : topic.configs.filter { $0.source != .defaultConfig }
        lines.append(configs.isEmpty ? "  configs: all defaults" : "  configs:")
        lines += ConfigOptions.lines(configs, indent: "    ")
        return lines
    }

    /// `topics describe --json`: name, id, partitions and every config entry.
    static func describeJSON(_ topic: TopicDescription) -> JSONValue {
        .object([
            ("name", .string(topic.name)),
            ("id", .string(topic.idBase64)),
            ("internal", .bool(topic.isInternal)),
            ("partitions", .array(topic.partitions.map { partition in
                .object([
                    ("partition", .number(partition.partition)),
                    ("leader", .number(partition.leader)),
                    ("replicas", .array(partition.replicas.map { .number($0) })),
                    ("isr", .array(partition.isr.map { .number($0) })),
                ])
            })),
            ("configs", .array(topic.configs.map(ConfigOptions.json))),
        ])
    }

    /// Creates missing declared topics; for existing ones reports differences (partitions below
    /// the declaration, configs that differ), which `kaffeed --topics DIR` applies at start-up.
    static func apply(directory: String, admin: KafkaAdmin, console: Console) throws -> ExitCode {
        let declarations: [TopicDeclaration]
        do { declarations = try TopicDeclaration.load(directory: directory) } catch {
            throw CLIError.usage("\(error)")
        }
        let existing = Set(try admin.listTopics())
        var drift = false
        for declaration in declarations {
            if !existing.contains(declaration.name) {
                try admin.createTopic(name: declaration.name, partitions: declaration.partitions, replicationFactor: -1, configs: declaration.config)
                console.print("created \(declaration.name) (\(declaration.partitions) partitions)")
                continue
            }
            let topic = try admin.describeTopic(name: declaration.name)
            var notes: [String] = []
            if topic.partitions.count < Int(declaration.partitions) {
                notes.append("has \(topic.partitions.count) partitions, \(declaration.partitions) declared")
            }
            for (key, value) in declaration.config.sorted(by: { $0.key < $1.key }) {
                let actual = topic.config(key)?.value
                if actual != value { notes.append("\(key) is \(actual ?? "unset"), \(value) declared") }
            }
            if notes.isEmpty {
                console.print("\(declaration.name) is up to date")
            } else {
                drift = true
                console.print("\(declaration.name) differs: " + notes.joined(separator: "; ") + " (restart kaffeed with --topics \(directory) to apply)")
            }
        }
        return drift ? .failure : .ok
    }
}
