import KafkaClient

/// `kaffee topics alter-config|add-partitions|trim`: the actions that change an existing topic.
extension TopicsCommand {
    /// `alter-config TOPIC --set K=V --delete K ...` (IncrementalAlterConfigs).
    static func alterConfig(_ topic: String, arguments: Arguments, admin: KafkaAdmin, console: Console) throws -> ExitCode {
        let changes = try ConfigOptions.alterations(arguments)
        guard !changes.isEmpty else {
            throw CLIError.usage("kaffee topics alter-config needs at least one of --set, --delete, --append, --subtract\n\n\(usage)")
        }
        let validateOnly = arguments.flag("--validate-only")
        try admin.incrementalAlterConfigs(.topic(topic), changes, validateOnly: validateOnly)
        console.print(ConfigOptions.summary("topic \(topic)", changes, validateOnly: validateOnly))
        return .ok
    }

    /// `add-partitions TOPIC --total N` (CreatePartitions).
    static func addPartitions(_ topic: String, arguments: Arguments, admin: KafkaAdmin, console: Console) throws -> ExitCode {
        guard arguments.value("--total") != nil else {
            throw CLIError.usage("kaffee topics add-partitions needs --total N (the partition count wanted in total)\n\n\(usage)")
        }
        let total = try arguments.integer("--total", default: 0, range: 1...100_000)
        let validateOnly = arguments.flag("--validate-only")
        try admin.createPartitions(topic: topic, totalCount: Int32(total), validateOnly: validateOnly)
        console.print(validateOnly ? "validated (nothing changed): topic \(topic) can have \(total) partitions"
                                   : "topic \(topic) now has \(total) partitions")
        return .ok
    }

    /// `trim TOPIC --before OFFSET|end [--partition P]...` (DeleteRecords): prints each
    /// partition's new log start offset (`TOPIC-P<TAB>OFFSET`); a partition that failed is
    /// reported on standard error and makes the exit code 1.
    static func trim(_ topic: String, arguments: Arguments, admin: KafkaAdmin, console: Console) throws -> ExitCode {
        guard let text = arguments.value("--before") else {
            throw CLIError.usage("kaffee topics trim needs --before OFFSET (or --before end)\n\n\(usage)")
        }
        let before = try trimOffset(text)
        var partitions = try partitionNumbers(arguments)
        if partitions.isEmpty {
            partitions = try admin.describeTopic(name: topic).partitions.map(\.partition)
        }
        let targets = Dictionary(uniqueKeysWithValues: partitions.map { (TopicPartition(topic: topic, partition: $0), before) })
        let results = try admin.deleteRecords(before: targets)
        var failed = false
        for partition in targets.keys.sorted() {
            switch results[partition] {
            case .success(let lowWatermark):
                console.print("\(partition)\t\(lowWatermark)")
            case .failure(let error):
                failed = true
                console.error("kaffee topics: trim \(partition): \(error)")
            case nil:
                failed = true
                console.error("kaffee topics: trim \(partition): no answer")
            }
        }
        return failed ? .failure : .ok
    }

    /// The `--before` value: `end` (the high watermark, −1) or an offset of 0 or more.
    static func trimOffset(_ text: String) throws(CLIError) -> Int64 {
        if text == "end" { return KafkaAdmin.highWatermark }
        guard let offset = Int64(text), offset >= 0 else {
            throw .usage("--before needs an offset of 0 or more, or end; got \(text.debugDescription)")
        }
        return offset
    }

    /// Every `--partition P`, sorted and without repeats.
    static func partitionNumbers(_ arguments: Arguments) throws(CLIError) -> [Int32] {
        var partitions: Set<Int32> = []
        for text in arguments.all("--partition") {
            guard let partition = Int32(text), partition >= 0 else {
                throw .usage("--partition needs a partition number of 0 or more, got \(text.debugDescription)")
            }
            partitions.insert(partition)
        }
        return partitions.sorted()
    }
}
