import KafkaProtocol
import LogStorage

extension Broker {
    /// ElectLeaders v0–2, answered as a one-broker KRaft controller would
    /// (`ReplicationControlManager.electLeaders`): every partition's only replica already leads,
    /// so a preferred (0) or unclean (1) election is never needed.
    ///
    /// - Listed partitions: ELECTION_NOT_NEEDED ("Leader election not needed for topic
    ///   partition.") for existing ones, UNKNOWN_TOPIC_OR_PARTITION ("No such topic as T",
    ///   "No such partition as T-P") for others, in request order.
    /// - `topicPartitions == nil` (all partitions): every topic, sorted by name, with no
    ///   partition results (Kafka omits the not-needed ones); an empty list: an empty answer.
    /// - Request-level errors (an election type other than 0 or 1 → INVALID_REQUEST "Unknown
    ///   election type N"; a timeout of 0 or less → REQUEST_TIMED_OUT, no message) go in the
    ///   top-level error (v1+) and in every listed partition (Kafka's `getErrorResponse`; the
    ///   only place v0 can show them).
    /// v0 has no election type field (it decodes as 0, preferred).
    func handleElectLeaders(_ request: ElectLeadersRequest, version: Int16, context: RequestContext) -> ElectLeadersResponse {
        // Kafka: ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED at the top and for
        // every listed partition (no message).
        guard isAuthorizedOnCluster(context, .alter) else {
            return electLeadersFailure(request, .clusterAuthorizationFailed, message: nil)
        }
        if let listed = request.topicPartitions, listed.isEmpty {
            return ElectLeadersResponse(throttleTimeMs: 0, errorCode: .none, replicaElectionResults: [])
        }
        if request.timeoutMs <= 0 { return electLeadersFailure(request, .requestTimedOut, message: nil) }
        guard request.electionType == 0 || request.electionType == 1 else {
            return electLeadersFailure(request, .invalidRequest, message: "Unknown election type \(request.electionType)")
        }
        guard let listed = request.topicPartitions else {
            let results = store.topics.map { ElectLeadersResponse.ReplicaElectionResult(topic: $0.name, partitionResult: []) }
            return ElectLeadersResponse(throttleTimeMs: 0, errorCode: .none, replicaElectionResults: results)
        }
        let results = listed.map { topic in
            let partitionCount = store.topic(topic.topic)?.config.partitionCount
            return ElectLeadersResponse.ReplicaElectionResult(topic: topic.topic, partitionResult: topic.partitions.map { partition in
                guard let partitionCount else {
                    return .init(partitionId: partition, errorCode: .unknownTopicOrPartition, errorMessage: "No such topic as \(topic.topic)")
                }
                guard partition >= 0 && partition < partitionCount else {
                    return .init(partitionId: partition, errorCode: .unknownTopicOrPartition,
                                 errorMessage: "No such partition as \(topic.topic)-\(partition)")
                }
                return .init(partitionId: partition, errorCode: .electionNotNeeded, errorMessage: "Leader election not needed for topic partition.")
            })
        }
        return ElectLeadersResponse(throttleTimeMs: 0, errorCode: .none, replicaElectionResults: results)
    }

    /// Kafka's `ElectLeadersRequest.getErrorResponse`: the error at the top and in every
    /// listed partition (none when all partitions were asked for).
    private func electLeadersFailure(_ request: ElectLeadersRequest, _ code: ErrorCode, message: String?) -> ElectLeadersResponse {
        let results = (request.topicPartitions ?? []).map { topic in
            ElectLeadersResponse.ReplicaElectionResult(topic: topic.topic, partitionResult: topic.partitions.map {
                .init(partitionId: $0, errorCode: code, errorMessage: message)
            })
        }
        return ElectLeadersResponse(throttleTimeMs: 0, errorCode: code, replicaElectionResults: results)
    }
}
