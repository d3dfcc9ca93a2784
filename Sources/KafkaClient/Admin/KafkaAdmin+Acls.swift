import KafkaProtocol

extension KafkaAdmin {
    /// The ACLs matching `filter` (DescribeAcls), sorted by resource then principal.
    ///
    /// - Throws: `.broker(.securityDisabled, …)` when the broker has no authorizer,
    ///   `.broker(.clusterAuthorizationFailed, …)` without DESCRIBE on the cluster,
    ///   `.unsupported` when the broker lacks the API, connection failures once retries are spent.
    public func describeAcls(_ filter: AclRuleFilter = AclRuleFilter()) throws(KafkaClientError) -> [AclRule] {
        let request = DescribeAclsRequest(resourceTypeFilter: filter.resourceType.rawValue, resourceNameFilter: filter.resourceName,
                                          patternTypeFilter: filter.patternType.rawValue, principalFilter: filter.principal,
                                          hostFilter: filter.host, operation: filter.operation.rawValue, permissionType: filter.permission.rawValue)
        return try cluster.withRetries("DescribeAcls") { () throws(KafkaClientError) -> [AclRule] in
            let connection = try anyBroker()
            let version = try negotiatedVersion(.describeAcls, on: connection, for: "listing ACLs")
            let response = try connection.send(request, version: version).0
            guard response.errorCode == .none else { throw .broker(response.errorCode, context: Self.context("DescribeAcls", response.errorMessage)) }
            var rules: [AclRule] = []
            for resource in response.resources {
                for acl in resource.acls {
                    if let rule = Self.rule(type: resource.resourceType, name: resource.resourceName, pattern: resource.patternType,
                                            principal: acl.principal, host: acl.host, operation: acl.operation, permission: acl.permissionType) {
                        rules.append(rule)
                    }
                }
            }
            return rules.sorted { ($0.resourceType.rawValue, $0.resourceName, $0.principal, $0.operation.rawValue)
                < ($1.resourceType.rawValue, $1.resourceName, $1.principal, $1.operation.rawValue) }
        }
    }

    /// Creates `rules` (CreateAcls); creating one that exists changes nothing.
    ///
    /// - Returns: per rule, nil when created, else the broker's refusal (e.g. INVALID_REQUEST
    ///   for a filter-only pattern type or a principal without a colon).
    /// - Throws: message-level failures as `describeAcls`.
    public func createAcls(_ rules: [AclRule]) throws(KafkaClientError) -> [AclRule: KafkaClientError?] {
        guard !rules.isEmpty else { return [:] }
        let request = CreateAclsRequest(creations: rules.map {
            .init(resourceType: $0.resourceType.rawValue, resourceName: $0.resourceName, resourcePatternType: $0.patternType.rawValue,
                  principal: $0.principal, host: $0.host, operation: $0.operation.rawValue, permissionType: $0.permission.rawValue)
        })
        return try cluster.withRetries("CreateAcls") { () throws(KafkaClientError) -> [AclRule: KafkaClientError?] in
            let connection = try anyBroker()
            let version = try negotiatedVersion(.createAcls, on: connection, for: "creating ACLs")
            let response = try connection.send(request, version: version).0
            guard response.results.count == rules.count else {
                throw .connection(address: connection.address.description, reason: "CreateAcls answered \(response.results.count) results for \(rules.count) ACLs")
            }
            var results: [AclRule: KafkaClientError?] = [:]
            for (rule, result) in zip(rules, response.results) {
                results[rule] = result.errorCode == .none ? .none : .broker(result.errorCode, context: Self.context("create ACL \(rule)", result.errorMessage))
            }
            return results
        }
    }

    /// Deletes every ACL matching `filter` (DeleteAcls) and returns what was deleted.
    ///
    /// - Throws: the filter's refusal (e.g. INVALID_REQUEST), message-level failures as
    ///   `describeAcls`.
    public func deleteAcls(_ filter: AclRuleFilter) throws(KafkaClientError) -> [AclRule] {
        let request = DeleteAclsRequest(filters: [.init(
            resourceTypeFilter: filter.resourceType.rawValue, resourceNameFilter: filter.resourceName, patternTypeFilter: filter.patternType.rawValue,
            principalFilter: filter.principal, hostFilter: filter.host, operation: filter.operation.rawValue, permissionType: filter.permission.rawValue)])
        return try cluster.withRetries("DeleteAcls") { () throws(KafkaClientError) -> [AclRule] in
            let connection = try anyBroker()
            let version = try negotiatedVersion(.deleteAcls, on: connection, for: "deleting ACLs")
            let response = try connection.send(request, version: version).0
            guard let result = response.filterResults.first else {
                throw .connection(address: connection.address.description, reason: "DeleteAcls answered no result")
            }
            guard result.errorCode == .none else { throw .broker(result.errorCode, context: Self.context("DeleteAcls", result.errorMessage)) }
            return result.matchingAcls.compactMap { acl in
                Self.rule(type: acl.resourceType, name: acl.resourceName, pattern: acl.patternType, principal: acl.principal,
                          host: acl.host, operation: acl.operation, permission: acl.permissionType)
            }
        }
    }

    /// An ACL from wire codes; nil for codes this client does not know.
    static func rule(type: Int8, name: String, pattern: Int8, principal: String, host: String, operation: Int8, permission: Int8) -> AclRule? {
        guard let type = AclRule.ResourceType(rawValue: type), let pattern = AclRule.PatternType(rawValue: pattern),
              let operation = AclRule.Operation(rawValue: operation), let permission = AclRule.Permission(rawValue: permission) else { return nil }
        return AclRule(resourceType: type, resourceName: name, patternType: pattern, principal: principal, host: host,
                       operation: operation, permission: permission)
    }
}
