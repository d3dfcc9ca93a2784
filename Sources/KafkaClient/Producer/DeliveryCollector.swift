import Synchronization

/// Collects the delivery reports of a batch of records and reports them together, in order,
/// once the last one arrives. Thread-safety: `Sendable`; reports may come from any thread
/// (the sender thread, or the caller for rejected records).
final class DeliveryCollector: Sendable {
    private struct State {
        var results: [Result<RecordMetadata, KafkaClientError>?]
        var missing: Int
    }

    private let state: Mutex<State>
    private let done: @Sendable ([Result<RecordMetadata, KafkaClientError>]) -> Void

    /// Collects `count` reports and then calls `done` once with all of them.
    init(count: Int, done: @escaping @Sendable ([Result<RecordMetadata, KafkaClientError>]) -> Void) {
        state = Mutex(State(results: Array(repeating: nil, count: count), missing: count))
        self.done = done
    }

    /// Records the report of record `index` (a second report for the same index is ignored).
    func report(_ index: Int, _ result: Result<RecordMetadata, KafkaClientError>) {
        let complete = state.withLock { state -> [Result<RecordMetadata, KafkaClientError>]? in
            guard state.results.indices.contains(index), state.results[index] == nil else { return nil }
            state.results[index] = result
            state.missing -= 1
            guard state.missing == 0 else { return nil }
            return state.results.compactMap { $0 }
        }
        if let complete { done(complete) }
    }
}
