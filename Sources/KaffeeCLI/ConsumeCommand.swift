import KafkaClient

/// `kaffee consume TOPIC`: with `--group` as a group member (committing what it printed), or
/// without a group from a partition/offset/timestamp. SIGINT commits what was printed, leaves
/// the group and exits 130.
enum ConsumeCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--group", value: "GROUP", help: "consume as a member of GROUP (commits after printing)"),
        Arguments.Option("--partition", value: "N", help: "without a group: only partition N (default all)"),
        Arguments.Option("--offset", value: "beginning|end|N", help: "without a group: where to start (default beginning)"),
        Arguments.Option("--timestamp", value: "MS", help: "without a group: start at the first record at or after MS"),
        Arguments.Option("--from-beginning", help: "with a group that has no committed offset: start at the beginning (default: end)"),
        Arguments.Option("--exit-at-end", help: "exit once every partition is read to its end"),
        Arguments.Option("--count", value: "N", help: "exit after N records"),
        Arguments.Option("--format", value: "FMT", help: "output format: %t %p %o %T %k %v %h (e.g. '%k=%v\\n')"),
        Arguments.Option("--json", help: "output JSON lines with topic, partition, offset, timestamp, key, value, headers"),
        Arguments.Option("--isolation", value: "read_committed|read_uncommitted", help: "skip records of aborted and open transactions, or not (default read_uncommitted)"),
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee consume TOPIC [options]
    Prints record values, one per line (or --format / --json).

    \(Arguments.help(options))
    """

    /// The `--isolation` level (default read_uncommitted).
    static func isolationLevel(_ arguments: Arguments) throws(CLIError) -> ConsumerConfig.IsolationLevel {
        switch arguments.value("--isolation") ?? "read_uncommitted" {
        case "read_uncommitted": .readUncommitted
        case "read_committed": .readCommitted
        case let other: throw .usage("--isolation must be read_committed or read_uncommitted, got \(other.debugDescription)")
        }
    }

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let arguments = try Arguments(raw, options: options)
        guard !arguments.flag("--help"), arguments.positionals.count == 1 else {
            console.print(usage)
            return arguments.flag("--help") ? .ok : .usage
        }
        let topic = arguments.positionals[0]
        let formatter: RecordFormatter = arguments.flag("--json") ? .json : (arguments.value("--format").map(RecordFormatter.format) ?? .plain)
        let limit = try arguments.integer("--count", default: Int.max, range: 1...Int.max)
        let group = arguments.value("--group")
        var consumerConfig = ConsumerConfig(groupId: group)
        consumerConfig.enableAutoCommit = false
        consumerConfig.autoOffsetReset = arguments.flag("--from-beginning") ? .earliest : .latest
        consumerConfig.fetchMaxWaitMs = 200
        consumerConfig.isolationLevel = try isolationLevel(arguments)
        let clientConfig = try Kaffee.clientConfig(arguments, environment: environment, clientId: "kaffee-consume")
        let admin = KafkaAdmin(config: clientConfig)
        defer { admin.close() }
        let description = try admin.describeTopic(name: topic)
        let consumer = try KafkaConsumer(config: clientConfig, consumerConfig: consumerConfig)
        defer { consumer.close() }
        var partitions = description.partitions.map { TopicPartition(topic: topic, partition: $0.partition) }
        if group != nil {
            try consumer.subscribe([topic])
        } else {
            if let text = arguments.value("--partition") {
                guard let index = Int32(text), partitions.contains(where: { $0.partition == index }) else {
                    throw CLIError.notFound("partition \(text) of topic \(topic) does not exist")
                }
                partitions = [TopicPartition(topic: topic, partition: index)]
            }
            try consumer.assign(partitions)
            if let text = arguments.value("--timestamp") {
                guard let ms = Int64(text) else { throw CLIError.usage("--timestamp needs milliseconds since the epoch") }
                for partition in partitions { try consumer.seek(partition, toTimestamp: ms) }
            } else {
                switch arguments.value("--offset") ?? "beginning" {
                case "beginning": try consumer.seekToBeginning(partitions)
                case "end": try consumer.seekToEnd(partitions)
                case let text:
                    guard let offset = Int64(text), offset >= 0 else { throw CLIError.usage("--offset must be beginning, end or an offset") }
                    for partition in partitions { try consumer.seek(partition, to: offset) }
                }
            }
        }
        let ends = arguments.flag("--exit-at-end") ? try admin.listOffsets(partitions, spec: .latest, isolation: consumerConfig.isolationLevel).mapValues(\.offset) : [:]
        var printed = 0
        var interrupted = false
        while printed < limit {
            if Interruption.shared.isRequested { interrupted = true; break }
            let records = try consumer.poll(timeoutMs: 200)
            for record in records.prefix(limit - printed) {
                console.write(formatter.render(record))
                printed += 1
            }
            if group != nil && !records.isEmpty {
                console.flush()
                try consumer.commitSync()
            }
            if !ends.isEmpty {
                let assigned = group == nil ? Set(partitions) : consumer.assignment
                let done = !assigned.isEmpty && assigned.allSatisfy { partition in
                    (try? consumer.position(partition)).map { $0 >= (ends[partition] ?? 0) } ?? false
                }
                if done && records.isEmpty { break }
            }
        }
        console.flush()
        if group != nil { try? consumer.commitSync() }
        return interrupted ? .interrupted : .ok
    }
}
