import KafkaProtocol
import SystemIO
import Synchronization

/// Sends a transactional producer's requests to a coordinator — the transaction coordinator of
/// its transactional id, or a group coordinator for TxnOffsetCommit — found with
/// FindCoordinator and remembered until an answer says it moved.
///
/// ``run(_:request:deadlineNanos:maxAttempts:_:)`` retries what
/// ``TransactionErrorDisposition`` calls retriable (CONCURRENT_TRANSACTIONS soon,
/// COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR and COORDINATOR_NOT_AVAILABLE after looking
/// the coordinator up again, broken connections) with the producer's backoff, and turns the
/// rest into the errors the application sees: ``KafkaClientError/producerFenced(_:)``,
/// ``KafkaClientError/transactionAbortable(_:)``, or `broker(code, ...)` for fatal refusals.
///
/// Thread-safety: any thread (the cached connection sits behind a `Mutex`).
final class TransactionCoordinatorClient: Sendable {
    /// The outcome of one attempt: done, or the error code to act on.
    enum Attempt<T> {
        case done(T)
        case failed(ErrorCode, String)
    }

    /// Why ``run(_:request:deadlineNanos:maxAttempts:_:)`` gave up.
    enum Failure: Error {
        /// The coordinator refused for good: ``KafkaClientError/producerFenced(_:)``,
        /// ``KafkaClientError/transactionAbortable(_:)``, or a fatal `broker(code, ...)`.
        case refused(KafkaClientError)
        /// Retriable failures outlasted the deadline or attempts; this is the last one. The
        /// operation may be called again.
        case exhausted(KafkaClientError)

        /// The error inside.
        var error: KafkaClientError {
            switch self {
            case .refused(let error), .exhausted(let error): error
            }
        }
    }

    private let cluster: KafkaCluster
    private let key: String
    private let keyType: Int8
    private let retry: ProducerRetryPolicy
    private let clock = SystemTimeSource()
    private let cached = Mutex<BrokerConnection?>(nil)

    /// A client for the coordinator of `key` (FindCoordinator `keyType`).
    init(cluster: KafkaCluster, key: String, keyType: Int8, retry: ProducerRetryPolicy) {
        self.cluster = cluster
        self.key = key
        self.keyType = keyType
        self.retry = retry
    }

    /// The coordinator's connection (FindCoordinator when not known).
    func connection() throws(KafkaClientError) -> BrokerConnection {
        if let known = cached.withLock({ $0 }) { return known }
        let found = try cluster.coordinator(key: key, keyType: keyType, purpose: "transactions")
        cached.withLock { $0 = found }
        return found
    }

    /// Forgets the coordinator (it moved, or its connection broke).
    func invalidate() {
        cached.withLock { $0 = nil }
    }

    /// Runs `attempt` against the coordinator until it is done, refused, or out of time
    /// (`deadlineNanos`, monotonic) or attempts (`maxAttempts`); see ``Failure``. Error codes
    /// are mapped by `request`'s ``TransactionErrorDisposition``.
    func run<T>(_ operation: String, request: TransactionErrorDisposition.Request, deadlineNanos: UInt64, maxAttempts: Int = .max,
                _ attempt: (BrokerConnection) throws(KafkaClientError) -> Attempt<T>) throws(Failure) -> T {
        var attempts = 0
        while true {
            attempts += 1
            let outcome: Attempt<T>
            do throws(KafkaClientError) {
                outcome = try attempt(try connection())
            } catch {
                if case .broker(let code, let context) = error {
                    outcome = .failed(code, context)  // FindCoordinator's refusal, or the attempt's
                } else if ProducerRetryPolicy.isRetriable(error) {
                    invalidate()
                    outcome = .failed(.networkException, "\(error)")
                } else {
                    throw .refused(error)
                }
            }
            let retryError: KafkaClientError
            var short = false
            switch outcome {
            case .done(let value):
                return value
            case .failed(let code, let context):
                let error = KafkaClientError.broker(code, context: "\(operation)\(context.isEmpty ? "" : " (\(context))")")
                switch TransactionErrorDisposition.of(code, in: request) {
                case .retry(let findCoordinator, let isShort):
                    if findCoordinator { invalidate() }
                    short = isShort
                    retryError = error
                case .fenced:
                    throw .refused(.producerFenced("\(operation): \(code.summary)"))
                case .abortable:
                    throw .refused(.transactionAbortable("\(operation): \(code.summary)\(context.isEmpty ? "" : " (\(context))")"))
                case .fatal:
                    throw .refused(error)
                }
            }
            let backoff = short ? min(retry.backoffNanos(attempt: 1), 20_000_000) : retry.backoffNanos(attempt: attempts)
            let now = clock.monotonicNanos()
            guard attempts < maxAttempts, now &+ backoff < deadlineNanos else { throw .exhausted(retryError) }
            KafkaCluster.sleep(milliseconds: Int(backoff / 1_000_000))
        }
    }
}
