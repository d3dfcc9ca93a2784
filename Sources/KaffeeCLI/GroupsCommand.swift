import KafkaClient

/// `kaffee groups list|describe|reset-offsets|delete-offsets`.
enum GroupsCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--topic", value: "TOPIC", help: "reset-offsets, delete-offsets: the topic whose offsets to change"),
        Arguments.Option("--partition", value: "P", help: "delete-offsets: only this partition (repeatable; default: every partition)"),
        Arguments.Option("--to-earliest", help: "reset-offsets: to the log start"),
        Arguments.Option("--to-latest", help: "reset-offsets: to the end"),
        Arguments.Option("--to-offset", value: "N", help: "reset-offsets: to offset N"),
        Arguments.Option("--to-timestamp", value: "MS", help: "reset-offsets: to the first offset at or after MS"),
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee groups list                 GROUP  STATE  TYPE (consumer, share, or empty for offset-only groups)
                                              PROTOCOL (classic, consumer = KIP-848, share)
           kaffee groups describe GROUP       members, assignments, committed offsets, high watermarks, lag
                                              (consumer-protocol groups: epochs, assignor, target assignments;
                                              share groups: state, epochs, members, start offsets, lag)
           kaffee groups reset-offsets GROUP --topic TOPIC (--to-earliest|--to-latest|--to-offset N|--to-timestamp MS)
                                              (the group must have no active members)
           kaffee groups delete-offsets GROUP --topic TOPIC [--partition P]...
                                              forget committed offsets (not while members consume TOPIC)

    \(Arguments.help(options))
    """

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let (arguments, action, operands) = try Kaffee.action(raw, options: options, usage: usage, console: console)
        let admin = KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
        defer { admin.close() }
        switch action {
        case "list":
            for group in try admin.listGroups() {
                console.print("\(group.groupId)\t\(group.state.map { "\($0)" } ?? "-")\t\(group.isShareGroup ? "share" : group.protocolType)"
                    + "\t\(group.groupType.isEmpty ? "-" : group.groupType)")
            }
        case "describe":
            guard operands.count == 1 else { throw CLIError.usage("kaffee groups describe needs a GROUP\n\n\(usage)") }
            if try describeShareGroup(operands[0], admin: admin, console: console) { return .ok }
            if try describeConsumerProtocolGroup(operands[0], admin: admin, console: console) { return .ok }
            let group = try admin.describeGroup(operands[0])
            if case .dead = group.state {
                let committed = try admin.committedOffsets(group: operands[0])
                if committed.isEmpty { throw CLIError.notFound("group \(operands[0]) does not exist") }
            }
            console.print("group \(group.groupId)  type classic  state \(group.state)  protocol \(group.protocolName.isEmpty ? "-" : group.protocolName)  members \(group.members.count)")
            for member in group.members {
                let assigned = member.assignment.map { "\($0)" }.joined(separator: ",")
                console.print("  member \(member.memberId)  client \(member.clientId)  host \(member.host)\(member.groupInstanceId.map { "  instance \($0)" } ?? "")  assigned [\(assigned)]")
            }
            console.print("  TOPIC\tPARTITION\tCOMMITTED\tHIGH-WATERMARK\tLAG\tMEMBER")
            for lag in try admin.lag(group: group.groupId) {
                let committed = lag.committedOffset >= 0 ? String(lag.committedOffset) : "-"
                console.print("  \(lag.topic)\t\(lag.partition)\t\(committed)\t\(lag.highWatermark)\t\(lag.lag)\t\(lag.memberId ?? "-")")
            }
        case "reset-offsets":
            guard operands.count == 1, let topic = arguments.value("--topic") else {
                throw CLIError.usage("kaffee groups reset-offsets needs a GROUP and --topic\n\n\(usage)")
            }
            let spec: OffsetSpec
            var exact: Int64?
            if arguments.flag("--to-earliest") { spec = .earliest }
            else if arguments.flag("--to-latest") { spec = .latest }
            else if let text = arguments.value("--to-timestamp") {
                guard let ms = Int64(text) else { throw CLIError.usage("--to-timestamp needs milliseconds since the epoch") }
                spec = .timestamp(ms)
            } else if let text = arguments.value("--to-offset") {
                guard let offset = Int64(text), offset >= 0 else { throw CLIError.usage("--to-offset needs a non-negative offset") }
                spec = .earliest
                exact = offset
            } else {
                throw CLIError.usage("reset-offsets needs one of --to-earliest, --to-latest, --to-offset, --to-timestamp")
            }
            let description = try admin.describeTopic(name: topic)
            let partitions = description.partitions.map { TopicPartition(topic: topic, partition: $0.partition) }
            var targets: [TopicPartition: Int64] = [:]
            if let exact {
                for partition in partitions { targets[partition] = exact }
            } else {
                let found = try admin.listOffsets(partitions, spec: spec)
                let ends = try admin.listOffsets(partitions, spec: .latest)
                for partition in partitions {
                    let offset = found[partition]?.offset ?? -1
                    targets[partition] = offset >= 0 ? offset : (ends[partition]?.offset ?? 0)
                }
            }
            try admin.resetOffsets(group: operands[0], to: targets)
            for partition in partitions.sorted() { console.print("\(partition)\t\(targets[partition] ?? -1)") }
        case "delete-offsets":
            guard operands.count == 1, let topic = arguments.value("--topic") else {
                throw CLIError.usage("kaffee groups delete-offsets needs a GROUP and --topic\n\n\(usage)")
            }
            return try deleteOffsets(group: operands[0], topic: topic, arguments: arguments, admin: admin, console: console)
        default:
            throw CLIError.usage("unknown action \(action.debugDescription)\n\n\(usage)")
        }
        return .ok
    }
}
