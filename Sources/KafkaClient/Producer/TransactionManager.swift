import KafkaProtocol
import Synchronization

/// Where a transactional producer stands (the states of Kafka's Java `TransactionManager`,
/// transactions version 1).
///
/// ```
/// uninitialized → initializing → ready → inTransaction → committing → ready
///                                          ↓        ↓          ↓
///                                    abortableError → aborting → ready
/// any state → fatalError (fenced, or refused for good)
/// ``` A value type; `Sendable`.
public enum TransactionState: String, Sendable, Equatable, CustomStringConvertible {
    /// `initTransactions()` has not succeeded yet.
    case uninitialized
    /// `initTransactions()` is running (or timed out and may be called again).
    case initializing
    /// No transaction is open; `beginTransaction()` may be called.
    case ready
    /// A transaction is open: records may be sent and offsets added.
    case inTransaction
    /// `commitTransaction()` is running (or timed out and may be called again).
    case committing
    /// `abortTransaction()` is running (or timed out and may be called again).
    case aborting
    /// Something failed inside the transaction; only `abortTransaction()` helps.
    case abortableError
    /// The producer is unusable (fenced, or refused for good); only `close()` helps.
    case fatalError

    /// The state's name, e.g. `inTransaction`.
    public var description: String { rawValue }
}

/// What a transactional request's error code means for the producer (Java's
/// `TransactionManager` handlers, transactions version 1). A plain value.
enum TransactionErrorDisposition: Equatable, Sendable {
    /// Try again after a backoff; `findCoordinator`: look the coordinator up again first;
    /// `short`: the coordinator is only finishing the previous transaction (CONCURRENT_TRANSACTIONS),
    /// so retry soon.
    case retry(findCoordinator: Bool, short: Bool)
    /// Another producer with the same transactional id took over: fatal.
    case fenced
    /// The transaction must be aborted; the producer stays usable.
    case abortable
    /// The producer is unusable.
    case fatal

    /// The transactional request an error came from (their handlers differ in a few codes).
    enum Request: Sendable {
        case initProducerId, addPartitions, addOffsets, txnOffsetCommit, endTxn, produce
    }

    /// The disposition of `code` answered to `request` (`code` is not `.none`).
    static func of(_ code: ErrorCode, in request: Request) -> TransactionErrorDisposition {
        switch code {
        case .concurrentTransactions:
            return .retry(findCoordinator: false, short: true)
        case .coordinatorLoadInProgress:
            return .retry(findCoordinator: false, short: false)
        case .notCoordinator, .coordinatorNotAvailable, .networkException, .requestTimedOut:
            return .retry(findCoordinator: true, short: false)
        case .unknownTopicOrPartition where request == .txnOffsetCommit:
            return .retry(findCoordinator: false, short: false)
        case .producerFenced, .invalidProducerEpoch, .transactionCoordinatorFenced:
            return .fenced
        case .transactionalIdAuthorizationFailed, .clusterAuthorizationFailed, .invalidTransactionTimeout, .unsupportedVersion,
             .unsupportedForMessageFormat:
            return .fatal
        case .transactionAbortable:
            return .abortable
        case .invalidTxnState:
            // On a produce the partition's transaction is gone (e.g. timed out): abort. From the
            // coordinator it means the client and coordinator disagree: fatal, as in Java.
            return request == .produce ? .abortable : .fatal
        default:
            switch request {
            case .initProducerId, .endTxn: return .fatal
            case .addPartitions, .addOffsets, .txnOffsetCommit, .produce: return .abortable
            }
        }
    }
}

/// The state machine of a transactional producer: which calls are allowed when, which
/// partitions are part of the open transaction, and what failures do to it. No I/O: the
/// producer and its sender thread do the requests and report the outcomes here.
///
/// - Partitions are added to a transaction lazily: the sender asks ``partitionsToAdd(_:now:)``
///   for the partitions that have batches but are not in the transaction yet, sends one
///   AddPartitionsToTxn for them, and drains batches only of partitions in ``addedPartitions``.
/// - A failed batch, or an abortable error of a transactional request, moves an open (or
///   committing) transaction to `abortableError`; fencing errors move any state to `fatalError`.
///   In those states the unsent batches are failed (``dropsUnsentBatches``).
///
/// Thread-safety: every method may be called from any thread (one `Mutex`).
final class TransactionManager: Sendable {
    /// The producer's `transactional.id`.
    let transactionalId: String

    struct State {
        var phase: TransactionState = .uninitialized
        var producerId: Int64 = -1
        var producerEpoch: Int16 = -1
        /// Partitions the coordinator accepted into the open transaction.
        var added: Set<ProducerPartition> = []
        /// Whether AddOffsetsToTxn succeeded in the open transaction.
        var offsetsAdded = false
        /// AddPartitionsToTxn is not to be retried before this monotonic time.
        var addRetryAtNanos: UInt64 = 0
        /// Failed AddPartitionsToTxn attempts in a row.
        var addAttempts = 0
        /// Why the transaction must be aborted (`abortableError`, and while aborting).
        var abortableError: KafkaClientError?
        /// Why the producer is unusable (`fatalError`).
        var fatalError: KafkaClientError?
    }

    private let state = Mutex(State())

    /// A manager in state `uninitialized`.
    init(transactionalId: String) {
        self.transactionalId = transactionalId
    }

    /// The current state.
    var phase: TransactionState { state.withLock { $0.phase } }

    /// The producer id and epoch from the last InitProducerId (−1 before).
    var identity: (producerId: Int64, producerEpoch: Int16) { state.withLock { ($0.producerId, $0.producerEpoch) } }

    /// The partitions of the open transaction (the sender drains only these).
    var addedPartitions: Set<ProducerPartition> { state.withLock { $0.added } }

    /// Whether the open transaction has anything at the coordinator (partitions or offsets),
    /// so that ending it needs an EndTxn.
    var transactionStarted: Bool { state.withLock { !$0.added.isEmpty || $0.offsetsAdded } }

    /// Whether the sender should fail the batches it has not sent (the transaction is being
    /// aborted, must be, or the producer is fenced).
    var dropsUnsentBatches: Bool {
        state.withLock { [.aborting, .abortableError, .fatalError].contains($0.phase) }
    }

    /// The error the unsent batches fail with when ``dropsUnsentBatches``.
    var dropError: KafkaClientError {
        state.withLock { state in
            state.fatalError ?? state.abortableError ?? .transactionAbortable("the transaction was aborted before the record was sent")
        }
    }

    // MARK: transitions requested by the application

    /// `initTransactions()` starts: allowed once (again after it failed retriably).
    func beginInit() throws(KafkaClientError) {
        try state.withLock { state throws(KafkaClientError) in
            if let fatal = state.fatalError { throw fatal }
            guard state.phase == .uninitialized || state.phase == .initializing else {
                throw .illegalState("initTransactions() was already called (state \(state.phase))")
            }
            state.phase = .initializing
        }
    }

    /// InitProducerId succeeded (at `initTransactions()`, or the epoch bump after an abort).
    func initialized(producerId: Int64, producerEpoch: Int16) {
        state.withLock { state in
            state.producerId = producerId
            state.producerEpoch = producerEpoch
            if state.phase == .initializing { state.phase = .ready }
        }
    }

    /// `beginTransaction()`: ready → inTransaction.
    func begin() throws(KafkaClientError) {
        try state.withLock { state throws(KafkaClientError) in
            try Self.requireNoError(state)
            guard state.phase == .ready else {
                throw .illegalState(state.phase == .uninitialized || state.phase == .initializing
                    ? "call initTransactions() before beginTransaction()"
                    : "beginTransaction() needs a finished transaction first (state \(state.phase))")
            }
            state.phase = .inTransaction
            state.added = []
            state.offsetsAdded = false
            state.addAttempts = 0
            state.addRetryAtNanos = 0
        }
    }

    /// Why a record may not be sent now, or nil (only inside an open transaction).
    func sendError() -> KafkaClientError? {
        state.withLock { state in
            if let fatal = state.fatalError { return fatal }
            if state.phase == .abortableError, let error = state.abortableError { return error }
            guard state.phase == .inTransaction else {
                return .illegalState("cannot send in transaction state \(state.phase): records of a transactional producer must be sent between beginTransaction() and commitTransaction()/abortTransaction()")
            }
            return nil
        }
    }

    /// Throws unless a transaction is open (for `sendOffsetsToTransaction`).
    func requireOpenTransaction(_ operation: String) throws(KafkaClientError) {
        try state.withLock { state throws(KafkaClientError) in
            try Self.requireNoError(state)
            guard state.phase == .inTransaction else { throw .illegalState("\(operation) needs an open transaction (state \(state.phase))") }
        }
    }

    /// `commitTransaction()` starts: inTransaction (or a commit that timed out) → committing.
    /// An abortable error is thrown (the application must abort).
    func beginCommit() throws(KafkaClientError) {
        try state.withLock { state throws(KafkaClientError) in
            try Self.requireNoError(state)
            guard state.phase == .inTransaction || state.phase == .committing else {
                throw .illegalState("commitTransaction() needs an open transaction (state \(state.phase))")
            }
            state.phase = .committing
        }
    }

    /// `abortTransaction()` starts: inTransaction, abortableError (or an abort that timed out)
    /// → aborting.
    func beginAbort() throws(KafkaClientError) {
        try state.withLock { state throws(KafkaClientError) in
            if let fatal = state.fatalError { throw fatal }
            guard [.inTransaction, .abortableError, .aborting].contains(state.phase) else {
                throw .illegalState("abortTransaction() needs an open transaction (state \(state.phase))")
            }
            state.phase = .aborting
        }
    }

    /// The commit or abort finished at the coordinator (or needed no EndTxn): → ready.
    func completed() {
        state.withLock { state in
            guard state.phase == .committing || state.phase == .aborting else { return }
            state.phase = .ready
            state.added = []
            state.offsetsAdded = false
            state.abortableError = nil
            state.addAttempts = 0
            state.addRetryAtNanos = 0
        }
    }

    /// A commit found the transaction unusable after flushing (a batch failed): the error to
    /// throw, leaving the state at `abortableError` (nil when the commit can proceed).
    func errorAfterFlush() -> KafkaClientError? {
        state.withLock { state in state.fatalError ?? (state.phase == .abortableError ? state.abortableError : nil) }
    }

    // MARK: outcomes reported by the producer and its sender

    /// AddOffsetsToTxn succeeded.
    func offsetsWereAdded() {
        state.withLock { $0.offsetsAdded = true }
    }

    /// The partitions of `candidates` (partitions with batches) that must be added to the open
    /// transaction before their batches may be sent; empty while not in a transaction (or
    /// committing), or while a failed AddPartitionsToTxn waits for its retry.
    func partitionsToAdd(_ candidates: some Sequence<ProducerPartition>, now: UInt64) -> [ProducerPartition] {
        state.withLock { state in
            guard state.phase == .inTransaction || state.phase == .committing, state.addRetryAtNanos <= now else { return [] }
            return candidates.filter { !state.added.contains($0) }.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        }
    }

    /// When the sender should look at AddPartitionsToTxn again after a retriable failure (0: no
    /// retry pending).
    var addRetryAtNanos: UInt64 { state.withLock { $0.addAttempts > 0 ? $0.addRetryAtNanos : 0 } }

    /// AddPartitionsToTxn accepted `partitions`.
    func partitionsWereAdded(_ partitions: some Sequence<ProducerPartition>) {
        state.withLock { state in
            state.added.formUnion(partitions)
            state.addAttempts = 0
            state.addRetryAtNanos = 0
        }
    }

    /// AddPartitionsToTxn failed retriably: try again after `backoffNanos`.
    func addPartitionsBackOff(until retryAtNanos: UInt64) {
        state.withLock { state in
            state.addAttempts += 1
            state.addRetryAtNanos = retryAtNanos
        }
    }

    /// Number of AddPartitionsToTxn failures in a row (for the backoff).
    var addAttempts: Int { state.withLock { $0.addAttempts } }

    /// A failure inside the transaction (a batch failed, or a transactional request refused):
    /// fencing (``KafkaClientError/producerFenced(_:)``) is fatal; a retriable failure that
    /// outlived its retries, or any other error, makes an open or committing transaction
    /// abortable. While aborting (the batches are failed on purpose) only fencing counts.
    func fail(_ error: KafkaClientError) {
        state.withLock { state in
            switch error {
            case .producerFenced:
                state.phase = .fatalError
                if state.fatalError == nil { state.fatalError = error }
            case .closed:
                break
            default:
                guard state.phase == .inTransaction || state.phase == .committing || state.phase == .abortableError else { return }
                state.phase = .abortableError
                if state.abortableError == nil {
                    if case .transactionAbortable = error { state.abortableError = error } else { state.abortableError = .transactionAbortable("\(error)") }
                }
            }
        }
    }

    /// Makes the producer unusable with `error` (fatal coordinator answers).
    func failFatally(_ error: KafkaClientError) {
        state.withLock { state in
            state.phase = .fatalError
            if state.fatalError == nil { state.fatalError = error }
        }
    }

    /// A batch failed with `error`: fencing codes become ``KafkaClientError/producerFenced(_:)``
    /// (fatal), anything else makes the transaction abortable (see ``fail(_:)``).
    func batchFailed(_ error: KafkaClientError) {
        if case .broker(let code, let context) = error, TransactionErrorDisposition.of(code, in: .produce) == .fenced {
            fail(.producerFenced("\(context): \(code.summary)"))
        } else {
            fail(error)
        }
    }

    private static func requireNoError(_ state: State) throws(KafkaClientError) {
        if let fatal = state.fatalError { throw fatal }
        if state.phase == .abortableError { throw state.abortableError ?? .transactionAbortable("an earlier failure") }
    }
}
