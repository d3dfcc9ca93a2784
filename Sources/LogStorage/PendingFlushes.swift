import Synchronization

/// The logs of a store that may hold appended data not yet synced under `durability=interval`,
/// so the store's flusher visits those rather than every partition: an idle store costs
/// nothing however many partitions it has.
///
/// Invariant: a log is in the set exactly when its `State.awaitingFlush` is true; both change
/// together under that log's state lock (`PartitionLog.notePendingFlush`, `forgetIfSynced`).
/// Thread-safety: all methods may be called from any thread. Lock order: a log's state lock,
/// then this set's.
final class PendingFlushes: Sendable {
    private let logs = Mutex<[ObjectIdentifier: PartitionLog]>([:])

    init() {}

    func insert(_ log: PartitionLog) {
        logs.withLock { $0[ObjectIdentifier(log)] = log }
    }

    func remove(_ log: PartitionLog) {
        _ = logs.withLock { $0.removeValue(forKey: ObjectIdentifier(log)) }
    }

    /// The logs in the set now.
    var snapshot: [PartitionLog] { logs.withLock { Array($0.values) } }

    var count: Int { logs.withLock { $0.count } }
}
