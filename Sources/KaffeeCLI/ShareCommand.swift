import KafkaClient
import SystemIO

/// `kaffee share consume TOPIC --group G`: reads a topic as a member of a share group (KIP-932),
/// printing records like `kaffee consume` (same `--format` / `--json`) and acknowledging each
/// printed record (`--ack accept|release|reject`, default accept) before the next poll; records
/// fetched beyond `--count` are released for other members. SIGINT sends the acknowledgements
/// of what was printed, leaves the group and exits 130.
enum ShareCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--group", value: "GROUP", help: "the share group to consume as a member of (required)"),
        Arguments.Option("--ack", value: "accept|release|reject", help: "how to acknowledge each printed record (default accept)"),
        Arguments.Option("--explicit", help: "explicit acknowledgement mode (default implicit: records are accepted by the next poll)"),
        Arguments.Option("--count", value: "N", help: "exit after N records"),
        Arguments.Option("--idle-exit", value: "MS", help: "exit after MS milliseconds without records"),
        Arguments.Option("--format", value: "FMT", help: "output format: %t %p %o %T %k %v %h (e.g. '%k=%v\\n')"),
        Arguments.Option("--json", help: "output JSON lines with topic, partition, offset, timestamp, key, value, headers"),
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee share consume TOPIC --group GROUP [options]
    Reads TOPIC as a member of share group GROUP (brokers with share groups enabled, e.g.
    kaffeed --share-groups true): every record goes to one member at a time and is acknowledged
    on its own. Prints record values, one per line (or --format / --json).

    \(Arguments.help(options))
    """

    /// What `kaffee share consume` was asked to do.
    struct Plan: Equatable {
        var topic: String
        var group: String
        var ack: AcknowledgeType
        var explicit: Bool
        var count: Int
        var idleExitMs: Int?
    }

    /// Parses `share consume` arguments (after `consume`); usage errors as `CLIError.usage`.
    static func plan(_ arguments: Arguments) throws(CLIError) -> Plan {
        let operands = Array(arguments.positionals.dropFirst())
        guard operands.count == 1 else { throw .usage("kaffee share consume needs exactly one TOPIC\n\n\(usage)") }
        guard let group = arguments.value("--group"), !group.isEmpty else { throw .usage("kaffee share consume needs --group GROUP\n\n\(usage)") }
        let ackName = arguments.value("--ack") ?? "accept"
        guard let ack = AcknowledgeType(name: ackName) else {
            throw .usage("--ack must be accept, release or reject, got \(ackName.debugDescription)")
        }
        let count = try arguments.integer("--count", default: Int.max, range: 1...Int.max)
        let idle = arguments.value("--idle-exit") == nil ? nil : try arguments.integer("--idle-exit", default: 0, range: 1...Int(Int32.max))
        return Plan(topic: operands[0], group: group, ack: ack, explicit: arguments.flag("--explicit"), count: count, idleExitMs: idle)
    }

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let arguments = try Arguments(raw, options: options)
        guard !arguments.flag("--help"), let action = arguments.positionals.first else {
            console.print(usage)
            return arguments.flag("--help") ? .ok : .usage
        }
        guard action == "consume" else { throw CLIError.usage("unknown action \(action.debugDescription)\n\n\(usage)") }
        let plan = try plan(arguments)
        let formatter: RecordFormatter = arguments.flag("--json") ? .json : (arguments.value("--format").map(RecordFormatter.format) ?? .plain)
        let clientConfig = try Kaffee.clientConfig(arguments, environment: environment, clientId: "kaffee-share-consume")
        let admin = KafkaAdmin(config: clientConfig)
        defer { admin.close() }
        _ = try admin.describeTopic(name: plan.topic)
        var config = ShareConsumerConfig(client: clientConfig, groupId: plan.group)
        config.acknowledgementMode = plan.explicit ? .explicit : .implicit
        config.fetchMaxWaitMs = 200
        config.maxPollRecords = min(plan.count, 500)
        let consumer = try ShareConsumer(config: config)
        defer { consumer.close() }
        try consumer.subscribe([plan.topic])
        let clock = SystemTimeSource()
        var lastRecordAt = clock.monotonicNanos()
        var printed = 0
        var interrupted = false
        while printed < plan.count {
            if Interruption.shared.isRequested { interrupted = true; break }
            let records = try consumer.poll(timeoutMs: 200)
            for record in records {
                if printed < plan.count {
                    console.write(formatter.render(record.consumerRecord))
                    printed += 1
                    try consumer.acknowledge(record, type: plan.ack)
                } else {
                    try consumer.acknowledge(record, type: .release)
                }
            }
            if !records.isEmpty {
                console.flush()
                lastRecordAt = clock.monotonicNanos()
                for (partition, failure) in try consumer.commitSync().sorted(by: { $0.key < $1.key }) {
                    console.error("kaffee share: acknowledging records of \(partition) failed: \(failure)")
                }
            } else if let idle = plan.idleExitMs, clock.monotonicNanos() - lastRecordAt >= UInt64(idle) * 1_000_000 {
                break
            }
        }
        console.flush()
        _ = try? consumer.commitSync()
        return interrupted ? .interrupted : .ok
    }
}
