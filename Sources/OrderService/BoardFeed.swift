import ServiceKit
import SQLite
import Synchronization
import SystemIO

/// The coffee board's shared, lazily refreshed snapshot, read by every board page and event
/// stream of one service.
///
/// Invariant: every committed change to an order is followed by a bump of `changeGeneration`
/// (the API's writes call `ServiceContext.outboxChanged()` after their commit; the chassis
/// signals `eventsCommitted` after each consumed-event transaction). `current()` re-reads the
/// tables (`BoardTracker`) when that generation moved since the last read, at most once per
/// `minIntervalMillis`, and in any case every `maxIntervalMillis` (a safety net for a writer
/// that forgot to signal). No thread of its own: a caller that finds the snapshot due
/// refreshes it while others keep using the previous one, so the database sees at most one
/// board read per interval however many clients watch, and none while nobody watches.
///
/// Thread-safe; `Sendable`.
final class BoardFeed: Sendable {
    private struct State {
        var snapshot: BoardSnapshot?
        var readAtNanos: UInt64 = 0
        var readGeneration: UInt64 = 0
        var refreshing = false
    }

    private let database: Database
    private let changeGeneration: @Sendable () -> UInt64
    private let nowMillis: @Sendable () -> Int64
    private let logger: Logger
    private let clock = SystemTimeSource()
    private let state = Mutex(State())
    /// Least time between two reads, in milliseconds.
    let minIntervalMillis: UInt64
    /// Most time between two reads while someone asks, in milliseconds.
    let maxIntervalMillis: UInt64

    /// A feed over `database`; `changeGeneration` must move after every committed order change.
    init(database: Database, changeGeneration: @escaping @Sendable () -> UInt64, nowMillis: @escaping @Sendable () -> Int64,
         logger: Logger, minIntervalMillis: UInt64 = 250, maxIntervalMillis: UInt64 = 5_000) {
        self.database = database
        self.changeGeneration = changeGeneration
        self.nowMillis = nowMillis
        self.logger = logger
        self.minIntervalMillis = minIntervalMillis
        self.maxIntervalMillis = maxIntervalMillis
    }

    /// A feed for the service behind `context`, woken by its outbox and consumed-event signals.
    convenience init(context: ServiceContext, nowMillis: @escaping @Sendable () -> Int64) {
        let outbox = context.outboxWakeup
        let consumed = context.eventsCommitted
        self.init(database: context.database, changeGeneration: { outbox.generation &+ consumed.generation },
                  nowMillis: nowMillis, logger: context.logger)
    }

    /// The snapshot, re-read first when due (see the type's invariant). Throws only when there
    /// is no snapshot yet and the first read fails; a later failed read is logged and the
    /// previous snapshot returned (the next call tries again).
    func current() throws -> BoardSnapshot {
        let now = clock.monotonicNanos()
        let generation = changeGeneration()
        let (due, previous) = state.withLock { state -> (Bool, BoardSnapshot?) in
            let age = now &- state.readAtNanos
            let wanted = state.snapshot == nil
                || (generation != state.readGeneration && age >= minIntervalMillis * 1_000_000)
                || age >= maxIntervalMillis * 1_000_000
            // With a snapshot in hand, a caller never waits for another's read.
            guard wanted, !state.refreshing || state.snapshot == nil else { return (false, state.snapshot) }
            state.refreshing = true
            return (true, state.snapshot)
        }
        guard due else {
            // Not due means a snapshot exists (a missing one is always due); read to be safe.
            if let previous { return previous }
            return try read(after: nil)
        }
        do {
            let snapshot = try read(after: previous)
            state.withLock { state in
                state.snapshot = snapshot
                state.readAtNanos = now
                state.readGeneration = generation
                state.refreshing = false
            }
            return snapshot
        } catch {
            state.withLock { state in
                state.readAtNanos = now
                state.refreshing = false
            }
            guard let previous else { throw error }
            logger.log(.warning, "board refresh failed: \(error)")
            return previous
        }
    }

    /// Reads a snapshot now in one transaction (a consistent view), after `previous` when given.
    func read(after previous: BoardSnapshot?) throws -> BoardSnapshot {
        try database.transaction { db in
            let tracker = BoardTracker(store: OrderStore(db: db))
            if let previous { return try tracker.next(after: previous, nowMs: nowMillis()) }
            return try tracker.initial(nowMs: nowMillis())
        }
    }
}
