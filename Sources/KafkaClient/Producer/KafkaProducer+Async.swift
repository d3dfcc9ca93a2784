extension KafkaProducer {
    /// Sends `record` and awaits its delivery report without blocking a thread (built on
    /// ``send(_:completion:)``; the record waits up to `lingerMs` to share a batch).
    ///
    /// - Returns: where the record was stored.
    /// - Throws: the record's `KafkaClientError` (e.g. `.closed` after `close()`,
    ///   `.timedOut` after `deliveryTimeoutMs`), or `CancellationError` when the awaiting task
    ///   is cancelled — the await ends at once, but a record already handed to the producer may
    ///   still be delivered (Kafka cannot take it back). A task cancelled before the call sends
    ///   nothing.
    ///
    /// When the producer's buffer is full (`maxBufferedRecords`), the record is handed over from
    /// the shared worker pool instead of the calling thread, so the task does not block a
    /// cooperative thread while waiting for space. Thread-safety: any task, concurrently.
    public func send(_ record: ProducerRecord) async throws -> RecordMetadata {
        let results = try await sendSettled([record])
        guard let first = results.first else { throw KafkaClientError.invalidArgument("no delivery report for the record") }
        return try first.get()
    }

    /// Sends all `records` at once (they share batches) and awaits every delivery report.
    ///
    /// - Returns: the metadata of each record, in the order of `records`.
    /// - Throws: after **all** records have settled, the error of the first failed record (in
    ///   the order of `records`); use ``sendSettled(_:)`` to see each record's outcome.
    ///   `CancellationError` when the awaiting task is cancelled (records already handed over
    ///   may still be delivered).
    public func send(_ records: [ProducerRecord]) async throws -> [RecordMetadata] {
        var metadata: [RecordMetadata] = []
        metadata.reserveCapacity(records.count)
        for result in try await sendSettled(records) {
            metadata.append(try result.get())
        }
        return metadata
    }

    /// Sends all `records` at once and awaits every delivery report, returning each record's
    /// outcome in the order of `records` (never throwing a record's error).
    ///
    /// - Throws: only `CancellationError` when the awaiting task is cancelled (the await ends at
    ///   once; records already handed over may still be delivered).
    public func sendSettled(_ records: [ProducerRecord]) async throws -> [Result<RecordMetadata, KafkaClientError>] {
        guard !records.isEmpty else { return [] }
        return try await AsyncOneShot<[Result<RecordMetadata, KafkaClientError>]>.run { shot in
            let collector = DeliveryCollector(count: records.count) { shot.resolve(.success($0)) }
            let handOver: @Sendable () -> Void = { [self] in
                for (index, record) in records.enumerated() {
                    guard !shot.isResolved else {
                        // Cancelled meanwhile: records not handed over yet are not sent.
                        collector.report(index, .failure(.invalidArgument("not sent: the awaiting task was cancelled")))
                        continue
                    }
                    send(record) { collector.report(index, $0) }
                }
            }
            let bufferFull = accumulator.outstandingCount + records.count > producerConfig.maxBufferedRecords
            if !bufferFull || !AsyncWorkers.submit(handOver) { handOver() }
        }
    }

    /// Awaits ``flush(timeoutMs:)`` on the shared worker pool (the calling thread never blocks).
    ///
    /// Throws its `KafkaClientError` (`.timedOut`), or `CancellationError` when the awaiting task
    /// is cancelled: the await ends at once while the flush itself continues in the background
    /// until its records have settled or `timeoutMs` has passed.
    public func flush(timeoutMs: Int? = nil) async throws {
        try await AsyncWorkers.run { [self] () throws(KafkaClientError) in try flush(timeoutMs: timeoutMs) }
    }
}
