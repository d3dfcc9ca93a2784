import KafkaProtocol
import LogStorage

extension Broker {
    /// IncrementalAlterConfigs v0–1: SET, DELETE, APPEND, SUBTRACT on topics, this broker (its
    /// id, or "" for the cluster-wide defaults) and groups; see `alterConfigs`.
    func handleIncrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest, version: Int16, context: RequestContext) -> IncrementalAlterConfigsResponse {
        let alterations = request.resources.map { resource in
            var unknown: Int8?
            let changes = resource.configs.compactMap { config -> ConfigChange? in
                guard let operation = ConfigChange.Operation(rawValue: config.configOperation) else {
                    unknown = unknown ?? config.configOperation
                    return nil
                }
                return ConfigChange(name: config.name, operation: operation, value: config.value)
            }
            return ConfigAlteration(type: resource.resourceType, name: resource.resourceName, changes: changes, unknownOperation: unknown)
        }
        let outcomes = alterConfigs(alterations, replaceAll: false, validateOnly: request.validateOnly, context: context)
        return IncrementalAlterConfigsResponse(responses: zip(request.resources, outcomes).map { resource, outcome in
            .init(errorCode: outcome.0, errorMessage: outcome.1, resourceType: resource.resourceType, resourceName: resource.resourceName)
        })
    }
}
