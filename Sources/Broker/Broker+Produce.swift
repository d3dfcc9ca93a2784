import KafkaProtocol
import KafkaRecords
import LogStorage

extension Broker {
    /// Produce v0–9. v3+ carries exactly one magic-2 batch per partition; it is validated
    /// (length, magic, CRC, codec, size, the topic's produce rules) and appended with only its
    /// base offset rewritten. v0–2 (legacy message sets) are answered per partition with
    /// UNSUPPORTED_VERSION.
    ///
    /// Under `durability=always` (or `flush.messages`) the answer waits in the purgatory until
    /// the `SyncScheduler` has synced every partition it wrote (a retried batch too, if its
    /// first copy is not synced yet); a sync that fails answers KAFKA_STORAGE_ERROR for that
    /// partition, and `timeoutMs` passing first answers REQUEST_TIMED_OUT. acks=0 is never
    /// answered, but its syncs still happen.
    ///
    /// Authorization (Kafka's `handleProduceRequest`): transactional records need WRITE on the
    /// transactional id, else every partition answers TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
    /// each topic needs WRITE, else its partitions answer TOPIC_AUTHORIZATION_FAILED and the
    /// others proceed. Idempotent producing needs nothing more (KIP-679: WRITE on the topic
    /// implies it). Auto-creating a topic needs CREATE on the cluster or the topic. Without an
    /// authorizer transactional records without a transactional id keep their
    /// INVALID_TXN_STATE answer (with one, Kafka's TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
    func handleProduce(_ request: ProduceRequest, version: Int16, context: RequestContext, encode: @escaping Encoder) -> BrokerReply {
        let requestError: (ErrorCode, String)?
        if version < 3 {
            requestError = (.unsupportedVersion, "Produce v\(version) (legacy message format) is not supported")
        } else if ![-1, 0, 1].contains(request.acks) {
            requestError = (.invalidRequiredAcks, "acks must be -1, 0 or 1, got \(request.acks)")
        } else if authorizer != nil, Self.carriesTransactionalRecords(request),
                  !(request.transactionalId.map { isAuthorized(context, .write, .transactionalId, $0) } ?? false) {
            requestError = (.transactionalIdAuthorizationFailed, "Transactional Id authorization failed.")
        } else {
            requestError = nil
        }
        let writable = authorizedTopics(context, .write, request.topicData.map(\.name))
        var waits: [(log: PartitionLog, key: String, target: Int64, topic: Int, partition: Int)] = []
        var responses: [ProduceResponse.TopicProduceResponse] = []
        var traffic: [(topic: String, bytes: Int, records: Int)] = []
        for (topicIndex, topic) in request.topicData.enumerated() {
            let topicError = requestError ?? (writable.contains(topic.name) ? nil : (.topicAuthorizationFailed, "Topic authorization failed."))
            let lookup = topicError == nil
                ? self.topic(named: topic.name, autoCreate: config.autoCreateTopics && mayCreateTopic(context, topic.name)) : nil
            var partitions: [ProduceResponse.PartitionProduceResponse] = []
            var appended = (bytes: 0, records: 0)
            for (partitionIndex, partition) in topic.partitionData.enumerated() {
                let outcome = appendPartition(partition, topic: topic.name, lookup: lookup, requestError: topicError,
                                              acks: request.acks, version: version, transactionalId: request.transactionalId, appended: &appended)
                partitions.append(outcome.response)
                if let (log, target) = outcome.wait {
                    waits.append((log, Self.partitionKey(topic.name, partition.index), target, topicIndex, partitionIndex))
                }
            }
            responses.append(ProduceResponse.TopicProduceResponse(name: topic.name, partitionResponses: partitions))
            if appended.bytes > 0, metrics != nil { traffic.append((topic.name, appended.bytes, appended.records)) }
        }
        metrics?.topics.produced(traffic)
        let response = ProduceResponse(responses: responses, throttleTimeMs: 0)
        if waits.count == 1, request.acks != 0, let wait = waits.first {
            // One partition to sync: do it here, on this request's thread, when nobody else is
            // syncing it (no hand-off to a sync thread and back); otherwise it joins the queue.
            syncs.syncNowOrQueue(wait.log, key: wait.key, through: wait.target)
        } else {
            for wait in waits { syncs.request(wait.log, key: wait.key, through: wait.target) }
        }
        if request.acks == 0 { return .noResponse }
        guard !waits.isEmpty else { return encode(response, []) }
        let syncs = syncs
        let waiting = waits
        let deadline = time.monotonicNanos() &+ UInt64(max(0, request.timeoutMs)) * 1_000_000
        let operation = DelayedOperation(kind: .produce, keys: waits.map(\.key), deadline: deadline) { force in
            var answer = response
            for wait in waiting where wait.log.durableOffset < wait.target {
                var partition = answer.responses[wait.topic].partitionResponses[wait.partition]
                if let failure = syncs.failure(wait.key, covering: wait.target) ?? wait.log.failure {
                    partition.errorCode = .kafkaStorageError
                    partition.errorMessage = "the append could not be synced: \(failure)"
                } else if force {
                    partition.errorCode = .requestTimedOut
                    partition.errorMessage = "the append was not synced within the request's \(request.timeoutMs) ms"
                } else {
                    return nil
                }
                partition.baseOffset = -1
                answer.responses[wait.topic].partitionResponses[wait.partition] = partition
            }
            return encode(answer, [])
        }
        purgatory.watch(operation)
        return .pending(operation.pending)
    }

    /// Validates and appends one partition's batch; returns its answer and, when the answer must
    /// wait for a sync, the log and offset to sync through. Adds what it appended (not a
    /// duplicate) to `appended` (the topic's traffic metrics).
    private func appendPartition(_ partition: ProduceRequest.PartitionProduceData, topic: String, lookup: TopicLookup?,
                                 requestError: (ErrorCode, String)?, acks: Int16, version: Int16, transactionalId: String?,
                                 appended: inout (bytes: Int, records: Int))
        -> (response: ProduceResponse.PartitionProduceResponse, wait: (PartitionLog, Int64)?) {
        var response = ProduceResponse.PartitionProduceResponse(index: partition.index, baseOffset: -1)
        func fail(_ code: ErrorCode, _ message: String) -> (ProduceResponse.PartitionProduceResponse, (PartitionLog, Int64)?) {
            response.errorCode = code
            response.errorMessage = message
            return (response, nil)
        }
        if let (code, message) = requestError { return fail(code, message) }
        guard case .found = lookup else {
            if case .failed(let code, let message) = lookup { return fail(code, message) }
            return fail(.unknownTopicOrPartition, "unknown topic")
        }
        let log: PartitionLog
        do { log = try store.partition(topic, partition.index) } catch {
            return fail(.unknownTopicOrPartition, "\(error)")
        }
        let bytes = partition.records?.bytes ?? []
        let batches: ValidatedBatches
        do throws(RecordBatchError) {
            batches = try ValidatedBatches(validating: bytes, maxBatchSize: log.config.maxBatchBytes)
        } catch {
            let (code, message) = Self.produceError(for: error)
            return fail(code, message)
        }
        guard batches.batchCount == 1 else {
            return fail(.invalidRecord, "a produce request must carry exactly one record batch per partition, got \(batches.batchCount)")
        }
        if version < 7, batches.headers.contains(where: { $0.compression == .zstd }) {
            return fail(.unsupportedCompressionType, "zstd needs Produce v7 or later")
        }
        let logConfig = log.config
        if let refusal = ProduceRules.check(batches, config: logConfig, acks: acks, topic: topic,
                                            partition: partition.index, now: time.wallMillis()) {
            response.recordErrors = refusal.recordErrors
            response.logStartOffset = log.offsets.logStartOffset
            return fail(refusal.code, refusal.message)
        }
        let producerId = batches.headers.first?.producerId ?? -1
        let batchBytes = bytes.count
        let batchRecords = batches.headers.reduce(0) { $0 + Int($1.recordCount) }
        let transactional = batches.headers.first.map { ($0.isTransactional, $0.producerEpoch) }
        do throws(LogStorageError) {
            let result: AppendResult
            if let (isTransactional, epoch) = transactional, isTransactional {
                // Only into a transaction that holds this partition, and before its markers.
                guard let transactionalId else {
                    return fail(.invalidTxnState, "transactional records need the producer's transactional id in the request")
                }
                let admission = transactions.withAdmission(transactionalId: transactionalId, producerId: producerId, epoch: epoch,
                                                           partition: TransactionPartition(topic: topic, partition: partition.index)) {
                    () -> Result<AppendResult, LogStorageError> in
                    do throws(LogStorageError) { return .success(try log.append(batches, syncing: false)) } catch { return .failure(error) }
                }
                switch admission {
                case .refused(let error):
                    let (code, message) = Self.transactionalProduceError(error)
                    return fail(code, message)
                case .admitted(let appended):
                    result = try appended.get()
                }
            } else {
                result = try log.append(consume batches, syncing: false)
            }
            if !result.isDuplicate {
                appended.bytes += batchBytes
                appended.records += batchRecords
            }
            if result.isDuplicate {
                logger.debug("duplicate batch from producer \(producerId) on \(topic)-\(partition.index); answered with offset \(result.baseOffset)")
            } else if result.syncThrough == nil || logConfig.durability != .always {
                // Readers see it now (under `always`, only once synced: the sync notifies them).
                purgatory.notify(Self.partitionKey(topic, partition.index))
            }
            response.baseOffset = result.baseOffset
            response.logAppendTimeMs = logConfig.timestampType == .logAppendTime ? result.logAppendTime : -1
            response.logStartOffset = log.offsets.logStartOffset
            if let target = result.syncThrough { return (response, (log, target)) }
            // A retry of a batch whose first copy is not synced yet waits for that sync too.
            if result.isDuplicate && logConfig.durability == .always && log.durableOffset <= result.lastOffset {
                return (response, (log, result.lastOffset + 1))
            }
            return (response, nil)
        } catch {
            logger.warning("append to \(topic)-\(partition.index) failed: \(error)")
            return fail(errorCode(for: error), "\(error)")
        }
    }

    /// Whether a partition's batch is marked transactional (attributes bit 4 of a magic-2
    /// batch: attributes are bytes 21–22, magic byte 16), Kafka's `hasTransactionalRecords`.
    static func carriesTransactionalRecords(_ request: ProduceRequest) -> Bool {
        request.topicData.contains { topic in
            topic.partitionData.contains { partition in
                guard let bytes = partition.records?.bytes, bytes.count > 22, bytes[16] == 2 else { return false }
                return bytes[22] & 0x10 != 0
            }
        }
    }

    /// The Produce answer when the transaction coordinator refuses a transactional batch
    /// (Kafka's translation for clients before transactions version 2): fenced →
    /// INVALID_PRODUCER_EPOCH; partition not in the transaction → INVALID_TXN_STATE; the
    /// transaction being ended → NOT_ENOUGH_REPLICAS, which every client retries.
    static func transactionalProduceError(_ error: ErrorCode) -> (ErrorCode, String) {
        switch error {
        case .producerFenced:
            (.invalidProducerEpoch, "the producer was fenced by a newer one with the same transactional id")
        case .transactionAbortable, .invalidTxnState:
            (.invalidTxnState, "Partition was not added to the transaction")
        case .concurrentTransactions, .coordinatorNotAvailable:
            (.notEnoughReplicas, "Unable to verify the partition has been added to the transaction. Underlying error: \(error.summary)")
        default:
            (error, "the transaction coordinator refused the batch: \(error.summary)")
        }
    }

    /// The Kafka error for a batch that failed validation.
    static func produceError(for error: RecordBatchError) -> (ErrorCode, String) {
        switch error {
        case .crcMismatch: (.corruptMessage, "record batch CRC mismatch: \(error)")
        case .batchTooLarge: (.messageTooLarge, "\(error)")
        case .unsupportedMagic(let magic): (.invalidRecord, "record batch magic \(magic) is not supported (only 2)")
        case .controlBatchNotAllowed: (.invalidRecord, "control batches may not be produced")
        case .invalidCompression: (.unsupportedCompressionType, "\(error)")
        case .truncated, .invalidLength, .invalidLastOffsetDelta, .invalidRecordCount, .malformedRecord:
            (.corruptMessage, "malformed record batch: \(error)")
        }
    }
}
