public import KafkaProtocol

/// A filter over ACL bindings (Kafka's `AclBindingFilter`), as DescribeAcls and DeleteAcls send
/// it. A value type.
///
/// Semantics, as Kafka's: resource type `any` matches every type; a nil name, principal or host
/// matches every one; operation and permission `any` match every one. Pattern type `any`
/// matches bindings of every pattern type whose name equals the filter's; `match` matches every
/// binding that applies to the filter's name (an equal or `*` literal, or a prefix of it); a
/// concrete pattern type matches bindings of that type with an equal name. Principal and host
/// are compared as text (the filter `User:*` finds wildcard bindings, not every binding).
public struct AclFilter: Sendable, Hashable {
    public var resourceType: AclResourceType
    public var name: String?
    public var patternType: AclPatternType
    public var principal: String?
    public var host: String?
    public var operation: AclOperation
    public var permission: AclPermissionType

    public init(resourceType: AclResourceType = .any, name: String? = nil, patternType: AclPatternType = .any,
                principal: String? = nil, host: String? = nil, operation: AclOperation = .any, permission: AclPermissionType = .any) {
        self.resourceType = resourceType
        self.name = name
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }

    /// Every binding.
    public static let all = AclFilter()

    /// Whether `binding` passes the filter.
    public func matches(_ binding: AclBinding) -> Bool {
        if resourceType != .any && resourceType != binding.resourceType { return false }
        if patternType != .any && patternType != .match && patternType != binding.patternType { return false }
        if let name {
            if patternType == .any || patternType == binding.patternType {
                if name != binding.name { return false }
            } else {
                // `match`: the bindings that would apply to a resource called `name`.
                switch binding.patternType {
                case .literal: if name != binding.name && binding.name != AclBinding.wildcardName { return false }
                case .prefixed: if !name.hasPrefix(binding.name) { return false }
                case .unknown, .any, .match: return false
                }
            }
        }
        if let principal, principal != binding.principal { return false }
        if let host, host != binding.host { return false }
        if operation != .any && operation != binding.operation { return false }
        return permission == .any || permission == binding.permission
    }

    /// Why the filter is refused (INVALID_REQUEST and a message), or nil: any UNKNOWN element,
    /// which Kafka rejects when it reads the request.
    public var validationError: (code: ErrorCode, message: String)? {
        if resourceType == .unknown || patternType == .unknown || operation == .unknown || permission == .unknown {
            return (.invalidRequest, "The filter contains UNKNOWN elements: resource type \(resourceType), pattern type "
                + "\(patternType), operation \(operation), permission \(permission)")
        }
        return nil
    }
}
