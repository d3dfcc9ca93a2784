import KafkaProtocol

/// One Kafka ACL as the admin API sees it (KIP-140, KIP-290): who (`principal`, `host`) may or
/// may not (`permission`) do what (`operation`) on which resources (`resourceType`,
/// `resourceName`, `patternType`). The raw values are Kafka's wire codes. A value type.
///
/// Example — alice may read every topic whose name starts with `orders.`:
/// ```swift
/// AclRule(resourceType: .topic, resourceName: "orders.", patternType: .prefixed,
///         principal: "User:alice", host: "*", operation: .read, permission: .allow)
/// ```
public struct AclRule: Sendable, Hashable, CustomStringConvertible {
    /// Kafka's resource types. A value type; `Sendable`.
    public enum ResourceType: Int8, Sendable, CaseIterable { case any = 1, topic = 2, group = 3, cluster = 4, transactionalId = 5 }
    /// How `resourceName` matches names: exactly (`*` = every name), or as a prefix. `any` and
    /// `match` exist in filters only. A value type; `Sendable`.
    public enum PatternType: Int8, Sendable, CaseIterable { case any = 1, match = 2, literal = 3, prefixed = 4 }
    /// Kafka's operations (`AclOperation`, wire codes as raw values). `all` grants every
    /// operation; `read`, `write`, `delete` and `alter` imply `describe`, and `alterConfigs`
    /// implies `describeConfigs`, as in Kafka. `any` exists in filters only.
    /// A value type; `Sendable`.
    public enum Operation: Int8, Sendable, CaseIterable {
        /// Kafka's operations by wire code: `any` (filters only), `all`, `read`, `write`,
        /// `create`, `delete`, `alter`, `describe`, `clusterAction`.
        case any = 1, all = 2, read = 3, write = 4, create = 5, delete = 6, alter = 7, describe = 8, clusterAction = 9
        /// The config and idempotence operations: `describeConfigs`, `alterConfigs`,
        /// `idempotentWrite` (a cluster operation).
        case describeConfigs = 10, alterConfigs = 11, idempotentWrite = 12
    }
    /// Allow or deny (`any` in filters only). A DENY wins over every ALLOW.
    /// A value type; `Sendable`.
    public enum Permission: Int8, Sendable, CaseIterable { case any = 1, deny = 2, allow = 3 }

    /// What kind of resource the rule is about (never `.any` in a stored rule).
    public var resourceType: ResourceType
    /// The resource's name, a prefix of names (`.prefixed`), `*` for every name, or
    /// ``clusterName`` for the cluster.
    public var resourceName: String
    /// How `resourceName` matches (`.literal` or `.prefixed` in a stored rule).
    public var patternType: PatternType
    /// `User:name`, or `User:*` for everyone.
    public var principal: String
    /// A client address, or `*`.
    public var host: String
    /// The operation allowed or denied (never `.any` in a stored rule).
    public var operation: Operation
    /// Allow or deny (never `.any` in a stored rule).
    public var permission: Permission

    /// A rule; the defaults are a literal name, every host and `.allow`. Nothing is validated
    /// here: the broker refuses rules with `.any`/`.match` or a malformed principal.
    public init(resourceType: ResourceType, resourceName: String, patternType: PatternType = .literal, principal: String,
                host: String = "*", operation: Operation, permission: Permission = .allow) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }

    /// The name of the cluster resource, as Kafka names it.
    public static let clusterName = "kafka-cluster"

    /// `ALLOW User:alice READ on TOPIC orders. (PREFIXED) from *`.
    public var description: String {
        "\(permission.name) \(principal) \(operation.name) on \(resourceType.name) \(resourceName) (\(patternType.name)) from \(host)"
    }
}

/// Which ACLs DescribeAcls lists and DeleteAcls removes: nil fields and the `any` cases match
/// everything; `patternType` `.match` selects the ACLs that apply to `resourceName` (literal,
/// `*` and prefixed ones), as Kafka's `AclBindingFilter`. A value type.
public struct AclRuleFilter: Sendable, Hashable {
    /// The resource type to match; `.any` matches every type.
    public var resourceType: AclRule.ResourceType = .any
    /// The resource name to match; nil matches every name.
    public var resourceName: String?
    /// How rules' names must match: one pattern type, `.any` (every rule) or `.match` (every
    /// rule that applies to `resourceName`).
    public var patternType: AclRule.PatternType = .any
    /// The principal (`User:name`) to match; nil matches every principal.
    public var principal: String?
    /// The host to match; nil matches every host.
    public var host: String?
    /// The operation to match; `.any` matches every operation.
    public var operation: AclRule.Operation = .any
    /// The permission to match; `.any` matches both.
    public var permission: AclRule.Permission = .any

    /// A filter matching every ACL; narrow it by setting fields.
    public init(resourceType: AclRule.ResourceType = .any, resourceName: String? = nil, patternType: AclRule.PatternType = .any,
                principal: String? = nil, host: String? = nil, operation: AclRule.Operation = .any, permission: AclRule.Permission = .any) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }

    /// The filter matching exactly `rule`.
    public init(exactly rule: AclRule) {
        self.init(resourceType: rule.resourceType, resourceName: rule.resourceName, patternType: rule.patternType,
                  principal: rule.principal, host: rule.host, operation: rule.operation, permission: rule.permission)
    }
}

extension AclRule.ResourceType {
    /// Kafka's upper-case name (`TOPIC`, `TRANSACTIONAL_ID`).
    public var name: String {
        switch self {
        case .any: "ANY"
        case .topic: "TOPIC"
        case .group: "GROUP"
        case .cluster: "CLUSTER"
        case .transactionalId: "TRANSACTIONAL_ID"
        }
    }
}

extension AclRule.PatternType {
    /// Kafka's upper-case name.
    public var name: String {
        switch self {
        case .any: "ANY"
        case .match: "MATCH"
        case .literal: "LITERAL"
        case .prefixed: "PREFIXED"
        }
    }
}

extension AclRule.Operation {
    /// Kafka's upper-case name (`DESCRIBE_CONFIGS`).
    public var name: String { AclOperationName.name(rawValue) }

    /// The operation of a name, in any case, `-` or `_` (`describe-configs`); nil if unknown.
    public init?(name: String) {
        let normalized = name.uppercased().replacingDashes
        guard let found = Self.allCases.first(where: { $0.name == normalized }) else { return nil }
        self = found
    }
}

extension AclRule.Permission {
    /// Kafka's upper-case name.
    public var name: String {
        switch self {
        case .any: "ANY"
        case .deny: "DENY"
        case .allow: "ALLOW"
        }
    }
}

private extension String {
    var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}
