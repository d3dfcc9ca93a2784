import KafkaProtocol
import SystemIO
import Synchronization

/// The transaction coordinator (KIP-98, transactions version 1): transactional ids, their
/// producer ids and epochs, and the state of each one's transaction. No sockets: the handlers
/// call it, the clock is injected, and what a decision means for partitions and groups goes
/// through a `TransactionMarkerWriter`.
///
/// Every state change is written to the `TransactionLog` (synced) before it takes effect, so a
/// restart (`recover`) finds each id where it was: a transaction in PrepareCommit is committed,
/// one in PrepareAbort aborted, and an open one times out.
///
/// Concurrency: one lock guards the map. A change is decided under the lock and marks the id
/// `pending`; the log write and the markers happen outside it; the result is installed under
/// the lock again. A request that finds its id pending gets CONCURRENT_TRANSACTIONS (the
/// client retries), as in Kafka. Transactional writes run inside `withAdmission`, which keeps
/// the transaction from ending until they are in the log, so no write lands after a marker.
/// The coordinator never holds its lock while writing to a log.
final class TransactionCoordinator: Sendable {
    struct Entry: Sendable {
        var metadata: TransactionMetadata
        /// A change is being written (log, markers): other requests must wait.
        var pending = false
        /// Transactional writes admitted (`withAdmission`) and not finished yet. The transaction
        /// is not ended (nor fenced, nor timed out) while any is in flight, so no write lands
        /// after its markers.
        var inFlight = 0

        /// Whether a change of state must wait (CONCURRENT_TRANSACTIONS).
        var isBusy: Bool { pending || inFlight > 0 }
    }

    /// What `withAdmission` did.
    enum Admission<Value> {
        /// The write was refused with this error (the body did not run).
        case refused(ErrorCode)
        /// The body ran and returned this.
        case admitted(Value)
    }

    /// A decision taken under the lock: refused with an error, or go ahead with a value.
    enum Decision<Value> {
        case failure(ErrorCode)
        case success(Value)
    }

    /// The answer to InitProducerId.
    struct InitResult: Equatable {
        var error: ErrorCode
        var producerId: Int64 = -1
        var producerEpoch: Int16 = -1
    }

    let settings: TransactionSettings
    private let log: TransactionLog
    private let writer: any TransactionMarkerWriter
    private let producerIds: ProducerIdAllocator
    private let time: any TimeSource
    private let logger: Logger
    private let entries = Mutex<[String: Entry]>([:])
    /// Wall-clock ms of the last timeout scan and the last expiry scan.
    private let lastScans = Mutex<(timeouts: Int64, expiry: Int64)>((0, 0))

    init(settings: TransactionSettings, log: TransactionLog, writer: any TransactionMarkerWriter, producerIds: ProducerIdAllocator,
         time: any TimeSource, logger: Logger) {
        self.settings = settings
        self.log = log
        self.writer = writer
        self.producerIds = producerIds
        self.time = time
        self.logger = logger
    }

    // MARK: recovery

    /// Loads the durable state and finishes what was decided before the last stop: transactions
    /// in PrepareCommit are committed and those in PrepareAbort aborted (markers written again;
    /// they are idempotent). Open transactions stay open until they end or time out. Call once,
    /// before any request. A completion that fails now is retried by `tick`.
    func recover() throws {
        let loaded = try log.load { offset in
            self.logger.warning("transaction log: skipped an unreadable record at offset \(offset)")
        }
        entries.withLock { map in
            map = loaded.mapValues { Entry(metadata: $0) }
        }
        let unfinished = loaded.values.filter { $0.state.isPreparing }
        for metadata in unfinished {
            logger.info("completing transaction \(metadata.transactionalId) (\(metadata.state.name)) left from the last run")
            entries.withLock { $0[metadata.transactionalId]?.pending = true }
            _ = complete(metadata)
        }
        if !loaded.isEmpty {
            logger.info("loaded \(loaded.count) transactional ids (\(loaded.values.filter { $0.state == .ongoing }.count) with an open transaction)")
        }
    }

    // MARK: InitProducerId

    /// InitProducerId with a transactional id: a new producer id (epoch 0) for a new id, or the
    /// next epoch of the existing one, fencing older producers. An open transaction of an
    /// earlier epoch is aborted first (with a bumped epoch, so its producer is fenced), and then
    /// the epoch is bumped again for the caller. `expected` is the producer id and epoch the
    /// client already had (KIP-360, InitProducerId v3+), or nil.
    func initProducerId(transactionalId id: String, timeoutMs: Int32, expected: (producerId: Int64, epoch: Int16)?) -> InitResult {
        guard !id.isEmpty else { return InitResult(error: .invalidRequest) }
        guard ShortString.fits(id) else {
            logger.warning("InitProducerId refused: a transactional id of \(id.utf8.count) bytes (at most \(Int16.max))")
            return InitResult(error: .invalidRequest)
        }
        guard timeoutMs > 0, timeoutMs <= settings.maxTimeoutMs else { return InitResult(error: .invalidTransactionTimeout) }
        // Two passes at most: the first may have to abort an open transaction of an older epoch.
        for _ in 0..<2 {
            let decision: Decision<TransactionMetadata>
            do {
                decision = try decideInit(id: id, timeoutMs: timeoutMs, expected: expected)
            } catch {
                logger.error("cannot allocate a producer id: \(error)")
                return InitResult(error: .coordinatorNotAvailable)
            }
            let next: TransactionMetadata
            switch decision {
            case .failure(let error): return InitResult(error: error)
            case .success(let metadata): next = metadata
            }
            if next.state == .prepareAbort {
                // Fencing: abort the previous producer's transaction, then decide again.
                logger.info("InitProducerId for \(id): aborting the open transaction of producer \(next.producerId) epoch \(next.producerEpoch - 1)")
                guard case .none = complete(next, persistPrepare: true) else { return InitResult(error: .concurrentTransactions) }
                continue
            }
            guard install(next) else { return InitResult(error: .coordinatorNotAvailable) }
            return InitResult(error: .none, producerId: next.producerId, producerEpoch: next.producerEpoch)
        }
        return InitResult(error: .concurrentTransactions)
    }

    /// Decides InitProducerId under the lock; on success the id is marked pending.
    private func decideInit(id: String, timeoutMs: Int32, expected: (producerId: Int64, epoch: Int16)?) throws -> Decision<TransactionMetadata> {
        let now = time.wallMillis()
        let existing = entries.withLock { $0[id] }
        // A new id's producer id is allocated outside the lock (it may write a file).
        let fresh: Int64? = existing == nil ? try producerIds.next() : nil
        let rotated: Int64? = existing.map { $0.metadata.isEpochExhausted } == true ? try producerIds.next() : nil
        return entries.withLock { map -> Decision<TransactionMetadata> in
            if map[id] == nil, let fresh {
                map[id] = Entry(metadata: TransactionMetadata(transactionalId: id, producerId: fresh, producerEpoch: -1, timeoutMs: timeoutMs,
                                                              state: .empty, lastUpdateTimestamp: now))
            }
            guard var entry = map[id] else { return .failure(.concurrentTransactions) }
            if entry.isBusy { return .failure(.concurrentTransactions) }
            var metadata = entry.metadata
            if let expected, !Self.isValidExpectation(expected, of: metadata) { return .failure(.producerFenced) }
            switch metadata.state {
            case .prepareCommit, .prepareAbort, .prepareEpochFence, .dead:
                return .failure(.concurrentTransactions)
            case .ongoing:
                guard metadata.producerEpoch < Int16.max else { return .failure(.concurrentTransactions) }
                metadata.producerEpoch += 1
                metadata.lastProducerEpoch = -1
                metadata.state = .prepareAbort
                metadata.lastUpdateTimestamp = now
            case .empty, .completeCommit, .completeAbort:
                if metadata.isEpochExhausted, expected.map({ $0.epoch == metadata.producerEpoch }) ?? true {
                    guard let rotated else { return .failure(.concurrentTransactions) }
                    metadata.previousProducerId = metadata.producerId
                    metadata.lastProducerEpoch = expected == nil ? -1 : metadata.producerEpoch
                    metadata.producerId = rotated
                    metadata.producerEpoch = 0
                } else if let expected, metadata.producerEpoch != -1, expected.epoch != metadata.producerEpoch {
                    // A retry of an InitProducerId that already bumped the epoch gets the same answer.
                    guard expected.epoch == metadata.lastProducerEpoch else { return .failure(.producerFenced) }
                } else {
                    metadata.lastProducerEpoch = expected == nil ? -1 : metadata.producerEpoch
                    metadata.producerEpoch += 1
                }
                metadata.timeoutMs = timeoutMs
                metadata.state = .empty
                metadata.partitions = []
                metadata.groups = []
                metadata.startTimestamp = -1
                metadata.lastUpdateTimestamp = now
            }
            entry.pending = true
            map[id] = entry
            return .success(metadata)
        }
    }

    /// KIP-360: whether a client that says it had `expected` may re-initialise `metadata`.
    private static func isValidExpectation(_ expected: (producerId: Int64, epoch: Int16), of metadata: TransactionMetadata) -> Bool {
        metadata.producerEpoch == -1
            || expected.producerId == metadata.producerId
            || (expected.producerId == metadata.previousProducerId && expected.epoch >= Int16.max - 1)
    }

    /// Whether a request's producer id and epoch are the id's current ones: a different producer
    /// id → INVALID_PRODUCER_ID_MAPPING, another epoch → PRODUCER_FENCED, else nil.
    private static func identityError(_ entry: Entry, producerId: Int64, epoch: Int16) -> ErrorCode? {
        if entry.metadata.producerId != producerId { return .invalidProducerIdMapping }
        if entry.metadata.producerEpoch != epoch { return .producerFenced }
        return nil
    }

    // MARK: AddPartitionsToTxn / AddOffsetsToTxn

    /// Adds partitions and/or consumer groups to the producer's transaction, opening one if none
    /// is. The caller has checked that the partitions exist.
    func add(transactionalId id: String, producerId: Int64, epoch: Int16, partitions: [TransactionPartition], groups: [String]) -> ErrorCode {
        guard !id.isEmpty else { return .invalidRequest }
        let now = time.wallMillis()
        let decision = entries.withLock { map -> Decision<TransactionMetadata?> in
            guard var entry = map[id] else { return .failure(.invalidProducerIdMapping) }
            if let error = Self.identityError(entry, producerId: producerId, epoch: epoch) { return .failure(error) }
            let metadata = entry.metadata
            if entry.pending || metadata.state.isPreparing { return .failure(.concurrentTransactions) }
            if metadata.state == .ongoing && Set(partitions).isSubset(of: metadata.partitions) && Set(groups).isSubset(of: metadata.groups) {
                return .success(nil)
            }
            guard metadata.state == .ongoing || metadata.state.isIdle else { return .failure(.invalidTxnState) }
            var next = metadata
            if next.state != .ongoing {
                next.state = .ongoing
                next.startTimestamp = now
                next.partitions = []
                next.groups = []
            }
            next.partitions.formUnion(partitions)
            next.groups.formUnion(groups)
            next.lastUpdateTimestamp = now
            entry.pending = true
            map[id] = entry
            return .success(next)
        }
        switch decision {
        case .failure(let error): return error
        case .success(nil): return .none
        case .success(let next?): return install(next) ? .none : .coordinatorNotAvailable
        }
    }

    // MARK: verification

    /// Whether the producer may write transactional data to `partition` now (or commit offsets
    /// for a group, with `group`): its id and epoch are current, its transaction is open and
    /// holds the partition or group, and no EndTxn is under way. Kafka's answers: unknown id or
    /// producer → INVALID_PRODUCER_ID_MAPPING; older epoch → PRODUCER_FENCED; being completed →
    /// CONCURRENT_TRANSACTIONS; not added → TRANSACTION_ABORTABLE (callers map it for older
    /// request versions). Cheap; called under partition locks.
    func verify(transactionalId id: String, producerId: Int64, epoch: Int16, partition: TransactionPartition? = nil, group: String? = nil) -> ErrorCode {
        entries.withLock { map in Self.admissionError(map[id], producerId: producerId, epoch: epoch, partition: partition, group: group) ?? .none }
    }

    /// Runs `body` (a transactional append or offset stage) if `verify` would answer NONE, and
    /// keeps the transaction from ending until it returns, so the write lands before any marker
    /// of the transaction. The coordinator's lock is not held while `body` runs.
    func withAdmission<Value>(transactionalId id: String, producerId: Int64, epoch: Int16, partition: TransactionPartition? = nil,
                              group: String? = nil, _ body: () -> Value) -> Admission<Value> {
        let refusal = entries.withLock { map -> ErrorCode? in
            if let error = Self.admissionError(map[id], producerId: producerId, epoch: epoch, partition: partition, group: group) { return error }
            map[id]?.inFlight += 1
            return nil
        }
        if let refusal { return .refused(refusal) }
        defer { entries.withLock { $0[id]?.inFlight -= 1 } }
        return .admitted(body())
    }

    private static func admissionError(_ entry: Entry?, producerId: Int64, epoch: Int16, partition: TransactionPartition?, group: String?) -> ErrorCode? {
        guard let entry else { return .invalidProducerIdMapping }
        if let error = identityError(entry, producerId: producerId, epoch: epoch) { return error }
        let metadata = entry.metadata
        if entry.pending || metadata.state.isPreparing { return .concurrentTransactions }
        guard metadata.state == .ongoing else { return .transactionAbortable }
        if let partition, !metadata.partitions.contains(partition) { return .transactionAbortable }
        if let group, !metadata.groups.contains(group) { return .transactionAbortable }
        return nil
    }

    // MARK: EndTxn

    /// Commits or aborts the producer's open transaction: PrepareCommit/PrepareAbort is logged,
    /// the markers and group offsets are written, and Complete* is logged. Answers once the
    /// prepare state is durable (as Kafka does); when markers fail they are retried by `tick`.
    /// A retried EndTxn of a completed transaction with the same outcome succeeds again.
    func end(transactionalId id: String, producerId: Int64, epoch: Int16, commit: Bool) -> ErrorCode {
        guard !id.isEmpty else { return .invalidRequest }
        let now = time.wallMillis()
        let decision = entries.withLock { map -> Decision<TransactionMetadata?> in
            guard var entry = map[id] else { return .failure(.invalidProducerIdMapping) }
            if let error = Self.identityError(entry, producerId: producerId, epoch: epoch) { return .failure(error) }
            let metadata = entry.metadata
            if entry.isBusy { return .failure(.concurrentTransactions) }
            switch metadata.state {
            case .ongoing:
                var next = metadata
                next.state = commit ? .prepareCommit : .prepareAbort
                next.lastUpdateTimestamp = now
                entry.pending = true
                map[id] = entry
                return .success(next)
            case .completeCommit:
                return commit ? .success(nil) : .failure(.invalidTxnState)
            case .completeAbort:
                return commit ? .failure(.invalidTxnState) : .success(nil)
            case .prepareCommit:
                return commit ? .failure(.concurrentTransactions) : .failure(.invalidTxnState)
            case .prepareAbort:
                return commit ? .failure(.invalidTxnState) : .failure(.concurrentTransactions)
            case .empty, .dead, .prepareEpochFence:
                return .failure(.invalidTxnState)
            }
        }
        switch decision {
        case .failure(let error): return error
        case .success(nil): return .none
        case .success(let prepared?): return complete(prepared, persistPrepare: true)
        }
    }

    /// Finishes a transaction already marked pending: logs `prepared` (unless it is already
    /// durable), writes markers and group offsets, logs the completion. Clears `pending` in any
    /// case. Returns NONE once the decision is durable, even if the markers must be retried.
    @discardableResult
    private func complete(_ prepared: TransactionMetadata, persistPrepare: Bool = false) -> ErrorCode {
        let id = prepared.transactionalId
        let commit = prepared.state == .prepareCommit
        if persistPrepare {
            do {
                try log.write(prepared, timestamp: prepared.lastUpdateTimestamp)
            } catch {
                logger.error("cannot log \(prepared.state.name) of transaction \(id): \(error)")
                entries.withLock { $0[id]?.pending = false }
                return .coordinatorNotAvailable
            }
            entries.withLock { $0[id]?.metadata = prepared }
        }
        do {
            try writer.writeMarkers(producerId: prepared.producerId, producerEpoch: prepared.producerEpoch, commit: commit,
                                    partitions: prepared.partitions.sorted())
            try writer.completeOffsets(producerId: prepared.producerId, groups: prepared.groups.sorted(), commit: commit)
        } catch {
            logger.error("cannot write the \(commit ? "commit" : "abort") markers of transaction \(id) (will retry): \(error)")
            entries.withLock { $0[id]?.pending = false }
            return .none
        }
        var completed = prepared
        completed.state = commit ? .completeCommit : .completeAbort
        completed.partitions = []
        completed.groups = []
        completed.startTimestamp = -1
        completed.lastUpdateTimestamp = time.wallMillis()
        if !install(completed) {
            // The markers are written; the completion is logged again at the next retry.
            logger.error("cannot log the completion of transaction \(id) (will retry)")
        }
        return .none
    }

    /// Logs `metadata` and makes it the id's state; clears `pending` either way. Returns
    /// whether it was logged.
    private func install(_ metadata: TransactionMetadata) -> Bool {
        do {
            try log.write(metadata, timestamp: metadata.lastUpdateTimestamp)
        } catch {
            logger.error("cannot log transaction \(metadata.transactionalId): \(error)")
            entries.withLock { $0[metadata.transactionalId]?.pending = false }
            return false
        }
        entries.withLock { map in
            var entry = map[metadata.transactionalId] ?? Entry(metadata: metadata)
            entry.metadata = metadata
            entry.pending = false
            map[metadata.transactionalId] = entry
        }
        return true
    }

    // MARK: timers

    /// Aborts transactions open longer than their timeout (fencing their producer with a bumped
    /// epoch), retries completions whose markers failed, and forgets ids idle longer than
    /// `transactional.id.expiration.ms`. Scans at most every `abortCheckIntervalMs` /
    /// `expiredIdCheckIntervalMs` unless `force`.
    func tick(force: Bool = false) {
        let now = time.wallMillis()
        let (scanTimeouts, scanExpiry) = lastScans.withLock { last -> (Bool, Bool) in
            let timeouts = force || now - last.timeouts >= settings.abortCheckIntervalMs
            let expiry = force || now - last.expiry >= settings.expiredIdCheckIntervalMs
            if timeouts { last.timeouts = now }
            if expiry { last.expiry = now }
            return (timeouts, expiry)
        }
        if scanTimeouts { abortExpiredAndRetry(now: now) }
        if scanExpiry { expireIdleIds(now: now) }
    }

    private func abortExpiredAndRetry(now: Int64) {
        let work = entries.withLock { map -> [TransactionMetadata] in
            var work: [TransactionMetadata] = []
            for (id, entry) in map where !entry.isBusy {
                var metadata = entry.metadata
                if metadata.state.isPreparing {
                    work.append(metadata)
                } else if metadata.state == .ongoing, now - metadata.startTimestamp > Int64(metadata.timeoutMs),
                          metadata.producerEpoch < Int16.max {
                    metadata.producerEpoch += 1
                    metadata.lastProducerEpoch = -1
                    metadata.state = .prepareAbort
                    metadata.lastUpdateTimestamp = now
                    work.append(metadata)
                } else {
                    continue
                }
                map[id]?.pending = true
            }
            return work
        }
        for metadata in work {
            let expired = entries.withLock { $0[metadata.transactionalId]?.metadata.state == .ongoing }
            if expired {
                logger.info("aborting transaction \(metadata.transactionalId) of producer \(metadata.producerId): open longer than its \(metadata.timeoutMs) ms timeout")
            }
            complete(metadata, persistPrepare: expired)
        }
    }

    private func expireIdleIds(now: Int64) {
        let doomed = entries.withLock { map -> [String] in
            let ids = map.filter { !$0.value.isBusy && $0.value.metadata.state.isIdle
                && now - $0.value.metadata.lastUpdateTimestamp > settings.idExpirationMs }.map(\.key)
            for id in ids { map[id]?.pending = true }
            return ids
        }
        for id in doomed {
            do {
                try log.remove(id, timestamp: now)
                entries.withLock { $0[id] = nil }
                logger.info("transactional id \(id) expired (idle longer than \(settings.idExpirationMs) ms)")
            } catch {
                entries.withLock { $0[id]?.pending = false }
                logger.error("cannot expire transactional id \(id): \(error)")
            }
        }
    }

    // MARK: describing

    /// The state of `transactionalId`, or nil if unknown.
    func describe(_ transactionalId: String) -> TransactionMetadata? {
        entries.withLock { $0[transactionalId]?.metadata }
    }

    /// Every known transactional id's state, sorted by id.
    func all() -> [TransactionMetadata] {
        entries.withLock { $0.values.map(\.metadata) }.sorted { $0.transactionalId < $1.transactionalId }
    }

    /// Closes the transaction log cleanly.
    func close() throws {
        try log.close()
    }
}
