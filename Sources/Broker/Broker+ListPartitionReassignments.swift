import KafkaProtocol

extension Broker {
    /// ListPartitionReassignments v0 (Kafka's `ReplicationControlManager.listPartitionReassignments`):
    /// with one broker no partition is ever being reassigned, so the answer is always an empty
    /// list without error, whether all topics (`topics == nil`) or some were asked for; Kafka
    /// leaves unknown topics and partitions out silently too. `timeoutMs` is unused, as in Kafka.
    func handleListPartitionReassignments(_ request: ListPartitionReassignmentsRequest, version: Int16) -> ListPartitionReassignmentsResponse {
        ListPartitionReassignmentsResponse(throttleTimeMs: 0, errorCode: .none, errorMessage: nil, topics: [])
    }
}
