import KafkaProtocol
import LogStorage

extension Broker {
    /// DescribeProducers v0 (KIP-664): the producers each partition remembers, with their epoch,
    /// last sequence and timestamp, and the first offset of their open transaction (-1 if none) —
    /// what an operator needs to find a hanging transaction. Unknown partitions answer
    /// UNKNOWN_TOPIC_OR_PARTITION.
    func handleDescribeProducers(_ request: DescribeProducersRequest, version: Int16, context: RequestContext) -> DescribeProducersResponse {
        // Kafka: READ on the topic, else TOPIC_AUTHORIZATION_FAILED per partition.
        let readable = authorizedTopics(context, .read, request.topics.map(\.name))
        let topics = request.topics.map { topic in
            DescribeProducersResponse.TopicResponse(name: topic.name, partitions: topic.partitionIndexes.map { index in
                guard readable.contains(topic.name) else {
                    return DescribeProducersResponse.PartitionResponse(partitionIndex: index, errorCode: .topicAuthorizationFailed,
                                                                       errorMessage: "Topic authorization failed.")
                }
                guard let log = try? store.partition(topic.name, index) else {
                    return DescribeProducersResponse.PartitionResponse(partitionIndex: index, errorCode: .unknownTopicOrPartition,
                                                                       errorMessage: "unknown partition \(topic.name)-\(index)")
                }
                return DescribeProducersResponse.PartitionResponse(partitionIndex: index, errorCode: .none, activeProducers: log.activeProducers.map {
                    DescribeProducersResponse.ProducerState(producerId: $0.producerId, producerEpoch: Int32($0.producerEpoch),
                                                            lastSequence: $0.lastSequence, lastTimestamp: $0.lastTimestamp,
                                                            coordinatorEpoch: $0.coordinatorEpoch, currentTxnStartOffset: $0.currentTxnStartOffset)
                })
            })
        }
        return DescribeProducersResponse(throttleTimeMs: 0, topics: topics)
    }
}
