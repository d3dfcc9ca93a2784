import KafkaProtocol

extension Broker {
    /// ListPartitionReassignments v0 (Kafka's `ReplicationControlManager.listPartitionReassignments`):
    /// with one broker no partition is ever being reassigned, so the answer is always an empty
    /// list without error, whether all topics (`topics == nil`) or some were asked for; Kafka
    /// leaves unknown topics and partitions out silently too. `timeoutMs` is unused, as in Kafka.
    func handleListPartitionReassignments(_ request: ListPartitionReassignmentsRequest, version: Int16,
                                          context: RequestContext) -> ListPartitionReassignmentsResponse {
        // Kafka: DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED, echoing the asked
        // partitions with no replicas (the request's error response).
        guard isAuthorizedOnCluster(context, .describe) else {
            return ListPartitionReassignmentsResponse(
                throttleTimeMs: 0, errorCode: .clusterAuthorizationFailed, errorMessage: Self.authorizationMessage(.clusterAuthorizationFailed),
                topics: (request.topics ?? []).map { topic in
                    .init(name: topic.name, partitions: topic.partitionIndexes.map { .init(partitionIndex: $0) })
                })
        }
        return ListPartitionReassignmentsResponse(throttleTimeMs: 0, errorCode: .none, errorMessage: nil, topics: [])
    }
}
