import KafkaProtocol
import LogStorage

extension Broker {
    /// Metadata v0–12: this broker, and the requested topics (all of them when the request says
    /// so), auto-creating unknown ones when both the broker and (v4+) the client allow it. The
    /// broker's address is the one `listener` (where the request came in) advertises.
    ///
    /// Authorization (Kafka's `handleTopicMetadataRequest`): topics the principal may not
    /// DESCRIBE are left out of an all-topics answer, and answer TOPIC_AUTHORIZATION_FAILED
    /// without partitions when named (with their id and no name when asked by id); an unknown
    /// topic is auto-created only with CREATE on the cluster or the topic, else it answers
    /// TOPIC_AUTHORIZATION_FAILED. Authorized operations (KIP-430) are the principal's, and the
    /// cluster's are 0 without DESCRIBE on the cluster.
    func handleMetadata(_ request: MetadataRequest, version: Int16, context: RequestContext) -> MetadataResponse {
        let listener = context.listener
        let requested: [MetadataRequest.Topic]?
        if version == 0 {
            requested = request.topics.flatMap { $0.isEmpty ? nil : $0 }  // v0: empty = all
        } else {
            requested = request.topics
        }
        let allowAutoCreate = config.autoCreateTopics && (version < 4 || request.allowAutoTopicCreation)
        var topics: [MetadataResponse.Topic] = []
        if let requested {
            let describable = authorizedTopics(context, .describe, requested.compactMap(\.name))
            for entry in requested {
                guard let name = entry.name else {
                    // v12 lookup by id.
                    if let metadata = store.topics.first(where: { $0.id == entry.topicId }) {
                        if isAuthorized(context, .describe, .topic, metadata.name) {
                            topics.append(describe(metadata))
                        } else {
                            // Topic ids are not secret: the id comes back, the name does not.
                            topics.append(MetadataResponse.Topic(errorCode: .topicAuthorizationFailed, name: nil, topicId: entry.topicId))
                        }
                    } else {
                        topics.append(MetadataResponse.Topic(errorCode: .unknownTopicId, name: nil, topicId: entry.topicId))
                    }
                    continue
                }
                guard describable.contains(name) else {
                    topics.append(MetadataResponse.Topic(errorCode: .topicAuthorizationFailed, name: name))
                    continue
                }
                if allowAutoCreate, store.topic(name) == nil, !mayCreateTopic(context, name) {
                    topics.append(MetadataResponse.Topic(errorCode: .topicAuthorizationFailed, name: name))
                    continue
                }
                switch topic(named: name, autoCreate: allowAutoCreate) {
                case .found(let metadata): topics.append(describe(metadata))
                case .failed(let code, _): topics.append(MetadataResponse.Topic(errorCode: code, name: name))
                }
            }
        } else {
            let all = store.topics
            let describable = authorizedTopics(context, .describe, all.map(\.name))
            topics = all.filter { describable.contains($0.name) }.map(describe)
        }
        // Kafka reports the operations allowed, when asked (v8+); every one without an authorizer.
        if request.includeTopicAuthorizedOperations {
            for index in topics.indices where topics[index].errorCode == .none {
                topics[index].topicAuthorizedOperations = authorizedOperationBits(context, .topic, topics[index].name ?? "")
            }
        }
        var clusterOperations = Int32.min
        if request.includeClusterAuthorizedOperations {
            clusterOperations = clusterOperationBits(context)
        }
        return MetadataResponse(
            throttleTimeMs: 0,
            brokers: [MetadataResponse.Broker(nodeId: config.nodeId, host: listener.advertisedHost, port: listener.advertisedPort, rack: nil)],
            clusterId: config.clusterId,
            controllerId: config.nodeId,
            topics: topics,
            clusterAuthorizedOperations: clusterOperations)
    }

    private func describe(_ metadata: TopicMetadata) -> MetadataResponse.Topic {
        let node = config.nodeId
        let partitions = (0..<metadata.config.partitionCount).map { index in
            MetadataResponse.Partition(errorCode: .none, partitionIndex: index, leaderId: node, leaderEpoch: 0,
                                       replicaNodes: [node], isrNodes: [node], offlineReplicas: [])
        }
        return MetadataResponse.Topic(errorCode: .none, name: metadata.name, topicId: metadata.id, isInternal: false,
                                      partitions: partitions, topicAuthorizedOperations: Int32.min)
    }
}
