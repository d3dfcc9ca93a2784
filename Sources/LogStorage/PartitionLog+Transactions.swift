internal import KafkaRecords

extension PartitionLog {
    /// Writes a transaction marker (KIP-98 WriteTxnMarkers / EndTxn) for `producerId`: one control
    /// batch (attributes transactional | control, base sequence -1, the producer's id and
    /// epoch) holding one control record (`TransactionMarker`: commit or abort, with
    /// `coordinatorEpoch`), timestamped `timestamp` or now. Returns its offset (base = last).
    ///
    /// The marker closes the producer's open transaction: the last stable offset moves past it
    /// once the marker is at or below the high watermark. An abort of an open transaction adds
    /// an entry to the active segment's `.txnindex` (`TransactionIndex`), which read_committed
    /// reads report. A marker for a producer without an open transaction is written all the same
    /// (as Kafka does) but indexes nothing. A marker may raise the producer's epoch (the
    /// producer's sequence state is then reset).
    ///
    /// Throws `invalidProducerEpoch` when `producerEpoch` is older than the producer's current
    /// epoch and `transactionCoordinatorFenced` when `coordinatorEpoch` is older than that of the
    /// producer's previous marker, writing nothing. Durability and `syncing` as for `append`.
    /// Thread-safe, serialised with appends by the partition lock.
    public func appendTransactionMarker(producerId: Int64, producerEpoch: Int16, commit: Bool, coordinatorEpoch: Int32,
                                        timestamp: Int64? = nil, syncing: Bool = true) throws(LogStorageError) -> AppendResult {
        let now = time.wallMillis()
        let marker = TransactionMarker(isCommit: commit, coordinatorEpoch: coordinatorEpoch)
        let stamp = timestamp ?? now
        let (result, mustSync) = try state.withLock { state throws(LogStorageError) -> (AppendResult, Bool) in
            try state.checkUsable()
            if let refusal = state.producers.checkMarker(producerId: producerId, epoch: producerEpoch, coordinatorEpoch: coordinatorEpoch) {
                throw refusal
            }
            var batches: ValidatedBatches
            do {
                batches = try ValidatedBatches(validating: marker.controlBatch(producerId: producerId, producerEpoch: producerEpoch,
                                                                               timestamp: stamp), allowControl: true)
            } catch {
                throw .invalidTxnState("transaction marker batch does not validate: \(error)")
            }
            let written = try write(&batches, to: &state, now: now)
            let offset = written.0.baseOffset
            let completed = state.producers.recordMarker(producerId: producerId, epoch: producerEpoch, marker: marker,
                                                         offset: offset, timestamp: batches.maxTimestamp)
            guard let completed else { return written }
            if state.config.durability == .always {
                state.unreplicatedTransactions.append((completed.firstOffset, offset))
            }
            if completed.isAborted {
                let entry = TransactionIndex.Entry(
                    producerId: producerId, firstOffset: completed.firstOffset, lastOffset: offset,
                    lastStableOffset: state.producers.firstOpenOffset(excluding: producerId) ?? offset + 1)
                do throws(LogStorageError) {
                    try state.active.txnIndex.append(entry, fileSystem)
                } catch {
                    // The marker is in the log but its index entry is not: only a recovery
                    // (which rebuilds the index) may serve read_committed reads again.
                    state.failure = error
                    throw error
                }
            }
            return written
        }
        return try finishAppend(result, mustSync: mustSync, syncing: syncing)
    }

    /// The producers the partition remembers (DescribeProducers), by producer id.
    public var activeProducers: [ActiveProducer] {
        state.withLock { state in
            state.producers.producers.sorted { $0.key < $1.key }.map { id, producer in
                ActiveProducer(producerId: id, producerEpoch: producer.epoch, lastSequence: producer.batches.last?.lastSequence ?? -1,
                               lastTimestamp: producer.lastTimestamp, coordinatorEpoch: producer.coordinatorEpoch,
                               currentTxnStartOffset: producer.currentTxnFirstOffset ?? -1)
            }
        }
    }

    /// Kafka's `collectAbortedTransactions`: the aborted transactions with a marker at or after
    /// `fetchOffset` and a first offset below `upperBound`, from the transaction indexes of the
    /// segments from `index` on, until an entry's last stable offset reaches `upperBound`.
    /// Call under the state lock.
    func abortedTransactions(_ state: inout State, from fetchOffset: Int64, upperBound: Int64,
                             startingAt index: Int) throws(LogStorageError) -> [AbortedTransaction] {
        var result: [AbortedTransaction] = []
        for segment in state.segments[index...] {
            let (found, complete) = TransactionIndex.collect(try segment.txnIndex.entries(fileSystem),
                                                             fetchOffset: fetchOffset, upperBound: upperBound)
            result += found.map { AbortedTransaction(producerId: $0.producerId, firstOffset: $0.firstOffset) }
            if complete { break }
        }
        return result
    }
}
