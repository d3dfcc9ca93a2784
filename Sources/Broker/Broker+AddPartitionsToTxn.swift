import KafkaProtocol

extension Broker {
    /// AddPartitionsToTxn v0–4. v0–3 (clients): one transaction's partitions are added to it.
    /// v4 (Kafka's brokers): a batch of transactions, each added or, with `VerifyOnly`, only
    /// checked. If any partition does not exist, nothing is added: those partitions answer
    /// UNKNOWN_TOPIC_OR_PARTITION and the others OPERATION_NOT_ATTEMPTED, as Kafka does.
    /// PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH before v2.
    func handleAddPartitionsToTxn(_ request: AddPartitionsToTxnRequest, version: Int16) -> AddPartitionsToTxnResponse {
        if version < 4 {
            let results = addPartitions(transactionalId: request.v3AndBelowTransactionalId, producerId: request.v3AndBelowProducerId,
                                        epoch: request.v3AndBelowProducerEpoch, topics: request.v3AndBelowTopics, verifyOnly: false, version: version)
            return AddPartitionsToTxnResponse(throttleTimeMs: 0, resultsByTopicV3AndBelow: results)
        }
        let results = request.transactions.map { transaction in
            AddPartitionsToTxnResponse.AddPartitionsToTxnResult(
                transactionalId: transaction.transactionalId,
                topicResults: addPartitions(transactionalId: transaction.transactionalId, producerId: transaction.producerId,
                                            epoch: transaction.producerEpoch, topics: transaction.topics, verifyOnly: transaction.verifyOnly,
                                            version: version))
        }
        return AddPartitionsToTxnResponse(throttleTimeMs: 0, errorCode: .none, resultsByTransaction: results)
    }

    private func addPartitions(transactionalId: String, producerId: Int64, epoch: Int16, topics: [AddPartitionsToTxnRequest.AddPartitionsToTxnTopic],
                               verifyOnly: Bool, version: Int16) -> [AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult] {
        var unknown: Set<TransactionPartition> = []
        var partitions: [TransactionPartition] = []
        for topic in topics {
            for index in topic.partitions {
                let partition = TransactionPartition(topic: topic.name, partition: index)
                if (try? store.partition(topic.name, index)) == nil { unknown.insert(partition) } else { partitions.append(partition) }
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
        if !unknown.isEmpty {
            return answer { unknown.contains($0) ? .unknownTopicOrPartition : .operationNotAttempted }
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
