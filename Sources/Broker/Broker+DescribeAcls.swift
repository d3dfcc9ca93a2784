import KafkaProtocol

extension Broker {
    /// DescribeAcls: the ACLs matching the request's filter (`AclFilter`), grouped by resource
    /// pattern in creation order. Without an authorizer → SECURITY_DISABLED; without DESCRIBE
    /// on the cluster → CLUSTER_AUTHORIZATION_FAILED; a filter with UNKNOWN elements →
    /// INVALID_REQUEST. Version 0 carries no pattern type: LITERAL.
    func handleDescribeAcls(_ request: DescribeAclsRequest, context: RequestContext) -> DescribeAclsResponse {
        if let refusal = aclClusterRefusal(.describe, context: context) {
            return DescribeAclsResponse(errorCode: .clusterAuthorizationFailed, errorMessage: refusal)
        }
        guard let authorizer else {
            return DescribeAclsResponse(errorCode: .securityDisabled, errorMessage: "No Authorizer is configured on the broker")
        }
        let filter = AclFilter(resourceType: AclResourceType(code: request.resourceTypeFilter), name: request.resourceNameFilter,
                               patternType: AclPatternType(code: request.patternTypeFilter), principal: request.principalFilter,
                               host: request.hostFilter, operation: AclOperation(code: request.operation),
                               permission: AclPermissionType(code: request.permissionType))
        if let (code, message) = filter.validationError {
            return DescribeAclsResponse(errorCode: code, errorMessage: message)
        }
        struct Pattern: Hashable { var type: AclResourceType; var name: String; var patternType: AclPatternType }
        var order: [Pattern] = []
        var grouped: [Pattern: [DescribeAclsResponse.AclDescription]] = [:]
        for binding in authorizer.acls.matching(filter) {
            let pattern = Pattern(type: binding.resourceType, name: binding.name, patternType: binding.patternType)
            if grouped[pattern] == nil { order.append(pattern) }
            grouped[pattern, default: []].append(.init(principal: binding.principal, host: binding.host,
                                                       operation: binding.operation.rawValue,
                                                       permissionType: binding.permission.rawValue))
        }
        return DescribeAclsResponse(errorCode: .none, resources: order.map {
            .init(resourceType: $0.type.rawValue, resourceName: $0.name, patternType: $0.patternType.rawValue, acls: grouped[$0] ?? [])
        })
    }
}
