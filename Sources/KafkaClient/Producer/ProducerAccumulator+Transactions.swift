internal import KafkaProtocol
internal import Synchronization

/// What a transactional producer needs from `ProducerAccumulator` besides the idempotent
/// machinery: the partitions waiting to be added to the transaction, failing the unsent
/// batches when a transaction is aborted, and the producer id from `initTransactions()`.
/// State, locking and invariants are documented on the type.
extension ProducerAccumulator {
    /// Partitions with a batch not sent yet (not in flight, not resolved): those the
    /// transaction must include before the batch may go.
    func partitionsWithUnsentBatches() -> [ProducerPartition] {
        state.withLock { state in
            state.queues.compactMap { key, queue in
                queue.batches.contains { !$0.inFlight && $0.resolution == nil } ? key : nil
            }
        }
    }

    /// Fails, with `error`, every batch not in flight and not resolved, and every record still
    /// waiting for its topic's metadata (an aborted transaction). Batches in flight keep
    /// waiting for their answers. Returns the reports to deliver.
    func failUnsent(_ error: KafkaClientError) -> [ProducerDeliveryReport] {
        state.withLock { state in
            var reports: [ProducerDeliveryReport] = []
            for key in Array(state.queues.keys) {
                guard var queue = state.queues.removeValue(forKey: key) else { continue }
                for index in queue.batches.indices where !queue.batches[index].inFlight && queue.batches[index].resolution == nil {
                    queue.batches[index].isSealed = true
                    resolveFailure(&queue, index, error, &state)
                }
                popResolved(&queue, into: &reports)
                state.queues[key] = queue
            }
            for (_, records) in state.waiting {
                for waiting in records {
                    reports.append(ProducerDeliveryReport(callback: waiting.pending.callback, result: .failure(error), flushEpoch: waiting.pending.flushEpoch))
                }
            }
            state.waiting.removeAll()
            return reports
        }
    }

    /// Installs the producer id and epoch of a transactional producer (from InitProducerId with
    /// its transactional id): every partition starts again at sequence 0.
    func setTransactionalProducerId(_ producerId: Int64, epoch: Int16, now: UInt64) {
        _ = applyProducerId(.success((producerId, epoch)), now: now)
    }

    /// Whether the sequence of some partition broke (or a batch the broker may hold failed),
    /// so that the producer needs a new epoch before it can send again.
    var producerIdIsStale: Bool { state.withLock { $0.producerIdStale } }
}
