public import LogStorage

/// Decides whether a principal may perform an operation on a resource, from the ACLs of an
/// `AclStore` (Kafka's `StandardAuthorizer` rules, without its caches).
///
/// Rules, in order: a super user may do everything; otherwise, among the bindings that apply to
/// the resource (`AclBinding.appliesTo`) and to the principal and host (`User:*`, `*`), a DENY
/// of the operation or of ALL refuses; else an ALLOW of the operation, of ALL, or of an
/// operation that implies it (`AclOperation.allowsAlso`) permits; else, when no binding applies
/// to the resource at all (whoever it names), `allowEveryoneIfNoAclFound` decides; else refuse.
///
/// Thread-safety: immutable apart from the store, which is locked; callable from any thread.
public final class AclAuthorizer: Sendable {
    /// The durable bindings (CreateAcls, DeleteAcls and DescribeAcls work on it).
    public let acls: AclStore
    /// Principals allowed everything (`super.users`).
    public let superUsers: Set<KafkaPrincipal>
    /// Kafka's `allow.everyone.if.no.acl.found`.
    public let allowEveryoneIfNoAclFound: Bool

    public init(acls: AclStore, superUsers: [KafkaPrincipal] = [], allowEveryoneIfNoAclFound: Bool = false) {
        self.acls = acls
        self.superUsers = Set(superUsers)
        self.allowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound
    }

    /// An authorizer over the ACLs of `store`'s data directory (nil: in memory only).
    public convenience init(store: LogStore?, superUsers: [KafkaPrincipal] = [], allowEveryoneIfNoAclFound: Bool = false) throws {
        self.init(acls: try AclStore(store: store), superUsers: superUsers, allowEveryoneIfNoAclFound: allowEveryoneIfNoAclFound)
    }

    /// Whether `principal`, connected from `host`, may perform `operation` on the resource.
    /// `any`, `all` and `unknown` are not operations one performs: refused (Kafka rejects them).
    public func authorize(principal: KafkaPrincipal, host: String, operation: AclOperation,
                          resourceType: AclResourceType, name: String) -> Bool {
        guard ![.any, .all, .unknown].contains(operation) else { return false }
        if superUsers.contains(principal) { return true }
        let onResource = acls.all.filter { $0.appliesTo(resourceType, name) }
        return decide(onResource, principal: principal, host: host, operation: operation)
    }

    /// Whether `principal` may perform `operation` on at least one resource of `resourceType`
    /// (Kafka's `Authorizer.authorizeByResourceType`): a super user, or a resource no binding
    /// concerns under `allowEveryoneIfNoAclFound`, may; otherwise some ALLOW of the operation
    /// (or ALL) for the principal and host must name a literal or prefix that no DENY of theirs
    /// covers (a literal `*` DENY covers all).
    public func authorizeAny(principal: KafkaPrincipal, host: String, operation: AclOperation, resourceType: AclResourceType) -> Bool {
        // As Kafka: first an ordinary check of a made-up name, so super users, wildcard ALLOWs
        // and `allowEveryoneIfNoAclFound` count.
        if authorize(principal: principal, host: host, operation: operation, resourceType: resourceType, name: "hardcode") { return true }
        let mine = acls.all.filter {
            $0.resourceType == resourceType && ($0.operation == operation || $0.operation == .all)
                && $0.appliesTo(principal: principal, host: host)
        }
        let denied = mine.filter { $0.permission == .deny }
        if denied.contains(where: { $0.patternType == .literal && $0.name == AclBinding.wildcardName }) { return false }
        let deniedPrefixes = denied.filter { $0.patternType == .prefixed }.map(\.name)
        let deniedLiterals = Set(denied.filter { $0.patternType == .literal }.map(\.name))
        return mine.contains { allow in
            guard allow.permission == .allow else { return false }
            switch allow.patternType {
            case .literal:
                return !deniedLiterals.contains(allow.name) && !deniedPrefixes.contains { allow.name.hasPrefix($0) }
            case .prefixed:
                return !deniedPrefixes.contains { allow.name.hasPrefix($0) }
            case .unknown, .any, .match:
                return false
            }
        }
    }

    /// The operations of `resourceType` (`supportedOperations`) that `principal` may perform on
    /// the resource from `host` (KIP-430's authorized operations).
    public func authorizedOperations(principal: KafkaPrincipal, host: String,
                                     resourceType: AclResourceType, name: String) -> Set<AclOperation> {
        let supported = resourceType.supportedOperations
        if superUsers.contains(principal) { return supported }
        // One read of the store, so every operation is judged against the same ACLs.
        let onResource = acls.all.filter { $0.appliesTo(resourceType, name) }
        return supported.filter { decide(onResource, principal: principal, host: host, operation: $0) }
    }

    /// The rules after the super-user check, over the bindings that apply to the resource.
    private func decide(_ onResource: [AclBinding], principal: KafkaPrincipal, host: String, operation: AclOperation) -> Bool {
        if onResource.isEmpty { return allowEveryoneIfNoAclFound }
        let mine = onResource.filter { $0.appliesTo(principal: principal, host: host) }
        if mine.contains(where: { $0.permission == .deny && ($0.operation == operation || $0.operation == .all) }) {
            return false
        }
        return mine.contains { $0.permission == .allow && ($0.operation == .all || $0.operation.allowsAlso.contains(operation)) }
    }
}
