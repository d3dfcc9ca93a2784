import KafkaProtocol
import LogStorage

extension Broker {
    /// DeleteTopics v0–6: by name (v0–5 `topicNames`, v6 `topics[].name`) or by id (v6).
    ///
    /// Authorization (Kafka's `ControllerApis.deleteTopics`): DELETE on the cluster or on the
    /// topic, else TOPIC_AUTHORIZATION_FAILED; a topic the principal may not DESCRIBE is
    /// refused without revealing whether it exists (by id: its name left out).
    func handleDeleteTopics(_ request: DeleteTopicsRequest, version: Int16, context: RequestContext) -> DeleteTopicsResponse {
        let clusterDelete = isAuthorizedOnCluster(context, .delete)
        var targets: [(name: String?, id: [UInt8])] = request.topicNames.map { ($0, [UInt8](repeating: 0, count: 16)) }
        if version >= 6 { targets = request.topics.map { ($0.name, $0.topicId) } }
        var results: [DeleteTopicsResponse.DeletableTopicResult] = []
        for target in targets {
            var result = DeleteTopicsResponse.DeletableTopicResult(name: target.name, topicId: target.id)
            let name: String
            if let given = target.name {
                name = given
            } else if let found = store.topics.first(where: { $0.id == target.id }) {
                name = found.name
                result.name = name
            } else {
                result.errorCode = .unknownTopicId
                result.errorMessage = "unknown topic id"
                results.append(result)
                continue
            }
            if !clusterDelete && !isAuthorized(context, .delete, .topic, name) {
                let describable = isAuthorized(context, .describe, .topic, name)
                // A describable unknown name falls through to UNKNOWN_TOPIC_OR_PARTITION below.
                if !describable || target.name == nil || store.topic(name) != nil {
                    if !describable && target.name == nil { result.name = nil }
                    result.errorCode = .topicAuthorizationFailed
                    result.errorMessage = "Topic authorization failed."
                    results.append(result)
                    continue
                }
            }
            do {
                if let metadata = store.topic(name) { result.topicId = metadata.id }
                try store.deleteTopic(name)
                logger.info("deleted topic \(name)")
            } catch {
                result.errorCode = errorCode(for: error)
                result.errorMessage = "\(error)"
            }
            if result.errorCode == .none {
                // Committed offsets of a deleted topic go with it (a re-created topic starts fresh).
                do { try offsets.delete(at: time.wallMillis()) { $0.topic == name } } catch {
                    logger.error("removing committed offsets of deleted topic \(name) failed: \(error)")
                }
            }
            results.append(result)
        }
        // Fetches waiting on a deleted partition answer now (with its error).
        purgatory.notifyAll()
        return DeleteTopicsResponse(throttleTimeMs: 0, responses: results)
    }
}
