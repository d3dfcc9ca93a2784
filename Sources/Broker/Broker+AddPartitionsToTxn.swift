import KafkaProtocol

extension Broker {
    /// AddPartitionsToTxn v0–4. v0–3 (clients): one transaction's partitions are added to it.
    /// v4 (Kafka's brokers): a batch of transactions, each added or, with `VerifyOnly`, only
    /// checked. If any partition does not exist, nothing is added: those partitions answer
    /// UNKNOWN_TOPIC_OR_PARTITION and the others OPERATION_NOT_ATTEMPTED, as Kafka does.
    /// PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH before v2.
    ///
    /// Authorization as Kafka's: v4 (from brokers) needs CLUSTER_ACTION on the cluster (else
    /// CLUSTER_AUTHORIZATION_FAILED for the request); v0–3 (clients) WRITE on the transactional
    /// id (else every partition answers TRANSACTIONAL_ID_AUTHORIZATION_FAILED) and WRITE on each
    /// topic (else TOPIC_AUTHORIZATION_FAILED; nothing is added, the others answer
    /// OPERATION_NOT_ATTEMPTED).
    func handleAddPartitionsToTxn(_ request: AddPartitionsToTxnRequest, version: Int16, context: RequestContext) -> AddPartitionsToTxnResponse {
        if version < 4 {
            let results = addPartitions(transactionalId: request.v3AndBelowTransactionalId, producerId: request.v3AndBelowProducerId,
                                        epoch: request.v3AndBelowProducerEpoch, topics: request.v3AndBelowTopics, verifyOnly: false, version: version,
                                        context: context)
            return AddPartitionsToTxnResponse(throttleTimeMs: 0, resultsByTopicV3AndBelow: results)
        }
        guard isAuthorizedOnCluster(context, .clusterAction) else {
            return AddPartitionsToTxnResponse(throttleTimeMs: 0, errorCode: .clusterAuthorizationFailed, resultsByTransaction: [])
        }
        let results = request.transactions.map { transaction in
            AddPartitionsToTxnResponse.AddPartitionsToTxnResult(
                transactionalId: transaction.transactionalId,
                topicResults: addPartitions(transactionalId: transaction.transactionalId, producerId: transaction.producerId,
                                            epoch: transaction.producerEpoch, topics: transaction.topics, verifyOnly: transaction.verifyOnly,
                                            version: version, context: context))
        }
        return AddPartitionsToTxnResponse(throttleTimeMs: 0, errorCode: .none, resultsByTransaction: results)
    }

    private func addPartitions(transactionalId: String, producerId: Int64, epoch: Int16, topics: [AddPartitionsToTxnRequest.AddPartitionsToTxnTopic],
                               verifyOnly: Bool, version: Int16, context: RequestContext) -> [AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult] {
        // Clients' requests (v0–3) are checked; brokers' (v4) passed the cluster check.
        let fromClient = version < 4
        var refused: Set<TransactionPartition> = []
        var unknown: Set<TransactionPartition> = []
        var partitions: [TransactionPartition] = []
        let writable = fromClient ? Set(authorizedNames(context, .write, .topic, topics.map(\.name))) : []
        for topic in topics {
            for index in topic.partitions {
                let partition = TransactionPartition(topic: topic.name, partition: index)
                if fromClient && !writable.contains(topic.name) {
                    refused.insert(partition)
                } else if (try? store.partition(topic.name, index)) == nil {
                    unknown.insert(partition)
                } else {
                    partitions.append(partition)
                }
            }
        }
        func answer(_ code: (TransactionPartition) -> ErrorCode) -> [AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult] {
            topics.map { topic in
                AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult(name: topic.name, resultsByPartition: topic.partitions.map {
                    AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult(
                        partitionIndex: $0, partitionErrorCode: code(TransactionPartition(topic: topic.name, partition: $0)))
                })
            }
        }
        if fromClient && !isAuthorized(context, .write, .transactionalId, transactionalId) {
            return answer { _ in .transactionalIdAuthorizationFailed }
        }
        if !unknown.isEmpty || !refused.isEmpty {
            return answer { refused.contains($0) ? .topicAuthorizationFailed : unknown.contains($0) ? .unknownTopicOrPartition : .operationNotAttempted }
        }
        if verifyOnly {
            return answer { transactions.verify(transactionalId: transactionalId, producerId: producerId, epoch: epoch, partition: $0) }
        }
        let error = transactions.add(transactionalId: transactionalId, producerId: producerId, epoch: epoch, partitions: partitions, groups: [])
        if error != .none {
            logger.debug("AddPartitionsToTxn for \(transactionalId) (producer \(producerId) epoch \(epoch)) refused: \(error.summary)")
        }
        let answered = error == .producerFenced && version < 2 ? .invalidProducerEpoch : error
        return answer { _ in answered }
    }
}
