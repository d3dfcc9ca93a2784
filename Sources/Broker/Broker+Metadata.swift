import KafkaProtocol
import LogStorage

extension Broker {
    /// Metadata v0–12: this broker, and the requested topics (all of them when the request says
    /// so), auto-creating unknown ones when both the broker and (v4+) the client allow it. The
    /// broker's address is the one `listener` (where the request came in) advertises.
    func handleMetadata(_ request: MetadataRequest, version: Int16, listener: ListenerEndpoint) -> MetadataResponse {
        let requested: [MetadataRequest.Topic]?
        if version == 0 {
            requested = request.topics.flatMap { $0.isEmpty ? nil : $0 }  // v0: empty = all
        } else {
            requested = request.topics
        }
        let allowAutoCreate = config.autoCreateTopics && (version < 4 || request.allowAutoTopicCreation)
        var topics: [MetadataResponse.Topic] = []
        if let requested {
            for entry in requested {
                guard let name = entry.name else {
                    // v12 lookup by id.
                    if let metadata = store.topics.first(where: { $0.id == entry.topicId }) {
                        topics.append(describe(metadata))
                    } else {
                        topics.append(MetadataResponse.Topic(errorCode: .unknownTopicId, name: nil, topicId: entry.topicId))
                    }
                    continue
                }
                switch topic(named: name, autoCreate: allowAutoCreate) {
                case .found(let metadata): topics.append(describe(metadata))
                case .failed(let code, _): topics.append(MetadataResponse.Topic(errorCode: code, name: name))
                }
            }
        } else {
            topics = store.topics.map(describe)
        }
        // Without an authorizer Kafka reports every operation allowed, when asked (v8+).
        if request.includeTopicAuthorizedOperations {
            for index in topics.indices where topics[index].errorCode == .none {
                topics[index].topicAuthorizedOperations = Self.topicOperationsWithoutAuthorizer
            }
        }
        return MetadataResponse(
            throttleTimeMs: 0,
            brokers: [MetadataResponse.Broker(nodeId: config.nodeId, host: listener.advertisedHost, port: listener.advertisedPort, rack: nil)],
            clusterId: config.clusterId,
            controllerId: config.nodeId,
            topics: topics,
            clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? Self.clusterOperationsWithoutAuthorizer : Int32.min)
    }

    /// The topic operations Kafka reports as allowed when no authorizer is configured: bit n =
    /// ACL operation code n for READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8,
    /// DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11 (= 3576).
    static let topicOperationsWithoutAuthorizer: Int32 = 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 8 | 1 << 10 | 1 << 11

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
