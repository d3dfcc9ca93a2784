import KafkaProtocol

extension KafkaAdmin {
    /// Every transactional id known to any transaction coordinator (ListTransactions to each
    /// broker), sorted by id.
    ///
    /// - Parameters:
    ///   - states: only ids in these coordinator states (e.g. "Ongoing"); empty = all.
    ///   - producerIds: only ids whose current producer id is one of these; empty = all.
    /// - Throws: `.unsupported` when a broker lacks ListTransactions, `.broker(code, ...)` when
    ///   one refuses.
    public func listTransactions(states: [String] = [], producerIds: [Int64] = []) throws(KafkaClientError) -> [TransactionListing] {
        try cluster.withRetries("ListTransactions") { () throws(KafkaClientError) -> [TransactionListing] in
            try cluster.refreshMetadata(topics: [])
            var found: [String: TransactionListing] = [:]
            for broker in cluster.brokers {
                let connection = try cluster.connection(node: broker.nodeId, purpose: Self.purpose)
                let version = try negotiatedVersion(.listTransactions, on: connection, for: "listing transactions")
                let response = try connection.send(ListTransactionsRequest(stateFilters: states, producerIdFilters: producerIds, durationFilter: -1),
                                                   version: version).0
                guard response.errorCode == .none else {
                    throw .broker(response.errorCode, context: "ListTransactions on broker \(broker.nodeId)")
                }
                for entry in response.transactionStates {
                    found[entry.transactionalId] = TransactionListing(transactionalId: entry.transactionalId, producerId: entry.producerId,
                                                                      state: entry.transactionState, coordinatorId: broker.nodeId)
                }
            }
            return found.values.sorted { $0.transactionalId < $1.transactionalId }
        }
    }

    /// The state of each transactional id (DescribeTransactions to the id's coordinator, found
    /// with FindCoordinator), in the order asked.
    ///
    /// - Throws: `.broker(.transactionalIdNotFound, ...)` for an id the coordinator does not
    ///   know, `.unsupported` when the coordinator lacks DescribeTransactions.
    public func describeTransactions(_ transactionalIds: [String]) throws(KafkaClientError) -> [TransactionDescription] {
        if transactionalIds.contains(where: \.isEmpty) { throw .invalidArgument("a transactional id must not be empty") }
        var descriptions: [TransactionDescription] = []
        for id in transactionalIds {
            let description = try cluster.withRetries("DescribeTransactions \(id)") { () throws(KafkaClientError) -> TransactionDescription in
                let (coordinator, connection) = try transactionCoordinator(id)
                let version = try negotiatedVersion(.describeTransactions, on: connection, for: "describing transactions")
                let response = try connection.send(DescribeTransactionsRequest(transactionalIds: [id]), version: version).0
                guard let state = response.transactionStates.first(where: { $0.transactionalId == id }) else {
                    throw .connection(address: connection.address.description, reason: "DescribeTransactions answer does not mention \(id)")
                }
                guard state.errorCode == .none else { throw .broker(state.errorCode, context: "describe transaction \(id)") }
                let partitions = state.topics.flatMap { topic in topic.partitions.map { TopicPartition(topic: topic.topic, partition: $0) } }
                return TransactionDescription(
                    transactionalId: id, coordinatorId: coordinator, state: state.transactionState, producerId: state.producerId,
                    producerEpoch: state.producerEpoch, transactionTimeoutMs: state.transactionTimeoutMs,
                    transactionStartTimeMs: state.transactionStartTimeMs >= 0 ? state.transactionStartTimeMs : nil, partitions: partitions)
            }
            descriptions.append(description)
        }
        return descriptions
    }

    /// The producers active on each partition (DescribeProducers to each partition leader):
    /// their epochs, last sequences, and the first offset of an open transaction — which
    /// finds a "hanging" transaction that holds back the last stable offset.
    ///
    /// - Throws: `.unknownTopic` / `.unknownPartition`, `.unsupported` when a leader lacks
    ///   DescribeProducers, `.broker(code, ...)` for a partition the leader refuses.
    public func describeProducers(_ partitions: [TopicPartition]) throws(KafkaClientError) -> [TopicPartition: [ProducerStateDescription]] {
        var results: [TopicPartition: [ProducerStateDescription]] = [:]
        var pending = Set(partitions)
        if let negative = pending.first(where: { $0.partition < 0 }) {
            throw .unknownPartition(topic: negative.topic, partition: negative.partition)
        }
        try cluster.withRetries("DescribeProducers") { () throws(KafkaClientError) in
            guard !pending.isEmpty else { return }
            let leaders = try leadersOf(&pending, skippingUnknown: false, operation: "DescribeProducers")
            var failure = leaders.failure
            for (leader, group) in leaders.byLeader.sorted(by: { $0.key < $1.key }) {
                do throws(KafkaClientError) {
                    let connection = try cluster.connection(node: leader, purpose: Self.purpose)
                    let version = try negotiatedVersion(.describeProducers, on: connection, for: "describing producers")
                    let byTopic = Dictionary(grouping: group, by: \.topic)
                    let request = DescribeProducersRequest(topics: byTopic.keys.sorted().map { topic in
                        .init(name: topic, partitionIndexes: (byTopic[topic] ?? []).map(\.partition).sorted())
                    })
                    let response = try connection.send(request, version: version).0
                    for topic in response.topics {
                        for answer in topic.partitions {
                            let partition = TopicPartition(topic: topic.name, partition: answer.partitionIndex)
                            guard answer.errorCode == .none else {
                                failure = Self.worse(failure, .broker(answer.errorCode, context: Self.context("DescribeProducers \(partition) on broker \(leader)", answer.errorMessage)))
                                continue
                            }
                            results[partition] = answer.activeProducers.map { producer in
                                ProducerStateDescription(
                                    producerId: producer.producerId, producerEpoch: producer.producerEpoch, lastSequence: producer.lastSequence,
                                    lastTimestamp: producer.lastTimestamp, coordinatorEpoch: producer.coordinatorEpoch,
                                    currentTransactionStartOffset: producer.currentTxnStartOffset >= 0 ? producer.currentTxnStartOffset : nil)
                            }.sorted { $0.producerId < $1.producerId }
                            pending.remove(partition)
                        }
                    }
                } catch {
                    failure = Self.worse(failure, error)
                }
            }
            if let failure, !pending.isEmpty { throw failure }
        }
        return results
    }

    /// Aborts a hanging transaction on one partition by writing an abort marker for the
    /// producer (WriteTxnMarkers to the partition leader), as `kafka-transactions.sh abort`
    /// does. Take the producer id, epoch and coordinator epoch from ``describeProducers(_:)``.
    ///
    /// - Throws: `.unknownTopic` / `.unknownPartition`, `.unsupported` when the leader lacks
    ///   WriteTxnMarkers, `.broker(code, ...)` when it refuses the marker (e.g.
    ///   `.invalidProducerEpoch` for a stale epoch).
    public func abortTransaction(topic: String, partition: Int32, producerId: Int64, producerEpoch: Int16,
                                 coordinatorEpoch: Int32) throws(KafkaClientError) {
        let target = TopicPartition(topic: topic, partition: partition)
        guard partition >= 0 else { throw .unknownPartition(topic: topic, partition: partition) }
        guard producerId >= 0 else { throw .invalidArgument("the producer id must be >= 0, got \(producerId)") }
        try cluster.withRetries("WriteTxnMarkers \(target)") { () throws(KafkaClientError) in
            var pending: Set<TopicPartition> = [target]
            let leaders = try leadersOf(&pending, skippingUnknown: false, operation: "WriteTxnMarkers")
            if let failure = leaders.failure { throw failure }
            guard let leader = leaders.byLeader.keys.first else { throw .unknownPartition(topic: topic, partition: partition) }
            let connection = try cluster.connection(node: leader, purpose: Self.purpose)
            let version = try negotiatedVersion(.writeTxnMarkers, on: connection, for: "aborting a transaction")
            let request = WriteTxnMarkersRequest(markers: [.init(
                producerId: producerId, producerEpoch: producerEpoch, transactionResult: false,
                topics: [.init(name: topic, partitionIndexes: [partition])], coordinatorEpoch: coordinatorEpoch)])
            let response = try connection.send(request, version: version).0
            let answer = response.markers.first { $0.producerId == producerId }?.topics.first { $0.name == topic }?
                .partitions.first { $0.partitionIndex == partition }
            guard let answer else {
                throw .connection(address: connection.address.description, reason: "WriteTxnMarkers answer does not mention \(target)")
            }
            guard answer.errorCode == .none else {
                throw .broker(answer.errorCode, context: "abort the transaction of producer \(producerId) on \(target) (broker \(leader))")
            }
        }
    }

    /// The coordinator of a transactional id: its node id and the admin connection to it.
    private func transactionCoordinator(_ transactionalId: String) throws(KafkaClientError) -> (Int32, BrokerConnection) {
        let connection = try anyBroker()
        let response = try connection.send(FindCoordinatorRequest(key: transactionalId, keyType: KafkaCluster.transactionKeyType)).0
        guard response.errorCode == .none else {
            throw .broker(response.errorCode, context: Self.context("FindCoordinator for transactional id \(transactionalId)", response.errorMessage))
        }
        return (response.nodeId, try cluster.connection(node: response.nodeId, purpose: Self.purpose))
    }
}
