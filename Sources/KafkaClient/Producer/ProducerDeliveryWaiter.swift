import SystemIO
import Synchronization

/// A one-shot slot a thread can block on until a delivery report arrives (the blocking `send`).
/// Thread-safe.
final class ProducerDeliveryWaiter: Sendable {
    private let result = Mutex<Result<RecordMetadata, KafkaClientError>?>(nil)
    private let signal = ConditionSignal()

    /// Stores the report (the first one wins) and wakes the waiter.
    func fulfill(_ report: Result<RecordMetadata, KafkaClientError>) {
        result.withLock { if $0 == nil { $0 = report } }
        signal.signal()
    }

    /// Blocks until ``fulfill(_:)`` has been called and returns the report.
    func wait() -> Result<RecordMetadata, KafkaClientError> {
        while true {
            let seen = signal.generation
            if let report = result.withLock({ $0 }) { return report }
            signal.wait(after: seen, timeoutNanos: 1_000_000_000)
        }
    }
}
