import KafkaProtocol
import LogStorage

extension Broker {
    /// AlterConfigs v0–2 (legacy): replaces the whole set of run-time configs of each resource
    /// (topics, this broker or "" for cluster defaults, groups); configs not listed are removed.
    func handleAlterConfigs(_ request: AlterConfigsRequest, version: Int16, context: RequestContext) -> AlterConfigsResponse {
        let alterations = request.resources.map { resource in
            ConfigAlteration(type: resource.resourceType, name: resource.resourceName,
                             changes: resource.configs.map { ConfigChange(name: $0.name, operation: .set, value: $0.value) })
        }
        let outcomes = alterConfigs(alterations, replaceAll: true, validateOnly: request.validateOnly, context: context)
        return AlterConfigsResponse(responses: zip(request.resources, outcomes).map { resource, outcome in
            .init(errorCode: outcome.0, errorMessage: outcome.1, resourceType: resource.resourceType, resourceName: resource.resourceName)
        })
    }
}
