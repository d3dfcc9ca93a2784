import KafkaClient

/// `kaffee transactions list|describe|abort`: the transaction tooling of
/// `kafka-transactions.sh` (ListTransactions, DescribeTransactions, DescribeProducers,
/// WriteTxnMarkers).
enum TransactionsCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--state", value: "STATE", help: "list: only transactions in STATE, e.g. Ongoing (repeatable)"),
        Arguments.Option("--producer-id", value: "ID", help: "list: only this producer id (repeatable); abort: the producer to abort"),
        Arguments.Option("--topic", value: "TOPIC", help: "abort: the partition's topic"),
        Arguments.Option("--partition", value: "P", help: "abort: the partition"),
        Arguments.Option("--start-offset", value: "N", help: "abort: the open transaction starting at offset N (found with DescribeProducers)"),
        Arguments.Option("--producer-epoch", value: "E", help: "abort: the producer's epoch (with --producer-id)"),
        Arguments.Option("--coordinator-epoch", value: "C", help: "abort: the coordinator epoch (with --producer-id)"),
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee transactions list [--state STATE]... [--producer-id ID]...
           kaffee transactions describe ID...      state, producer, timeout, partitions of each transactional id
           kaffee transactions abort --topic T --partition P (--start-offset N | --producer-id ID --producer-epoch E --coordinator-epoch C)
                                                  write an abort marker for a hanging transaction on one partition

    \(Arguments.help(options))
    """

    /// Which transaction `abort` ends on its partition.
    enum AbortTarget: Equatable {
        /// The producer whose open transaction starts at this offset.
        case startOffset(Int64)
        /// This producer, epoch and coordinator epoch.
        case producer(id: Int64, epoch: Int16, coordinatorEpoch: Int32)
    }

    /// The partition and transaction of `abort`, from its flags.
    static func abortTarget(_ arguments: Arguments) throws(CLIError) -> (partition: TopicPartition, target: AbortTarget) {
        guard let topic = arguments.value("--topic"), !topic.isEmpty, arguments.value("--partition") != nil else {
            throw .usage("kaffee transactions abort needs --topic and --partition\n\n\(usage)")
        }
        let partition = TopicPartition(topic: topic, partition: Int32(try arguments.integer("--partition", default: 0, range: 0...Int(Int32.max))))
        let byProducer = ["--producer-id", "--producer-epoch", "--coordinator-epoch"].filter { arguments.value($0) != nil }
        if arguments.value("--start-offset") != nil {
            guard byProducer.isEmpty else {
                throw .usage("--start-offset cannot be combined with \(byProducer.joined(separator: ", "))")
            }
            return (partition, .startOffset(Int64(try arguments.integer("--start-offset", default: 0, range: 0...Int(Int64.max)))))
        }
        guard byProducer.count == 3 else {
            throw .usage("kaffee transactions abort needs --start-offset N, or all of --producer-id, --producer-epoch and --coordinator-epoch")
        }
        let id = try arguments.integer("--producer-id", default: 0, range: 0...Int(Int64.max))
        let epoch = try arguments.integer("--producer-epoch", default: 0, range: 0...Int(Int16.max))
        let coordinatorEpoch = try arguments.integer("--coordinator-epoch", default: 0, range: -1...Int(Int32.max))
        return (partition, .producer(id: Int64(id), epoch: Int16(epoch), coordinatorEpoch: Int32(coordinatorEpoch)))
    }

    /// The `--producer-id` filters of `list`.
    static func producerIdFilters(_ arguments: Arguments) throws(CLIError) -> [Int64] {
        var ids: [Int64] = []
        for text in arguments.all("--producer-id") {
            guard let id = Int64(text), id >= 0 else { throw .usage("--producer-id needs a non-negative integer, got \(text.debugDescription)") }
            ids.append(id)
        }
        return ids
    }

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let (arguments, action, operands) = try Kaffee.action(raw, options: options, usage: usage, console: console)
        switch action {
        case "list":
            guard operands.isEmpty else { throw CLIError.usage("kaffee transactions list takes no operands\n\n\(usage)") }
            let producerIds = try producerIdFilters(arguments)
            let admin = KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
            defer { admin.close() }
            console.print("TRANSACTIONAL-ID\tCOORDINATOR\tPRODUCER-ID\tSTATE")
            for entry in try admin.listTransactions(states: arguments.all("--state"), producerIds: producerIds) {
                console.print("\(entry.transactionalId)\t\(entry.coordinatorId)\t\(entry.producerId)\t\(entry.state)")
            }
        case "describe":
            guard !operands.isEmpty else { throw CLIError.usage("kaffee transactions describe needs at least one transactional ID\n\n\(usage)") }
            let admin = KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
            defer { admin.close() }
            let descriptions = try describe(operands, admin: admin)
            for description in descriptions {
                let partitions = description.partitions.map { "\($0)" }.joined(separator: ",")
                console.print("transaction \(description.transactionalId)  coordinator \(description.coordinatorId)  state \(description.state)")
                console.print("  producer \(description.producerId)  epoch \(description.producerEpoch)  timeout-ms \(description.transactionTimeoutMs)"
                    + "  started \(description.transactionStartTimeMs.map { String($0) } ?? "-")  partitions [\(partitions)]")
            }
        case "abort":
            guard operands.isEmpty else { throw CLIError.usage("kaffee transactions abort takes no operands\n\n\(usage)") }
            let (partition, target) = try abortTarget(arguments)
            let admin = KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
            defer { admin.close() }
            let (producerId, epoch, coordinatorEpoch) = try resolve(target, on: partition, admin: admin)
            try admin.abortTransaction(topic: partition.topic, partition: partition.partition, producerId: producerId,
                                       producerEpoch: epoch, coordinatorEpoch: coordinatorEpoch)
            console.print("aborted the transaction of producer \(producerId) (epoch \(epoch)) on \(partition)")
        default:
            throw CLIError.usage("unknown action \(action.debugDescription)\n\n\(usage)")
        }
        return .ok
    }

    /// `describeTransactions`, with an unknown id reported as not found (exit code 4).
    static func describe(_ ids: [String], admin: KafkaAdmin) throws(CLIError) -> [TransactionDescription] {
        do {
            return try admin.describeTransactions(ids)
        } catch {
            if case .broker(.transactionalIdNotFound, let context) = error { throw .notFound("\(context): no such transactional id") }
            throw .client(error)
        }
    }

    /// The producer, epoch and coordinator epoch to abort: given, or the producer whose open
    /// transaction on `partition` starts at the offset (as `kafka-transactions.sh` finds it).
    static func resolve(_ target: AbortTarget, on partition: TopicPartition, admin: KafkaAdmin) throws -> (Int64, Int16, Int32) {
        switch target {
        case .producer(let id, let epoch, let coordinatorEpoch):
            return (id, epoch, coordinatorEpoch)
        case .startOffset(let offset):
            let producers = try admin.describeProducers([partition])[partition] ?? []
            let open = producers.filter { $0.currentTransactionStartOffset == offset }
            guard let producer = open.first else {
                let starts = producers.compactMap(\.currentTransactionStartOffset).map(String.init)
                throw CLIError.notFound("no open transaction starts at offset \(offset) of \(partition)"
                    + (starts.isEmpty ? " (no open transactions)" : " (open transactions start at \(starts.joined(separator: ", ")))"))
            }
            guard open.count == 1 else {
                throw CLIError.failed("\(open.count) producers have a transaction starting at offset \(offset) of \(partition); use --producer-id")
            }
            guard let epoch = Int16(exactly: producer.producerEpoch) else {
                throw CLIError.failed("producer \(producer.producerId) has epoch \(producer.producerEpoch), outside the range of a producer epoch")
            }
            return (producer.producerId, epoch, max(0, producer.coordinatorEpoch))
        }
    }
}
