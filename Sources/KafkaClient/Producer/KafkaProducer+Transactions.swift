import KafkaProtocol

/// What a transactional producer and its sender share: the state machine and the client of the
/// transaction coordinator. A value holding thread-safe parts.
struct ProducerTransactions: Sendable {
    /// The state machine.
    let manager: TransactionManager
    /// The transaction coordinator of the transactional id.
    let coordinator: TransactionCoordinatorClient

    /// Applies a coordinator's refusal to the state: fencing and fatal codes make the producer
    /// unusable, abortable ones the transaction abortable.
    func fail(_ refusal: KafkaClientError) {
        switch refusal {
        case .producerFenced, .transactionAbortable: manager.fail(refusal)
        case .closed: break
        default: manager.failFatally(refusal)
        }
    }
}

/// Transactions (KIP-98, KIP-447; transactions version 1) on a producer created with
/// `ProducerConfig.transactionalId`:
///
/// ```swift
/// try producer.initTransactions()
/// try producer.beginTransaction()
/// producer.send(record) { _ in }                       // any number, any partitions
/// try producer.sendOffsetsToTransaction(offsets, groupMetadata: consumer.groupMetadata!)
/// try producer.commitTransaction()                     // or abortTransaction()
/// ```
///
/// Each partition is added to the transaction (AddPartitionsToTxn) by the sender thread before
/// its first batch goes out; batches carry the transactional attribute and the Produce request
/// the transactional id. Errors:
/// - ``KafkaClientError/producerFenced(_:)``: another producer with the same transactional id
///   took over (PRODUCER_FENCED, INVALID_PRODUCER_EPOCH), or the coordinator refused for good;
///   every later call throws it — close the producer.
/// - ``KafkaClientError/transactionAbortable(_:)``: a record failed or a request was refused;
///   call `abortTransaction()`, then begin a new transaction.
/// - ``KafkaClientError/illegalState(_:)``: the call does not fit the transaction state.
/// - `timedOut`: retriable failures outlasted `ProducerConfig.maxBlockMs`; call it again.
/// CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR and
/// COORDINATOR_NOT_AVAILABLE are retried inside each call.
///
/// The calls block (at most about `maxBlockMs`) and must not run inside a delivery callback.
extension KafkaProducer {
    /// The transaction state (nil for a producer without `transactionalId`).
    public var transactionState: TransactionState? { transactions?.manager.phase }

    /// Registers the transactional id with its coordinator (InitProducerId): gets the producer
    /// id and a new epoch, which fences any earlier producer with the same id, and lets the
    /// coordinator finish (abort) a transaction that producer left open. Call once, before
    /// the first `beginTransaction()`; after a timeout it may be called again.
    public func initTransactions() throws(KafkaClientError) {
        let transactions = try requireTransactional("initTransactions")
        try transactions.manager.beginInit()
        let identity = try initProducerId(transactions, current: (-1, -1), operation: "initTransactions")
        accumulator.setTransactionalProducerId(identity.producerId, epoch: identity.producerEpoch, now: clock.monotonicNanos())
        transactions.manager.initialized(producerId: identity.producerId, producerEpoch: identity.producerEpoch)
    }

    /// Opens a transaction: records sent from now on belong to it until `commitTransaction()`
    /// or `abortTransaction()`. Local only (the coordinator hears of it with the first
    /// partition or offsets).
    public func beginTransaction() throws(KafkaClientError) {
        try requireTransactional("beginTransaction").manager.begin()
    }

    /// Adds a consumer's positions to the transaction (AddOffsetsToTxn to the transaction
    /// coordinator, then TxnOffsetCommit to the group coordinator): they become the group's
    /// committed offsets only if the transaction commits. `offsets` are the next offsets to
    /// read (the last processed offset + 1). `groupMetadata` from `KafkaConsumer.groupMetadata`
    /// lets the coordinator reject a member fenced by a rebalance (an abortable error).
    public func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], groupMetadata: ConsumerGroupMetadata) throws(KafkaClientError) {
        let transactions = try requireTransactional("sendOffsetsToTransaction")
        try transactions.manager.requireOpenTransaction("sendOffsetsToTransaction")
        guard !groupMetadata.groupId.isEmpty else { throw .invalidArgument("sendOffsetsToTransaction needs a group id") }
        guard !offsets.isEmpty else { return }
        let manager = transactions.manager
        let (producerId, producerEpoch) = manager.identity
        let deadline = blockDeadline()
        let add = AddOffsetsToTxnRequest(transactionalId: manager.transactionalId, producerId: producerId, producerEpoch: producerEpoch,
                                         groupId: groupMetadata.groupId)
        try coordinatorCall(transactions, "AddOffsetsToTxn for group \(groupMetadata.groupId)") { () throws(TransactionCoordinatorClient.Failure) in
            try transactions.coordinator.run("AddOffsetsToTxn for group \(groupMetadata.groupId)", request: .addOffsets, deadlineNanos: deadline) { connection throws(KafkaClientError) in
                let response = try connection.send(add).0
                return response.errorCode == .none ? .done(()) : .failed(response.errorCode, "")
            }
        }
        manager.offsetsWereAdded()

        let byTopic = Dictionary(grouping: offsets.keys, by: \.topic)
        let commit = TxnOffsetCommitRequest(
            transactionalId: manager.transactionalId, groupId: groupMetadata.groupId, producerId: producerId, producerEpoch: producerEpoch,
            generationId: groupMetadata.generationId, memberId: groupMetadata.memberId, groupInstanceId: groupMetadata.groupInstanceId,
            topics: byTopic.keys.sorted().map { topic in
                TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic(name: topic, partitions: (byTopic[topic] ?? []).sorted().map { partition in
                    TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition(partitionIndex: partition.partition, committedOffset: offsets[partition] ?? -1,
                                                                           committedLeaderEpoch: -1, committedMetadata: "")
                })
            })
        let group = TransactionCoordinatorClient(cluster: cluster, key: groupMetadata.groupId, keyType: FindCoordinatorRequest.groupKeyType,
                                                 retry: ProducerRetryPolicy(config))
        try coordinatorCall(transactions, "TxnOffsetCommit for group \(groupMetadata.groupId)") { () throws(TransactionCoordinatorClient.Failure) in
            try group.run("TxnOffsetCommit for group \(groupMetadata.groupId)", request: .txnOffsetCommit, deadlineNanos: deadline) { connection throws(KafkaClientError) -> TransactionCoordinatorClient.Attempt<Void> in
                let response = try connection.send(commit).0
                for topic in response.topics {
                    for partition in topic.partitions where partition.errorCode != .none {
                        return .failed(partition.errorCode, "\(topic.name)-\(partition.partitionIndex)")
                    }
                }
                return .done(())
            }
        }
    }

    /// ``sendOffsetsToTransaction(_:groupMetadata:)`` for a group whose member and generation
    /// are not checked (a consumer without group management, or a simple offset hand-over).
    public func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], groupId: String) throws(KafkaClientError) {
        try sendOffsetsToTransaction(offsets, groupMetadata: ConsumerGroupMetadata(groupId: groupId))
    }

    /// Commits the open transaction: sends and waits for every buffered record first (a record
    /// that failed makes the transaction abortable and this call throws it), then EndTxn
    /// (commit). After a timeout it may be called again.
    public func commitTransaction() throws(KafkaClientError) {
        let transactions = try requireTransactional("commitTransaction")
        try requireNotOnSenderThread("commitTransaction")
        try transactions.manager.beginCommit()
        sender.wake()
        try flush(timeoutMs: producerConfig.maxBlockMs)
        if let error = transactions.manager.errorAfterFlush() { throw error }
        if transactions.manager.transactionStarted { try endTransaction(transactions, commit: true) }
        transactions.manager.completed()
    }

    /// Aborts the open transaction: the records not sent yet fail (with
    /// ``KafkaClientError/transactionAbortable(_:)``), those in flight are waited for, then
    /// EndTxn (abort) — the coordinator writes abort markers, so read_committed consumers never
    /// see the transaction's records. When a partition's sequence broke, the producer also gets
    /// a new epoch (InitProducerId) before the next transaction. After a timeout it may be
    /// called again.
    public func abortTransaction() throws(KafkaClientError) {
        let transactions = try requireTransactional("abortTransaction")
        try requireNotOnSenderThread("abortTransaction")
        try transactions.manager.beginAbort()
        sender.wake()
        let deadline = blockDeadline()
        while !accumulator.isIdle {
            let seen = sender.progress.generation
            let now = clock.monotonicNanos()
            guard now < deadline else {
                throw .timedOut(operation: "abortTransaction (waiting for records in flight)", milliseconds: producerConfig.maxBlockMs)
            }
            if accumulator.isIdle { break }
            sender.wake()
            sender.progress.wait(after: seen, timeoutNanos: min(deadline - now, 100_000_000))
        }
        if let fatal = transactions.manager.errorAfterFlush(), case .producerFenced = fatal { throw fatal }
        if transactions.manager.transactionStarted { try endTransaction(transactions, commit: false) }
        if accumulator.producerIdIsStale {
            let identity = try initProducerId(transactions, current: transactions.manager.identity, operation: "abortTransaction (new epoch)")
            accumulator.setTransactionalProducerId(identity.producerId, epoch: identity.producerEpoch, now: clock.monotonicNanos())
            transactions.manager.initialized(producerId: identity.producerId, producerEpoch: identity.producerEpoch)
        }
        transactions.manager.completed()
    }

    // MARK: internals

    /// Best effort from `close()`: an open transaction is aborted rather than left for the
    /// coordinator's timeout.
    func abortOpenTransactionBeforeClose() {
        guard let transactions, !sender.isCurrentThread else { return }
        switch transactions.manager.phase {
        case .inTransaction, .abortableError, .committing, .aborting:
            if transactions.manager.phase == .committing { transactions.manager.fail(.transactionAbortable("the producer was closed during the commit")) }
            try? abortTransaction()
        default:
            break
        }
    }

    private func requireTransactional(_ operation: String) throws(KafkaClientError) -> ProducerTransactions {
        guard let transactions else { throw .illegalState("\(operation) needs a transactional producer (ProducerConfig.transactionalId)") }
        return transactions
    }

    private func requireNotOnSenderThread(_ operation: String) throws(KafkaClientError) {
        guard !sender.isCurrentThread else {
            throw .invalidArgument("\(operation) cannot be called from a delivery callback (it would deadlock the sender thread)")
        }
    }

    private func blockDeadline() -> UInt64 {
        clock.monotonicNanos() &+ ProducerRetryPolicy.nanos(milliseconds: producerConfig.maxBlockMs)
    }

    /// Runs a coordinator exchange, applying a refusal to the state machine and turning an
    /// exhausted retry budget into `timedOut` (the state is kept, so the call can be repeated).
    private func coordinatorCall<T>(_ transactions: ProducerTransactions, _ operation: String,
                                    _ body: () throws(TransactionCoordinatorClient.Failure) -> T) throws(KafkaClientError) -> T {
        do {
            return try body()
        } catch {
            switch error {
            case .refused(let refusal):
                transactions.fail(refusal)
                throw transactions.manager.errorAfterFlush() ?? refusal
            case .exhausted(let last):
                throw .timedOut(operation: "\(operation) (last error: \(last))", milliseconds: producerConfig.maxBlockMs)
            }
        }
    }

    /// InitProducerId with the transactional id (and, to bump the epoch of a known producer id,
    /// KIP-360's `current` id and epoch on v3+).
    private func initProducerId(_ transactions: ProducerTransactions, current: (Int64, Int16), operation: String) throws(KafkaClientError) -> (producerId: Int64, producerEpoch: Int16) {
        let request = InitProducerIdRequest(transactionalId: transactions.manager.transactionalId,
                                            transactionTimeoutMs: Int32(clamping: producerConfig.transactionTimeoutMs),
                                            producerId: current.0, producerEpoch: current.1)
        let deadline = blockDeadline()
        return try coordinatorCall(transactions, operation) { () throws(TransactionCoordinatorClient.Failure) in
            try transactions.coordinator.run(operation, request: .initProducerId, deadlineNanos: deadline) { connection throws(KafkaClientError) -> TransactionCoordinatorClient.Attempt<(Int64, Int16)> in
                let response = try connection.send(request).0
                guard response.errorCode == .none else { return .failed(response.errorCode, "") }
                guard response.producerId >= 0 else { return .failed(.unknownServerError, "InitProducerId returned producer id \(response.producerId)") }
                return .done((response.producerId, response.producerEpoch))
            }
        }
    }

    /// EndTxn (commit or abort) with retries; fencing and refusals update the state.
    private func endTransaction(_ transactions: ProducerTransactions, commit: Bool) throws(KafkaClientError) {
        let manager = transactions.manager
        let (producerId, producerEpoch) = manager.identity
        let request = EndTxnRequest(transactionalId: manager.transactionalId, producerId: producerId, producerEpoch: producerEpoch, committed: commit)
        let operation = commit ? "commitTransaction (EndTxn commit)" : "abortTransaction (EndTxn abort)"
        let deadline = blockDeadline()
        try coordinatorCall(transactions, operation) { () throws(TransactionCoordinatorClient.Failure) in
            try transactions.coordinator.run(operation, request: .endTxn, deadlineNanos: deadline) { connection throws(KafkaClientError) in
                let response = try connection.send(request).0
                return response.errorCode == .none ? .done(()) : .failed(response.errorCode, "")
            }
        }
    }
}
