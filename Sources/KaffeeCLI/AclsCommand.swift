import KafkaClient
import TopicCatalog

/// `kaffee acls list|create|delete`: Kafka ACLs (DescribeAcls, CreateAcls, DeleteAcls), in the
/// spirit of `kafka-acls.sh`. One line per ACL: PERMISSION PRINCIPAL OPERATION TYPE NAME PATTERN HOST.
enum AclsCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--principal", value: "User:NAME", help: "whose ACL (create: required; User:* = everyone)"),
        Arguments.Option("--operation", value: "OP", help: "READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE or ALL (repeatable; create: required)"),
        Arguments.Option("--topic", value: "NAME", help: "a topic (* = every topic)"),
        Arguments.Option("--group", value: "NAME", help: "a consumer or share group (* = every group)"),
        Arguments.Option("--transactional-id", value: "ID", help: "a transactional id (* = every id)"),
        Arguments.Option("--cluster", help: "the cluster"),
        Arguments.Option("--prefixed", help: "the name is a prefix (PREFIXED pattern)"),
        Arguments.Option("--deny", help: "create, delete: a DENY rule (default ALLOW)"),
        Arguments.Option("--host", value: "HOST", help: "the client address (default * = any)"),
        Arguments.Option("--dry-run", help: "apply: print the ACLs without creating them"),
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee acls list [--topic T | --group G | --transactional-id X | --cluster] [--prefixed] [--principal P]
           kaffee acls create --principal User:NAME --operation OP... (--topic T | --group G | --transactional-id X | --cluster)
                              [--prefixed] [--deny] [--host H]
           kaffee acls delete [same selectors as create; without --operation every operation]
           kaffee acls apply DIR [--dry-run]   grant each service of a Topics/ directory exactly what its
                                               declarations say (producers write, consumers read and use their group)
    The broker must run with --authorizer acl; changing ACLs needs ALTER on the cluster (a
    super user), listing them DESCRIBE.

    \(Arguments.help(options))
    """

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let (arguments, action, operands) = try Kaffee.action(raw, options: options, usage: usage, console: console)
        if action == "apply" { return try apply(arguments, operands, environment: environment, console: console) }
        guard operands.isEmpty else { throw CLIError.usage("kaffee acls \(action) takes no operands, got \(operands.joined(separator: " "))\n\n\(usage)") }
        let admin = KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
        defer { admin.close() }
        switch action {
        case "list":
            let (type, name) = try resource(arguments, required: false)
            let filter = AclRuleFilter(resourceType: type, resourceName: name,
                                       patternType: name == nil ? .any : arguments.flag("--prefixed") ? .prefixed : .match,
                                       principal: arguments.value("--principal"))
            for rule in try admin.describeAcls(filter) { console.print(line(rule)) }
        case "create":
            guard let principal = arguments.value("--principal") else { throw CLIError.usage("kaffee acls create needs --principal\n\n\(usage)") }
            let operations = try operations(arguments)
            guard !operations.isEmpty else { throw CLIError.usage("kaffee acls create needs --operation\n\n\(usage)") }
            let (type, name) = try resource(arguments, required: true)
            let rules = operations.map { operation in
                AclRule(resourceType: type, resourceName: name ?? AclRule.clusterName, patternType: arguments.flag("--prefixed") ? .prefixed : .literal,
                        principal: principal, host: arguments.value("--host") ?? "*", operation: operation,
                        permission: arguments.flag("--deny") ? .deny : .allow)
            }
            let results = try admin.createAcls(rules)
            for rule in rules {
                if case .some(.some(let error)) = results[rule] { throw CLIError.client(error) }
                console.print(line(rule))
            }
        case "delete":
            let (type, name) = try resource(arguments, required: true)
            let operations = try operations(arguments)
            var deleted: [AclRule] = []
            for operation in operations.isEmpty ? [AclRule.Operation.any] : operations {
                deleted += try admin.deleteAcls(AclRuleFilter(
                    resourceType: type, resourceName: name ?? AclRule.clusterName, patternType: arguments.flag("--prefixed") ? .prefixed : .literal,
                    principal: arguments.value("--principal"), host: arguments.value("--host"), operation: operation,
                    permission: arguments.flag("--deny") ? .deny : arguments.value("--principal") == nil ? .any : .allow))
            }
            for rule in deleted { console.print("deleted " + line(rule)) }
        default:
            throw CLIError.usage("unknown action \(action.debugDescription)\n\n\(usage)")
        }
        return .ok
    }

    /// `kaffee acls apply DIR`: creates (or with `--dry-run` prints) `ServiceAcls.grants` of the
    /// declarations in DIR. Creating an ACL that exists changes nothing, so it may run at every start.
    static func apply(_ arguments: Arguments, _ operands: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        guard operands.count == 1 else { throw CLIError.usage("kaffee acls apply needs a DIR\n\n\(usage)") }
        let declarations: [TopicDeclaration]
        do { declarations = try TopicDeclaration.load(directory: operands[0]) } catch { throw CLIError.usage("\(error)") }
        let rules = serviceRules(declarations)
        if !arguments.flag("--dry-run") {
            let admin = KafkaAdmin(config: try Kaffee.clientConfig(arguments, environment: environment))
            defer { admin.close() }
            let results = try admin.createAcls(rules)
            for rule in rules { if case .some(.some(let error)) = results[rule] { throw CLIError.client(error) } }
        }
        for rule in rules { console.print(line(rule)) }
        return .ok
    }

    /// `ServiceAcls.grants` of `declarations` as ACLs to create.
    static func serviceRules(_ declarations: [TopicDeclaration]) -> [AclRule] {
        ServiceAcls.grants(for: declarations).compactMap { grant -> AclRule? in
            guard let operation = AclRule.Operation(name: grant.operation) else { return nil }
            return AclRule(resourceType: grant.resourceType == .topic ? .topic : .group, resourceName: grant.resourceName,
                           principal: "User:\(grant.principal)", operation: operation)
        }
    }

    /// `PERMISSION PRINCIPAL OPERATION TYPE NAME PATTERN HOST`, tab-separated.
    static func line(_ rule: AclRule) -> String {
        [rule.permission.name, rule.principal, rule.operation.name, rule.resourceType.name, rule.resourceName, rule.patternType.name, rule.host]
            .joined(separator: "\t")
    }

    /// The one resource selected (`--topic`, `--group`, `--transactional-id` or `--cluster`),
    /// or any resource when none is given and `required` is false.
    static func resource(_ arguments: Arguments, required: Bool) throws(CLIError) -> (AclRule.ResourceType, String?) {
        var chosen: [(AclRule.ResourceType, String?)] = []
        if let topic = arguments.value("--topic") { chosen.append((.topic, topic)) }
        if let group = arguments.value("--group") { chosen.append((.group, group)) }
        if let id = arguments.value("--transactional-id") { chosen.append((.transactionalId, id)) }
        if arguments.flag("--cluster") { chosen.append((.cluster, AclRule.clusterName)) }
        guard chosen.count <= 1 else { throw .usage("give one of --topic, --group, --transactional-id and --cluster") }
        guard let one = chosen.first else {
            if required { throw .usage("name the resource: --topic, --group, --transactional-id or --cluster") }
            return (.any, nil)
        }
        if let name = one.1, name.isEmpty { throw .usage("the resource name must not be empty") }
        return one
    }

    /// The `--operation` values, each a Kafka operation name.
    static func operations(_ arguments: Arguments) throws(CLIError) -> [AclRule.Operation] {
        var result: [AclRule.Operation] = []
        for name in arguments.all("--operation") {
            guard let operation = AclRule.Operation(name: name), operation != .any else {
                throw .usage("unknown --operation \(name.debugDescription) (READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALL)")
            }
            if !result.contains(operation) { result.append(operation) }
        }
        return result
    }
}
