public import KafkaProtocol

/// One ACL (Kafka's `AclBinding`): a resource pattern (type, name, literal or prefixed) and an
/// entry (principal, host, operation, allow or deny). A value type; equal bindings are the same
/// ACL (creating one twice stores it once, as Kafka does).
///
/// Invariant of stored bindings (`validationError` is nil): a concrete resource type, pattern
/// `literal` or `prefixed`, a non-empty name (`kafka-cluster` for CLUSTER), a principal
/// `Type:name`, a concrete operation and `allow` or `deny`.
public struct AclBinding: Sendable, Hashable, CustomStringConvertible {
    public var resourceType: AclResourceType
    /// The resource's name, `*` (literal: every resource of the type), or a prefix.
    public var name: String
    public var patternType: AclPatternType
    /// `Type:name` as the client wrote it; `User:*` is every user.
    public var principal: String
    /// A client host, or `*` for every host.
    public var host: String
    public var operation: AclOperation
    public var permission: AclPermissionType

    public init(resourceType: AclResourceType, name: String, patternType: AclPatternType = .literal,
                principal: String, host: String = "*", operation: AclOperation, permission: AclPermissionType = .allow) {
        self.resourceType = resourceType
        self.name = name
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }

    /// Kafka's style: `(pattern=ResourcePattern(...), entry=(...))`, shortened.
    public var description: String {
        "(\(resourceType) \(patternType) '\(name)': \(principal) from \(host) \(permission) \(operation))"
    }

    /// The wildcard principal (every user) and host.
    public static let wildcardPrincipal = "User:*"
    public static let wildcardHost = "*"
    /// A literal name that applies to every resource of the type.
    public static let wildcardName = "*"

    /// Why Kafka refuses to create this binding (INVALID_REQUEST and its message), or nil. The
    /// broker's checks (CLUSTER name, empty name) come before the controller's (types,
    /// operation, permission), and the principal must parse, as in Kafka.
    public var validationError: (code: ErrorCode, message: String)? {
        if resourceType == .cluster && name != AclResourceType.clusterName {
            return (.invalidRequest, "The only valid name for the CLUSTER resource is \(AclResourceType.clusterName)")
        }
        if name.isEmpty { return (.invalidRequest, "Invalid empty resource name") }
        if resourceType == .unknown || resourceType == .any { return (.invalidRequest, "Invalid resourceType \(resourceType)") }
        if patternType != .literal && patternType != .prefixed { return (.invalidRequest, "Invalid patternType \(patternType)") }
        if operation == .unknown || operation == .any { return (.invalidRequest, "Invalid operation \(operation)") }
        if permission != .allow && permission != .deny { return (.invalidRequest, "Invalid permissionType \(permission)") }
        if KafkaPrincipal(parsing: principal) == nil {
            return (.invalidRequest, "Could not parse principal from `\(principal)` "
                + "(no colon is present separating the principal type from the principal name)")
        }
        return nil
    }

    /// Whether this binding's resource pattern applies to the resource `type`/`resourceName`:
    /// the same type, and an equal or `*` literal name, or a prefix of it.
    public func appliesTo(_ type: AclResourceType, _ resourceName: String) -> Bool {
        guard resourceType == type else { return false }
        switch patternType {
        case .literal: return name == resourceName || name == Self.wildcardName
        case .prefixed: return resourceName.hasPrefix(name)
        case .unknown, .any, .match: return false
        }
    }

    /// Whether this binding's entry concerns `principal` connecting from `host`.
    public func appliesTo(principal who: KafkaPrincipal, host clientHost: String) -> Bool {
        (principal == Self.wildcardPrincipal || principal == who.description)
            && (host == Self.wildcardHost || host == clientHost)
    }
}
