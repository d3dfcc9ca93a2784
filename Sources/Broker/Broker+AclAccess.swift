import KafkaProtocol

extension Broker {
    /// Kafka's check before the ACL APIs (`authorizeClusterOperation`): the caller needs
    /// `operation` (DESCRIBE to list, ALTER to change) on the cluster. Without an authorizer
    /// everyone passes. Returns the refusal's message, or nil when allowed.
    func aclClusterRefusal(_ operation: AclOperation, context: RequestContext) -> String? {
        guard let authorizer else { return nil }
        let allowed = authorizer.authorize(principal: context.principal, host: context.clientHost, operation: operation,
                                           resourceType: .cluster, name: AclResourceType.clusterName)
        return allowed ? nil : "Request is not authorized: \(context.principal) may not \(operation) the cluster."
    }

    /// Kafka's answer to the ACL APIs on a broker without an authorizer.
    static let noAuthorizerMessage = "No Authorizer is configured."
}
