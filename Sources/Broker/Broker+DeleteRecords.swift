import KafkaProtocol
import LogStorage

extension Broker {
    /// DeleteRecords v0–2 (Kafka's `ReplicaManager.deleteRecords` and
    /// `Partition.deleteRecordsOnLeader`): moves each partition's log start offset up to the
    /// given offset (-1 = the high watermark), durably, and answers the new log start offset
    /// as the low watermark. Per partition, in Kafka's order: unknown → UNKNOWN_TOPIC_OR_PARTITION;
    /// `cleanup.policy=compact` without `delete` → POLICY_VIOLATION; an offset still negative
    /// after the -1 conversion, or above the high watermark → OFFSET_OUT_OF_RANGE. An offset at
    /// or below the current log start changes nothing. Every error answers low watermark -1
    /// (the response has no message field).
    ///
    /// `timeoutMs` bounds only Kafka's wait for followers to catch up; with one replica the
    /// deletion is complete when the call returns, so it is never used.
    func handleDeleteRecords(_ request: DeleteRecordsRequest, version: Int16, context: RequestContext) -> DeleteRecordsResponse {
        // Kafka: DELETE on the topic, else TOPIC_AUTHORIZATION_FAILED per partition.
        let deletable = authorizedTopics(context, .delete, request.topics.map(\.name))
        let topics = request.topics.map { topic in
            DeleteRecordsResponse.DeleteRecordsTopicResult(name: topic.name, partitions: topic.partitions.map { partition in
                guard deletable.contains(topic.name) else {
                    return .init(partitionIndex: partition.partitionIndex, lowWatermark: Self.invalidLowWatermark, errorCode: .topicAuthorizationFailed)
                }
                let (code, lowWatermark) = deleteRecords(topic.name, partition.partitionIndex, before: partition.offset)
                return .init(partitionIndex: partition.partitionIndex, lowWatermark: lowWatermark, errorCode: code)
            })
        }
        return DeleteRecordsResponse(throttleTimeMs: 0, topics: topics)
    }

    /// Kafka's `DeleteRecordsResponse.INVALID_LOW_WATERMARK`.
    static let invalidLowWatermark: Int64 = -1

    private func deleteRecords(_ topic: String, _ partition: Int32, before offset: Int64) -> (ErrorCode, Int64) {
        do {
            let log = try store.partition(topic, partition)
            guard log.config.cleanupPolicy.deletes else { return (.policyViolation, Self.invalidLowWatermark) }
            let logStart = try log.deleteRecords(before: offset)
            return (.none, logStart)
        } catch {
            switch error {
            case .offsetOutOfRange, .unknownTopic, .unknownPartition: break
            default: logger.error("DeleteRecords on \(topic)-\(partition) failed: \(error)")
            }
            return (errorCode(for: error), Self.invalidLowWatermark)
        }
    }
}
