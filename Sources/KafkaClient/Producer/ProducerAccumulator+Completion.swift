internal import KafkaProtocol
internal import KafkaRecords
internal import Synchronization

/// Completion handling of `ProducerAccumulator` (sender thread): applying request outcomes,
/// retries, sequence recovery and delivery in queue order. State, locking and invariants are
/// documented on the type.
extension ProducerAccumulator {
    /// Applies the outcome of one drained request to `node` (which no longer counts as in
    /// flight): delivered batches get their offsets; retriable
    /// failures back off (or fail once out of retries or past the deadline); other failures fail
    /// the batch — and for a broken sequence every later batch of the partition too. Any
    /// outcome but success puts the partition into recovery mode. Batches reach their callbacks
    /// in queue order (a batch answered before an earlier one waits for it).
    func complete(_ outcomes: [(batch: DrainedBatch, outcome: ProducerBatchOutcome)], node: Int32, now: UInt64) -> [ProducerDeliveryReport] {
        state.withLock { state in
            let left = state.requestsInFlight[node, default: 1] - 1
            state.requestsInFlight[node] = left > 0 ? left : nil
            var reports: [ProducerDeliveryReport] = []
            for (drained, outcome) in outcomes {
                let key = drained.partition
                guard var queue = state.queues.removeValue(forKey: key) else { continue }
                defer { state.queues[key] = queue }
                // Gone already (failed with a broken sequence, or failed when stopping): nothing to do.
                guard let index = queue.batches.firstIndex(where: { $0.id == drained.id }), queue.batches[index].inFlight else { continue }
                queue.batches[index].inFlight = false
                queue.inFlight -= 1
                switch outcome {
                case .delivered(let baseOffset, let logAppendTimeMs):
                    let batch = queue.batches[index]
                    if state.idempotent, batch.baseSequence >= 0, batch.encodedProducerId == state.producerId,
                       batch.encodedProducerEpoch == state.producerEpoch {
                        queue.ackedSequence = Self.sequence(batch.baseSequence, advancedBy: batch.count)
                        queue.confirmed = true
                    }
                    queue.batches[index].resolution = .success((baseOffset, logAppendTimeMs))
                case .retriable(let error, let mayHaveBeenAppended, let refreshMetadata):
                    if refreshMetadata { state.stale.insert(key.topic) }
                    queue.recovering = true
                    retryOrFail(&queue, index, error, mayHaveBeenAppended: mayHaveBeenAppended, now: now, &state)
                case .failed(let error):
                    queue.recovering = true
                    resolveFailure(&queue, index, error, &state)
                case .sequenceBroken(let error):
                    queue.recovering = true
                    if Self.code(of: error) == .outOfOrderSequenceNumber, isBehindAcknowledged(queue.batches[index], queue, state) {
                        // Later sequences were acknowledged, so the broker holds this batch; it
                        // no longer remembers where (past its window of five): offset unknown,
                        // as for DUPLICATE_SEQUENCE_NUMBER.
                        queue.batches[index].resolution = .success((-1, -1))
                    } else if Self.code(of: error) == .outOfOrderSequenceNumber, isConsequence(queue.batches[index], queue, state) {
                        // An earlier batch failed or is being retried: retry this one after it,
                        // as if nothing happened (no attempt counted, the error not kept).
                        queue.batches[index].retryAtNanos = now
                    } else {
                        breakSequence(&queue, index, error, &state)
                    }
                case .producerIdUnknown(let error):
                    state.producerIdStale = true
                    queue.recovering = true
                    retryOrFail(&queue, index, error, mayHaveBeenAppended: false, now: now, &state)
                case .notSent:
                    queue.recovering = true
                    queue.batches[index].retryAtNanos = now
                }
                popResolved(&queue, into: &reports)
            }
            return reports
        }
    }

    // MARK: helpers (lock held)

    /// Counts a failed attempt of batch `index`: schedules a retry, or fails it when out of
    /// retries or past its deadline.
    func retryOrFail(_ queue: inout Queue, _ index: Int, _ error: KafkaClientError, mayHaveBeenAppended: Bool, now: UInt64,
                             _ state: inout State) {
        queue.batches[index].attempts += 1
        queue.batches[index].lastError = error
        if mayHaveBeenAppended { queue.batches[index].mayHaveBeenAppended = true }
        let batch = queue.batches[index]
        if settings.retry.allowsRetry(after: batch.attempts) && now < batch.deadlineNanos {
            queue.batches[index].retryAtNanos = now &+ settings.retry.backoffNanos(attempt: batch.attempts)
        } else {
            resolveFailure(&queue, index, error, &state)
        }
    }

    /// Fails batch `index` (reported once it reaches the head). An idempotent batch the broker
    /// may hold forces a new producer id; one it definitely rejected gives its sequence numbers
    /// back — recovery mode re-numbers the batches after it.
    func resolveFailure(_ queue: inout Queue, _ index: Int, _ error: KafkaClientError, _ state: inout State) {
        queue.batches[index].resolution = .failure(error)
        let batch = queue.batches[index]
        if batch.isEncoded { queue.recovering = true }
        if state.idempotent, batch.baseSequence >= 0, batch.mayHaveBeenAppended { state.producerIdStale = true }
    }

    /// A real sequence error (or a fenced or stale epoch) for batch `index`: it fails, every
    /// later unresolved batch of the partition fails too (rather than being stored out of
    /// order), and the producer gets a new producer id.
    func breakSequence(_ queue: inout Queue, _ index: Int, _ error: KafkaClientError, _ state: inout State) {
        let partition = queue.batches[index].partition
        queue.batches[index].resolution = .failure(error)
        let detail = KafkaClientError.broker(Self.code(of: error) ?? .outOfOrderSequenceNumber,
                                             context: "produce to \(partition): an earlier batch of the partition failed with a sequence error, so this one was failed to keep order")
        for later in (index + 1)..<queue.batches.count where queue.batches[later].resolution == nil {
            if queue.batches[later].inFlight {
                queue.batches[later].inFlight = false
                queue.inFlight -= 1
            }
            queue.batches[later].resolution = .failure(detail)
        }
        state.producerIdStale = true
    }

    /// Whether the broker acknowledged sequences after `batch`'s (under its producer id, once
    /// the partition is confirmed) — which it only does if it holds `batch`, since it refuses
    /// gaps. Happens when `batch`'s answer was lost and later batches got through.
    func isBehindAcknowledged(_ batch: ProducerBatch, _ queue: Queue, _ state: State) -> Bool {
        guard state.idempotent, queue.confirmed, batch.isEncoded, batch.baseSequence >= 0,
              batch.encodedProducerId == state.producerId, batch.encodedProducerEpoch == state.producerEpoch else { return false }
        // Distance from the batch's base to the acknowledged end, modulo the sequence space.
        let space = Int64(Int32.max) + 1
        let distance = ((Int64(queue.ackedSequence) - Int64(batch.baseSequence)) % space + space) % space
        return distance >= Int64(batch.count) && distance < space / 2
    }

    /// Whether an OUT_OF_ORDER_SEQUENCE_NUMBER for `batch` is only the consequence of an
    /// earlier failure: it is not the batch the broker expects next under the current producer id.
    func isConsequence(_ batch: ProducerBatch, _ queue: Queue, _ state: State) -> Bool {
        guard state.idempotent, batch.baseSequence >= 0 else { return false }
        return batch.encodedProducerId != state.producerId || batch.encodedProducerEpoch != state.producerEpoch
            || batch.baseSequence != queue.ackedSequence
    }

    /// Reports and removes the resolved batches at the head of `queue`; an empty queue with
    /// nothing in flight leaves recovery mode.
    func popResolved(_ queue: inout Queue, into reports: inout [ProducerDeliveryReport]) {
        while let head = queue.batches.first, !head.inFlight, let resolution = head.resolution {
            queue.batches.removeFirst()
            Self.report(head, resolution, into: &reports)
        }
        if queue.batches.isEmpty && queue.inFlight == 0 && queue.recovering {
            queue.recovering = false
            queue.nextSequence = queue.ackedSequence
        }
    }

    /// Appends the reports of every record of `batch`: its offset and timestamp (the batch's
    /// LogAppendTime, or the record's own CreateTime), or the failure.
    static func report(_ batch: ProducerBatch, _ resolution: ProducerBatch.Resolution, into reports: inout [ProducerDeliveryReport]) {
        reports.reserveCapacity(reports.count + batch.records.count)
        switch resolution {
        case .success(let answer):
            let partition = batch.partition
            for (index, record) in batch.records.enumerated() {
                let metadata = RecordMetadata(topic: partition.topic, partition: partition.partition,
                                              offset: answer.baseOffset >= 0 ? answer.baseOffset + Int64(index) : -1,
                                              timestamp: answer.logAppendTimeMs >= 0 ? answer.logAppendTimeMs : record.timestamp)
                reports.append(ProducerDeliveryReport(callback: record.callback, result: .success(metadata), flushEpoch: record.flushEpoch))
            }
        case .failure(let error):
            for record in batch.records {
                reports.append(ProducerDeliveryReport(callback: record.callback, result: .failure(error), flushEpoch: record.flushEpoch))
            }
        }
    }

    static func code(of error: KafkaClientError) -> ErrorCode? {
        if case .broker(let code, _) = error { return code }
        return nil
    }

    /// `sequence + count`, wrapping past `Int32.max` to 0 as Kafka does.
    static func sequence(_ sequence: Int32, advancedBy count: Int) -> Int32 {
        let sum = Int64(sequence) + Int64(count)
        return Int32(truncatingIfNeeded: sum > Int64(Int32.max) ? sum - Int64(Int32.max) - 1 : sum)
    }
}
