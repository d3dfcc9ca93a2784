import KafkaProtocol

extension Broker {
    /// CreateAcls: validates each creation as Kafka does (`AclBinding.validationError`:
    /// INVALID_REQUEST for ANY/MATCH/UNKNOWN types, a CLUSTER name other than `kafka-cluster`,
    /// an empty name, an unparsable principal...) and stores the valid ones together, durably
    /// (a binding that exists already succeeds without a second copy). One result per
    /// creation, in order; a storage failure answers KAFKA_STORAGE_ERROR for the valid ones.
    /// Without an authorizer every creation gets SECURITY_DISABLED; without ALTER on the
    /// cluster, CLUSTER_AUTHORIZATION_FAILED.
    func handleCreateAcls(_ request: CreateAclsRequest, context: RequestContext) -> CreateAclsResponse {
        typealias Result = CreateAclsResponse.AclCreationResult
        func all(_ code: ErrorCode, _ message: String) -> CreateAclsResponse {
            CreateAclsResponse(results: request.creations.map { _ in Result(errorCode: code, errorMessage: message) })
        }
        if let refusal = aclClusterRefusal(.alter, context: context) { return all(.clusterAuthorizationFailed, refusal) }
        guard let authorizer else { return all(.securityDisabled, Self.noAuthorizerMessage) }
        let bindings = request.creations.map {
            AclBinding(resourceType: AclResourceType(code: $0.resourceType), name: $0.resourceName,
                       patternType: AclPatternType(code: $0.resourcePatternType), principal: $0.principal, host: $0.host,
                       operation: AclOperation(code: $0.operation), permission: AclPermissionType(code: $0.permissionType))
        }
        var storageError: String?
        do {
            try authorizer.acls.add(bindings.filter { $0.validationError == nil })
        } catch {
            storageError = "\(error)"
            logger.error("storing ACLs failed: \(error)")
        }
        return CreateAclsResponse(results: bindings.map { binding in
            if let (code, message) = binding.validationError { return Result(errorCode: code, errorMessage: message) }
            if let storageError { return Result(errorCode: .kafkaStorageError, errorMessage: storageError) }
            return Result(errorCode: .none)
        })
    }
}
