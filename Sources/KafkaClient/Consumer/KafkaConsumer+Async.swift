extension KafkaConsumer {
    /// The consumer's records as an `AsyncSequence` with the default settings
    /// (`records(pollTimeoutMs: 200, bufferCapacity: 500)`):
    /// `for try await record in consumer.records { ... }`. Subscribe or assign first. See
    /// ``ConsumerRecords`` for the poll thread, backpressure, cancellation and commits.
    public var records: ConsumerRecords { records() }

    /// The consumer's records as an `AsyncSequence` (see ``ConsumerRecords``).
    ///
    /// - Parameters:
    ///   - pollTimeoutMs: the timeout of each blocking `poll` of the poll thread; it bounds how
    ///     long a stop waits for the current poll.
    ///   - bufferCapacity: the most records waiting between the poll thread and the loop (at
    ///     least 1).
    public func records(pollTimeoutMs: Int = 200, bufferCapacity: Int = 500) -> ConsumerRecords {
        let hooks = RecordPump<ConsumerRecord>.Hooks(
            poll: { [self] () throws(KafkaClientError) -> [ConsumerRecord] in try poll(timeoutMs: pollTimeoutMs) },
            interrupt: { [self] in wakeup() },
            locate: { ($0.topicPartition, $0.offset) },
            finish: { [self] received, unreceived, failure in finishIteration(received: received, unreceived: unreceived, failure: failure) })
        return ConsumerRecords(pump: RecordPump(capacity: bufferCapacity, pollWhenDrained: false, hooks: hooks))
    }

    /// The end of an async iteration (on its poll thread): rewinds past unreceived records and,
    /// with a group and without auto-commit, commits what the loop received.
    private func finishIteration(received: [TopicPartition: Int64], unreceived: [ConsumerRecord],
                                 failure: KafkaClientError?) -> KafkaClientError? {
        if failure == .closed || state.withLock({ $0.closed }) { return nil }
        var rewind: [TopicPartition: Int64] = [:]
        for record in unreceived {
            rewind[record.topicPartition] = min(rewind[record.topicPartition] ?? record.offset, record.offset)
        }
        for (partition, offset) in rewind.sorted(by: { $0.key < $1.key }) {
            try? seek(partition, to: offset)
        }
        guard group != nil, !config.enableAutoCommit, !received.isEmpty else { return nil }
        do {
            try commitSync(received)
        } catch {
            return error
        }
        return nil
    }
}
