import KafkaClient
import KafkaRecords
import SystemIO
import Synchronization

/// `kaffee produce TOPIC`: one record per line of standard input (any bytes; a trailing `\r` is
/// kept as data), optional key separator and headers; reports how many were acknowledged. With
/// `--transactional-id` every record goes into one transaction, committed at the end (or
/// aborted when a record fails).
enum ProduceCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--key-separator", value: "SEP", help: "split each line at the first SEP into key and value"),
        Arguments.Option("--header", value: "KEY=VALUE", help: "add a header to every record (repeatable)"),
        Arguments.Option("--partition", value: "N", help: "produce to partition N (default: by key, or sticky)"),
        Arguments.Option("--acks", value: "all|1|0", help: "acknowledgements to wait for (default all)"),
        Arguments.Option("--linger-ms", value: "MS", help: "batching delay (default 5)"),
        Arguments.Option("--batch-size", value: "BYTES", help: "batch size per partition (default 1000000)"),
        Arguments.Option("--no-idempotence", help: "turn off the idempotent producer"),
        Arguments.Option("--transactional-id", value: "ID", help: "produce every record in one transaction, committed at the end"),
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee produce TOPIC [options] < records
    Reads records from standard input, one per line, and prints a summary on standard error.
    Exit code 1 if any record was not acknowledged.

    \(Arguments.help(options))
    """

    static func producerConfig(_ arguments: Arguments) throws(CLIError) -> ProducerConfig {
        var config = ProducerConfig()
        switch arguments.value("--acks") ?? "all" {
        case "all", "-1": config.acks = .all
        case "1": config.acks = .leader
        case "0": config.acks = .none
        case let other: throw .usage("--acks must be all, 1 or 0, got \(other.debugDescription)")
        }
        config.lingerMs = try arguments.integer("--linger-ms", default: 5, range: 0...60_000)
        config.batchSize = try arguments.integer("--batch-size", default: ProducerConfig().batchSize, range: 1...(64 << 20))
        if arguments.flag("--no-idempotence") { config.enableIdempotence = false }
        if let id = arguments.value("--transactional-id") {
            guard !id.isEmpty else { throw .usage("--transactional-id must not be empty") }
            guard config.isIdempotent else { throw .usage("--transactional-id needs --acks all and idempotence (drop --no-idempotence)") }
            config.transactionalId = id
        }
        return config
    }

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let arguments = try Arguments(raw, options: options)
        guard !arguments.flag("--help"), arguments.positionals.count == 1 else {
            console.print(usage)
            return arguments.flag("--help") ? .ok : .usage
        }
        let topic = arguments.positionals[0]
        let separator = arguments.value("--key-separator").map { Array($0.utf8) }
        if let separator, separator.isEmpty { throw CLIError.usage("--key-separator must not be empty") }
        var headers: [RecordHeader] = []
        for entry in arguments.all("--header") {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else { throw CLIError.usage("--header expects KEY=VALUE") }
            headers.append(RecordHeader(key: String(entry[..<equals]), value: Array(entry[entry.index(after: equals)...].utf8)))
        }
        var partition: Int32?
        if arguments.value("--partition") != nil {
            partition = Int32(try arguments.integer("--partition", default: 0, range: 0...Int(Int32.max)))
        }
        let producer = try KafkaProducer(config: try Kaffee.clientConfig(arguments, environment: environment, clientId: "kaffee-produce"),
                                         producerConfig: try producerConfig(arguments))
        defer { producer.close() }
        let transactionalId = producer.producerConfig.transactionalId
        if transactionalId != nil {
            try producer.initTransactions()
            try producer.beginTransaction()
        }
        let tally = Locked((acknowledged: 0, failed: 0, firstError: KafkaClientError?.none))
        var sent = 0
        func send(_ line: ArraySlice<UInt8>) {
            var key: [UInt8]?
            var value = Array(line)
            if let separator, let range = line.firstRange(of: separator) {
                key = Array(line[..<range.lowerBound])
                value = Array(line[range.upperBound...])
            }
            sent += 1
            producer.send(ProducerRecord(topic: topic, partition: partition, key: key, value: value, headers: headers)) { result in
                tally.withLock { tally in
                    switch result {
                    case .success: tally.acknowledged += 1
                    case .failure(let error):
                        tally.failed += 1
                        if tally.firstError == nil { tally.firstError = error }
                    }
                }
            }
        }
        try LineReader.forEachLine(of: .standardInput, send)
        if let transactionalId {
            do {
                try producer.commitTransaction()
                console.error("committed transaction \(transactionalId)")
            } catch {
                console.error("kaffee produce: commit of transaction \(transactionalId) failed: \(error)")
                if case .transactionAbortable = error { try? producer.abortTransaction() }
                console.error("produced \(sent) records to \(topic): transaction not committed")
                return CLIError.client(error).exitCode
            }
        } else {
            do { try producer.flush() } catch {
                console.error("kaffee produce: flush: \(error)")
            }
        }
        let (acknowledged, failed, firstError) = tally.withLock { ($0.acknowledged, $0.failed, $0.firstError) }
        console.error("produced \(sent) records to \(topic): \(acknowledged) acknowledged, \(failed) failed")
        if let firstError {
            console.error("first error: \(firstError)")
            // Scripts can tell "broker down" (3) and "no such topic" (4) from other failures (1).
            if acknowledged == 0 { return CLIError.client(firstError).exitCode }
        }
        return failed == 0 && acknowledged == sent ? .ok : .failure
    }
}

/// Splits a stream into `\n`-terminated lines without copying more than needed.
enum LineReader {
    static func forEachLine(of descriptor: FileDescriptor, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var pending: [UInt8] = []
        while true {
            let count = try buffer.withUnsafeMutableBytes { try descriptor.readAvailable(into: $0) }
            if count == 0 { break }
            var start = 0
            for i in 0..<count where buffer[i] == 0x0A {
                if pending.isEmpty {
                    try body(buffer[start..<i])
                } else {
                    pending += buffer[start..<i]
                    try body(pending[...])
                    pending.removeAll(keepingCapacity: true)
                }
                start = i + 1
            }
            if start < count { pending += buffer[start..<count] }
        }
        if !pending.isEmpty { try body(pending[...]) }
    }
}
