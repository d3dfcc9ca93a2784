import KafkaProtocol

extension Broker {
    /// Whether the request's principal may perform `operation` on the resource (Kafka's
    /// `AuthHelper.authorize`). Always true without an authorizer (`--authorizer none`), so
    /// handlers may call it unconditionally.
    func isAuthorized(_ context: RequestContext, _ operation: AclOperation, _ type: AclResourceType, _ name: String) -> Bool {
        guard let authorizer else { return true }
        return authorizer.authorize(principal: context.principal, host: context.clientHost, operation: operation,
                                    resourceType: type, name: name)
    }

    /// Whether the principal may perform `operation` on the cluster resource.
    func isAuthorizedOnCluster(_ context: RequestContext, _ operation: AclOperation) -> Bool {
        isAuthorized(context, operation, .cluster, AclResourceType.clusterName)
    }

    /// Whether the principal may perform `operation` on some resource of `type` (Kafka's
    /// `authorizeByResourceType`).
    func isAuthorizedOnAny(_ context: RequestContext, _ operation: AclOperation, _ type: AclResourceType) -> Bool {
        guard let authorizer else { return true }
        return authorizer.authorizeAny(principal: context.principal, host: context.clientHost, operation: operation, resourceType: type)
    }

    /// The subset of `names` the principal may perform `operation` on (Kafka's
    /// `filterByAuthorized`), in their order.
    func authorizedNames<S: Sequence>(_ context: RequestContext, _ operation: AclOperation, _ type: AclResourceType,
                                      _ names: S) -> [String] where S.Element == String {
        guard authorizer != nil else { return Array(names) }
        return names.filter { isAuthorized(context, operation, type, $0) }
    }

    /// KIP-430: the operations the principal may perform on the resource, as the bit set the
    /// protocol carries (bit n = operation code n); every supported operation without an
    /// authorizer.
    func authorizedOperationBits(_ context: RequestContext, _ type: AclResourceType, _ name: String) -> Int32 {
        let operations = authorizer?.authorizedOperations(principal: context.principal, host: context.clientHost,
                                                          resourceType: type, name: name) ?? type.supportedOperations
        return operations.reduce(Int32(0)) { $0 | (1 << Int32($1.rawValue)) }
    }

    /// Kafka's authorization error for a resource type (`AclEntry.authorizationError`).
    static func authorizationError(_ type: AclResourceType) -> ErrorCode {
        switch type {
        case .topic: .topicAuthorizationFailed
        case .group: .groupAuthorizationFailed
        case .transactionalId: .transactionalIdAuthorizationFailed
        default: .clusterAuthorizationFailed
        }
    }
}
