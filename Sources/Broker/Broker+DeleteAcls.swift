import KafkaProtocol

extension Broker {
    /// DeleteAcls: removes the ACLs each filter matches (`AclFilter`), all in one durable write,
    /// and lists them per filter. A filter with UNKNOWN elements → INVALID_REQUEST for that
    /// filter; a storage failure → KAFKA_STORAGE_ERROR for every valid filter (nothing is
    /// removed). Without an authorizer every filter gets SECURITY_DISABLED; without ALTER on
    /// the cluster, CLUSTER_AUTHORIZATION_FAILED. Version 0 carries no pattern type: LITERAL.
    func handleDeleteAcls(_ request: DeleteAclsRequest, context: RequestContext) -> DeleteAclsResponse {
        typealias Result = DeleteAclsResponse.DeleteAclsFilterResult
        func all(_ code: ErrorCode, _ message: String) -> DeleteAclsResponse {
            DeleteAclsResponse(filterResults: request.filters.map { _ in Result(errorCode: code, errorMessage: message) })
        }
        if let refusal = aclClusterRefusal(.alter, context: context) { return all(.clusterAuthorizationFailed, refusal) }
        guard let authorizer else { return all(.securityDisabled, Self.noAuthorizerMessage) }
        let filters = request.filters.map {
            AclFilter(resourceType: AclResourceType(code: $0.resourceTypeFilter), name: $0.resourceNameFilter,
                      patternType: AclPatternType(code: $0.patternTypeFilter), principal: $0.principalFilter, host: $0.hostFilter,
                      operation: AclOperation(code: $0.operation), permission: AclPermissionType(code: $0.permissionType))
        }
        let valid = filters.filter { $0.validationError == nil }
        let removed: [[AclBinding]]
        do {
            removed = try authorizer.acls.remove(valid)
        } catch {
            logger.error("storing ACLs failed: \(error)")
            return DeleteAclsResponse(filterResults: filters.map { filter in
                if let (code, message) = filter.validationError { return Result(errorCode: code, errorMessage: message) }
                return Result(errorCode: .kafkaStorageError, errorMessage: "\(error)")
            })
        }
        var next = removed.makeIterator()
        return DeleteAclsResponse(filterResults: filters.map { filter in
            if let (code, message) = filter.validationError { return Result(errorCode: code, errorMessage: message) }
            let matched = next.next() ?? []
            return Result(errorCode: .none, matchingAcls: matched.map {
                .init(errorCode: .none, resourceType: $0.resourceType.rawValue, resourceName: $0.name,
                      patternType: $0.patternType.rawValue, principal: $0.principal, host: $0.host,
                      operation: $0.operation.rawValue, permissionType: $0.permission.rawValue)
            })
        })
    }
}
