import KafkaProtocol
import Net
import SystemIO
import Synchronization

/// The producer's background thread (an OS thread from `SystemThread`, never Swift's
/// cooperative pool, since it may block on sockets).
///
/// Each turn of its loop: apply the answers that arrived, expire overdue records, fetch
/// metadata for topics that need it (unknown topics with auto-creation allowed, or topics whose
/// leaders moved), get a producer id when idempotent, then drain the ready batches into Produce
/// requests — one per leader broker per round, each carrying at most one batch per partition —
/// and submit them on the broker's connection without waiting, repeating until every broker has
/// `maxInFlight` requests outstanding or nothing is ready. Answers are decoded and classified on
/// the connection's reader thread and handed back through an inbox, so the next batches go out
/// while earlier ones are still with the broker. A transactional producer drains only the
/// partitions of the open transaction: before draining, the partitions with unsent batches that
/// are not in it yet are added with one AddPartitionsToTxn (retried on later turns after a
/// backoff), and when the transaction is being aborted (or must be) the unsent batches fail. With nothing to do it sleeps until the next
/// linger expiry, retry time or deadline, or until woken by `send`, `flush`, `close` or an answer.
///
/// Delivery callbacks run on this thread, in order per partition; a callback that blocks stalls
/// the producer, and one that calls the blocking `send`, `flush` or `close` of the same producer
/// would deadlock (those calls detect it, see ``isCurrentThread``).
///
/// Thread-safety: `wake`, `isCurrentThread`, `waitForExit` and the signals may be used from any
/// thread; everything else runs on the sender thread.
final class ProducerSender: Sendable {
    /// The id of the sender whose thread is running the current code (0 elsewhere).
    @TaskLocal static var currentSenderId: UInt64 = 0
    private static let nextId = Atomic<UInt64>(1)

    /// Unique per sender (the value of ``currentSenderId`` on its thread).
    let id: UInt64
    /// The producer's own cluster view and connections.
    let cluster: KafkaCluster
    /// The shared state it drains.
    let accumulator: ProducerAccumulator
    /// The acknowledgement level of every Produce request.
    let acks: ProducerConfig.Acks
    /// The monotonic clock for linger, backoff and deadlines.
    let clock = SystemTimeSource()
    /// Bumped to wake the sender (new batch, urgent record, flush, close).
    let wakeup = ConditionSignal()
    /// Bumped after delivery reports were delivered, and when the thread exits.
    let progress = ConditionSignal()
    private let running = Mutex(false)
    /// Answers of submitted Produce requests, filled by connection reader threads.
    private let answers = AnswerInbox()

    /// The outcome of one submitted Produce request: its broker and each batch's outcome.
    struct Answer: Sendable {
        let node: Int32
        let outcomes: [(batch: ProducerAccumulator.DrainedBatch, outcome: ProducerBatchOutcome)]
    }

    /// Answers waiting for the sender thread, in arrival order; putting one in wakes the sender.
    /// Thread-safe.
    final class AnswerInbox: Sendable {
        private let answers = Mutex<[Answer]>([])

        func put(_ answer: Answer, waking signal: ConditionSignal) {
            answers.withLock { $0.append(answer) }
            signal.signal()
        }

        func takeAll() -> [Answer] {
            answers.withLock { answers in
                defer { answers.removeAll(keepingCapacity: true) }
                return answers
            }
        }
    }

    /// The transaction state and coordinator of a transactional producer (nil otherwise).
    let transactions: ProducerTransactions?

    /// A sender that is not running yet (see ``start()``).
    init(cluster: KafkaCluster, accumulator: ProducerAccumulator, acks: ProducerConfig.Acks, transactions: ProducerTransactions? = nil) {
        id = Self.nextId.wrappingAdd(1, ordering: .relaxed).oldValue
        self.transactions = transactions
        self.cluster = cluster
        self.accumulator = accumulator
        self.acks = acks
    }

    /// Starts the thread.
    func start() throws(SystemError) {
        running.withLock { $0 = true }
        do {
            try SystemThread.spawn(name: "kafka-producer-sender") { [self] in run() }
        } catch {
            running.withLock { $0 = false }
            throw error
        }
    }

    /// Whether the calling code runs on this sender's thread (inside a delivery callback).
    var isCurrentThread: Bool { Self.currentSenderId == id }

    /// Wakes the thread to look at the queues again.
    func wake() { wakeup.signal() }

    /// Waits up to `timeoutNanos` for the thread to exit; returns whether it has.
    func waitForExit(timeoutNanos: UInt64) -> Bool {
        let deadline = clock.monotonicNanos() &+ timeoutNanos
        while true {
            let seen = progress.generation
            if !running.withLock({ $0 }) { return true }
            let now = clock.monotonicNanos()
            guard now < deadline else { return false }
            progress.wait(after: seen, timeoutNanos: deadline - now)
        }
    }

    // MARK: the loop

    private func run() {
        Self.$currentSenderId.withValue(id) { loop() }
        running.withLock { $0 = false }
        progress.signal()
    }

    private func loop() {
        // The connection per leader (KafkaCluster's pool lookup builds a key string each time).
        var connections: [Int32: BrokerConnection] = [:]
        while true {
            let seen = wakeup.generation
            if accumulator.isStopped {
                deliver(accumulator.failAll(.closed))
                return
            }
            var didWork = false
            for answer in answers.takeAll() {
                deliver(accumulator.complete(answer.outcomes, node: answer.node, now: clock.monotonicNanos()))
            }
            deliver(accumulator.expire(now: clock.monotonicNanos()))
            let topics = accumulator.topicsNeedingMetadata(now: clock.monotonicNanos())
            if !topics.isEmpty {
                let results = fetchMetadata(topics)
                deliver(accumulator.applyMetadata(results, now: clock.monotonicNanos()))
                didWork = true
            }
            if accumulator.producerIdNeeded(now: clock.monotonicNanos()) {
                let result = initProducerId()
                deliver(accumulator.applyProducerId(result, now: clock.monotonicNanos()))
                didWork = true
            }
            // A transactional producer sends only to partitions of the open transaction,
            // adding new ones first; an aborted (or doomed) transaction's unsent batches fail.
            var allowed: Set<ProducerPartition>?
            if let transactions {
                if transactions.manager.dropsUnsentBatches {
                    deliver(accumulator.failUnsent(transactions.manager.dropError))
                }
                let toAdd = transactions.manager.partitionsToAdd(accumulator.partitionsWithUnsentBatches(), now: clock.monotonicNanos())
                if !toAdd.isEmpty {
                    addPartitionsToTransaction(toAdd, transactions)
                    didWork = true
                }
                allowed = transactions.manager.addedPartitions
            }
            // Fill the pipeline: each round takes at most one batch per partition.
            while true {
                let requests = accumulator.drain(now: clock.monotonicNanos(), allowed: allowed)
                if requests.isEmpty { break }
                didWork = true
                for request in requests { submit(request, &connections) }
            }
            if !didWork {
                let now = clock.monotonicNanos()
                var next = accumulator.nextWakeup(now: now, allowed: allowed)
                if let retryAt = transactions?.manager.addRetryAtNanos, retryAt > 0 { next = min(next, retryAt) }
                // At least 1 ms, so that a state the loop cannot act on yet never spins.
                wakeup.wait(after: seen, timeoutNanos: max(next > now ? next - now : 0, 1_000_000))
            }
        }
    }

    /// Runs the callbacks, then counts them as done (so `flush` returns only after callbacks
    /// ran), waking the threads waiting for progress when that can matter to them.
    private func deliver(_ reports: [ProducerDeliveryReport]) {
        guard !reports.isEmpty else { return }
        for report in reports {
            if let transactions, case .failure(let error) = report.result { transactions.manager.batchFailed(error) }
            report.callback(report.result)
        }
        if accumulator.markDelivered(reports) { progress.signal() }
    }

    // MARK: requests

    /// Metadata for `topics` (auto-creation allowed, as the Java producer does), per topic:
    /// the topic, nil when the cluster does not know it, or the error.
    private func fetchMetadata(_ topics: [String]) -> [String: Result<KafkaCluster.TopicInfo?, KafkaClientError>] {
        let response: MetadataResponse
        do throws(KafkaClientError) {
            let connection = try cluster.bootstrapConnection(purpose: "producer")
            let request = MetadataRequest(topics: topics.map { MetadataRequest.Topic(name: $0) }, allowAutoTopicCreation: true)
            response = try connection.send(request).0
        } catch {
            return Dictionary(topics.map { ($0, .failure(error)) }, uniquingKeysWith: { first, _ in first })
        }
        var results: [String: Result<KafkaCluster.TopicInfo?, KafkaClientError>] = [:]
        for topic in response.topics {
            guard let name = topic.name else { continue }
            switch topic.errorCode {
            case .none:
                let count = (topic.partitions.map(\.partitionIndex).max() ?? -1) + 1
                guard count > 0 else {
                    results[name] = .failure(.broker(.leaderNotAvailable, context: "metadata for topic \(name): no partitions yet"))
                    continue
                }
                var leaders = [Int32](repeating: -1, count: Int(count))
                for partition in topic.partitions where partition.partitionIndex >= 0 {
                    leaders[Int(partition.partitionIndex)] = partition.leaderId
                }
                results[name] = .success(KafkaCluster.TopicInfo(name: name, id: topic.topicId, leaders: leaders))
            case .unknownTopicOrPartition:
                results[name] = .success(nil)
            default:
                results[name] = .failure(.broker(topic.errorCode, context: "metadata for topic \(name)"))
            }
        }
        for topic in topics where results[topic] == nil { results[topic] = .success(nil) }
        return results
    }

    /// A new idempotent producer id and epoch (InitProducerId without a transactional id).
    private func initProducerId() -> Result<(id: Int64, epoch: Int16), KafkaClientError> {
        do throws(KafkaClientError) {
            let connection = try cluster.bootstrapConnection(purpose: "producer")
            let response = try connection.send(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 60_000)).0
            guard response.errorCode == .none else { throw .broker(response.errorCode, context: "InitProducerId") }
            guard response.producerId >= 0 else { throw .broker(.unknownServerError, context: "InitProducerId returned producer id \(response.producerId)") }
            return .success((response.producerId, response.producerEpoch))
        } catch {
            return .failure(error)
        }
    }

    /// One AddPartitionsToTxn attempt for `partitions` (the client form, v0-3). Success adds
    /// them to the transaction; a retriable failure schedules the next attempt (soon after
    /// CONCURRENT_TRANSACTIONS: the coordinator is finishing the previous transaction); a
    /// refusal makes the transaction abortable, or the producer fenced.
    private func addPartitionsToTransaction(_ partitions: [ProducerPartition], _ transactions: ProducerTransactions) {
        let manager = transactions.manager
        let (producerId, producerEpoch) = manager.identity
        let byTopic = Dictionary(grouping: partitions, by: \.topic)
        let request = AddPartitionsToTxnRequest(
            v3AndBelowTransactionalId: manager.transactionalId, v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: producerEpoch,
            v3AndBelowTopics: byTopic.keys.sorted().map { topic in
                AddPartitionsToTxnRequest.AddPartitionsToTxnTopic(name: topic, partitions: (byTopic[topic] ?? []).map(\.partition).sorted())
            })
        do throws(TransactionCoordinatorClient.Failure) {
            try transactions.coordinator.run("AddPartitionsToTxn", request: .addPartitions, deadlineNanos: .max, maxAttempts: 1) { connection throws(KafkaClientError) -> TransactionCoordinatorClient.Attempt<Void> in
                let response = try connection.send(request).0
                if response.errorCode != .none { return .failed(response.errorCode, "") }
                var worst: (ErrorCode, String)?
                for topic in response.resultsByTopicV3AndBelow {
                    for result in topic.resultsByPartition where result.partitionErrorCode != .none {
                        // OPERATION_NOT_ATTEMPTED only accompanies the partition that failed.
                        if worst == nil || worst?.0 == .operationNotAttempted {
                            worst = (result.partitionErrorCode, "\(topic.name)-\(result.partitionIndex)")
                        }
                    }
                }
                if let worst { return .failed(worst.0, worst.1) }
                return .done(())
            }
            manager.partitionsWereAdded(partitions)
        } catch {
            switch error {
            case .exhausted(let last):
                var short = false
                if case .broker(let code, _) = last, case .retry(_, true) = TransactionErrorDisposition.of(code, in: .addPartitions) { short = true }
                let retry = ProducerRetryPolicy(cluster.config)
                let backoff = short ? min(retry.backoffNanos(attempt: 1), 20_000_000) : retry.backoffNanos(attempt: manager.addAttempts + 1)
                manager.addPartitionsBackOff(until: clock.monotonicNanos() &+ backoff)
            case .refused(let refusal):
                transactions.fail(refusal)
            }
        }
    }

    /// Submits one Produce request without waiting; its answer reaches the inbox (acks 0: the
    /// batches count as delivered once written). Each batch goes as its header plus its records
    /// buffer (see `BrokerConnection.submit`'s payloads), never assembled into one array.
    private func submit(_ request: ProducerAccumulator.NodeRequest, _ connections: inout [Int32: BrokerConnection]) {
        var byTopic: [String: [ProduceRequest.PartitionProduceData]] = [:]
        var payloads: [[[UInt8]]] = []
        for batch in request.batches {
            let wire = batch.wire
            let records: RecordsData
            if acks == .none {  // sendOneWay takes inline records only
                records = .inline(wire.header() + wire.records)
            } else {
                records = .external(token: payloads.count, length: wire.size)
                payloads.append([wire.header(), wire.records])
            }
            byTopic[batch.partition.topic, default: []].append(ProduceRequest.PartitionProduceData(index: batch.partition.partition, records: records))
        }
        let produce = ProduceRequest(
            transactionalId: transactions?.manager.transactionalId, acks: acks.rawValue, timeoutMs: Int32(clamping: cluster.config.requestTimeoutMs),
            topicData: byTopic.sorted { $0.key < $1.key }.map { ProduceRequest.TopicProduceData(name: $0.key, partitionData: $0.value) })
        let connection: BrokerConnection
        do throws(KafkaClientError) {
            if let known = connections[request.node] {
                connection = known
            } else {
                connection = try cluster.connection(node: request.node, purpose: "producer")
                connections[request.node] = connection
            }
            if acks == .none {
                try connection.sendOneWay(produce)
                deliver(accumulator.complete(request.batches.map { ($0, .delivered(baseOffset: -1, logAppendTimeMs: -1)) }, node: request.node, now: clock.monotonicNanos()))
                return
            }
        } catch {
            let outcome = ProducerBatchOutcome(requestError: error)
            deliver(accumulator.complete(request.batches.map { ($0, outcome) }, node: request.node, now: clock.monotonicNanos()))
            return
        }
        let batches = request.batches
        let node = request.node
        let address = connection.address
        let answers = answers
        let wakeup = wakeup
        // No new connection while earlier requests to the broker are unaccounted for: their
        // failures (the old connection broke) must be seen first, so that a partition's later
        // batches never overtake the retries of its earlier ones on another connection.
        let submitted = connection.submit(produce, reconnect: request.earlierInFlight == 0, payloads: payloads) { result in
            // Runs on the connection's reader thread (or here, if the request could not be written).
            answers.put(Answer(node: node, outcomes: Self.classify(result, batches, address: address)), waking: wakeup)
        }
        if !submitted {
            deliver(accumulator.complete(batches.map { ($0, .notSent) }, node: node, now: clock.monotonicNanos()))
        }
    }

    /// Each batch's outcome from a Produce answer (or the request's failure).
    private static func classify(_ result: Result<(ProduceResponse, Int16), KafkaClientError>, _ batches: [ProducerAccumulator.DrainedBatch],
                                 address: HostPort) -> [(batch: ProducerAccumulator.DrainedBatch, outcome: ProducerBatchOutcome)] {
        let response: ProduceResponse
        switch result {
        case .success(let answer):
            response = answer.0
        case .failure(let error):
            let outcome = ProducerBatchOutcome(requestError: error)
            return batches.map { ($0, outcome) }
        }
        var answers: [ProducerPartition: ProduceResponse.PartitionProduceResponse] = [:]
        for topic in response.responses {
            for answer in topic.partitionResponses { answers[ProducerPartition(topic: topic.name, partition: answer.index)] = answer }
        }
        return batches.map { batch in
            guard let answer = answers[batch.partition] else {
                let error = KafkaClientError.connection(address: address.description, reason: "the Produce response has no answer for \(batch.partition)")
                return (batch, .retriable(error, mayHaveBeenAppended: true, refreshMetadata: true))
            }
            return (batch, ProducerBatchOutcome(code: answer.errorCode, baseOffset: answer.baseOffset, logAppendTimeMs: answer.logAppendTimeMs,
                                                partition: batch.partition, message: answer.errorMessage))
        }
    }
}
