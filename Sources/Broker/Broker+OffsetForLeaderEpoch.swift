import KafkaProtocol
import LogStorage

extension Broker {
    /// Every partition's leader epoch: one broker that never loses leadership, so 0 forever,
    /// which Metadata reports and every stored batch carries.
    static let partitionLeaderEpoch: Int32 = 0

    /// OffsetForLeaderEpoch v2–4 (Kafka's `Partition.lastOffsetForLeaderEpoch` and
    /// `LeaderEpochFileCache.endOffsetFor`) over a log whose only epoch is 0, starting at the
    /// log start offset. Per partition: unknown → UNKNOWN_TOPIC_OR_PARTITION; a current leader
    /// epoch other than -1 (no check) is fenced against 0: below → FENCED_LEADER_EPOCH, above →
    /// UNKNOWN_LEADER_EPOCH. Then the requested epoch: 0 → (0, log end offset); -1 or above 0
    /// → (-1, -1) without an error (no such epoch; clients treat it as truncation); below -1 →
    /// (that epoch, log start offset), Kafka's "older than any known epoch" answer. Error
    /// answers carry (-1, -1). `replicaId` is not used, as in Kafka's leader.
    func handleOffsetForLeaderEpoch(_ request: OffsetForLeaderEpochRequest, version: Int16, context: RequestContext) -> OffsetForLeaderEpochResponse {
        // Kafka: DESCRIBE on the topic (or CLUSTER_ACTION on the cluster, as a follower has),
        // else TOPIC_AUTHORIZATION_FAILED per partition.
        let describable = isAuthorizedOnCluster(context, .clusterAction) ? nil : authorizedTopics(context, .describe, request.topics.map(\.topic))
        let topics = request.topics.map { topic in
            OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult(topic: topic.topic, partitions: topic.partitions.map { partition in
                if let describable, !describable.contains(topic.topic) {
                    return OffsetForLeaderEpochResponse.EpochEndOffset(errorCode: .topicAuthorizationFailed, partition: partition.partition,
                                                                       leaderEpoch: -1, endOffset: -1)
                }
                return endOffset(topic.topic, partition)
            })
        }
        return OffsetForLeaderEpochResponse(throttleTimeMs: 0, topics: topics)
    }

    private func endOffset(_ topic: String, _ request: OffsetForLeaderEpochRequest.OffsetForLeaderPartition) -> OffsetForLeaderEpochResponse.EpochEndOffset {
        var answer = OffsetForLeaderEpochResponse.EpochEndOffset(errorCode: .none, partition: request.partition, leaderEpoch: -1, endOffset: -1)
        guard let log = try? store.partition(topic, request.partition) else {
            answer.errorCode = .unknownTopicOrPartition
            return answer
        }
        let current = request.currentLeaderEpoch
        if current != -1 && current < Self.partitionLeaderEpoch {
            answer.errorCode = .fencedLeaderEpoch
            return answer
        }
        if current > Self.partitionLeaderEpoch {
            answer.errorCode = .unknownLeaderEpoch
            return answer
        }
        let offsets = log.offsets
        switch request.leaderEpoch {
        case Self.partitionLeaderEpoch:
            answer.leaderEpoch = Self.partitionLeaderEpoch
            answer.endOffset = offsets.logEndOffset
        case ..<(-1):
            answer.leaderEpoch = request.leaderEpoch
            answer.endOffset = offsets.logStartOffset
        default:
            break
        }
        return answer
    }
}
