import KafkaProtocol

extension Broker {
    /// DescribeTransactions v0: each transactional id's state, timeout, producer and the
    /// partitions of its open transaction. Unknown ids answer TRANSACTIONAL_ID_NOT_FOUND. As
    /// Kafka: DESCRIBE on each transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    /// partitions of topics the principal may not DESCRIBE are left out.
    func handleDescribeTransactions(_ request: DescribeTransactionsRequest, version: Int16,
                                    context: RequestContext) -> DescribeTransactionsResponse {
        let states = request.transactionalIds.map { id -> DescribeTransactionsResponse.TransactionState in
            guard isAuthorized(context, .describe, .transactionalId, id) else {
                return DescribeTransactionsResponse.TransactionState(errorCode: .transactionalIdAuthorizationFailed, transactionalId: id,
                                                                     transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1)
            }
            guard let metadata = transactions.describe(id) else {
                return DescribeTransactionsResponse.TransactionState(errorCode: .transactionalIdNotFound, transactionalId: id,
                                                                     transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1)
            }
            let byTopic = Dictionary(grouping: metadata.partitions, by: \.topic)
            return DescribeTransactionsResponse.TransactionState(
                errorCode: .none, transactionalId: id, transactionState: metadata.state.name, transactionTimeoutMs: metadata.timeoutMs,
                transactionStartTimeMs: metadata.startTimestamp, producerId: metadata.producerId, producerEpoch: metadata.producerEpoch,
                topics: authorizedNames(context, .describe, .topic, byTopic.keys.sorted()).map { topic in
                    DescribeTransactionsResponse.TopicData(topic: topic, partitions: (byTopic[topic] ?? []).map(\.partition).sorted())
                })
        }
        return DescribeTransactionsResponse(throttleTimeMs: 0, transactionStates: states)
    }
}
