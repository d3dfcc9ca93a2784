extension ShareConsumer {
    /// The share consumer's records as an `AsyncSequence` (`records(pollTimeoutMs: 200)`):
    /// `for try await record in shareConsumer.records { ... }`. Subscribe first. See
    /// ``ShareRecords`` for acknowledgement, cancellation and release of unreceived records.
    public var records: ShareRecords { records() }

    /// The share consumer's records as an `AsyncSequence` (see ``ShareRecords``);
    /// `pollTimeoutMs` is the timeout of each blocking `poll` and bounds how long a stop waits.
    public func records(pollTimeoutMs: Int = 200) -> ShareRecords {
        let hooks = RecordPump<ShareRecord>.Hooks(
            poll: { [self] () throws(KafkaClientError) -> [ShareRecord] in try poll(timeoutMs: pollTimeoutMs) },
            interrupt: {},
            locate: { ($0.topicPartition, $0.offset) },
            finish: { [self] _, unreceived, failure in finishIteration(unreceived: unreceived, failure: failure) })
        return ShareRecords(pump: RecordPump(capacity: max(1, config.maxPollRecords), pollWhenDrained: true, hooks: hooks))
    }

    /// The end of an async iteration (on its poll thread): releases what the loop never saw and
    /// sends the acknowledgements.
    private func finishIteration(unreceived: [ShareRecord], failure: KafkaClientError?) -> KafkaClientError? {
        if failure == .closed || state.withLock({ $0.closed }) { return nil }
        for record in unreceived {
            try? acknowledge(record, type: .release)
        }
        do {
            let failures = try commitSync()
            return failures.min { $0.key < $1.key }?.value
        } catch {
            return error
        }
    }
}
