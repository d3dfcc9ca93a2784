public import SQLite
internal import SystemIO
internal import Synchronization

/// Group commit for concurrent writers (HTTP handlers): every `write` runs its body in its own
/// savepoint, but bodies that arrive while a commit is in progress share the next transaction,
/// so N concurrent requests cost one fsync instead of N.
///
/// No thread of its own: the first caller that finds no commit in progress becomes the leader,
/// takes every queued body (its own included), runs them in one transaction and completes them
/// all; the others wait for their result. When the leader is done it wakes exactly the callers
/// whose bodies it ran, and hands the leadership to the oldest caller still queued (if any), so
/// no caller wakes up only to find its body still waiting. A body that throws has only its own
/// savepoint rolled back and gets its error; if the COMMIT itself fails, every body of that
/// batch gets the error and none of their writes exist. A result is returned only after its
/// transaction committed.
///
/// Thread-safety: `write` may be called from any number of threads. A body must not call
/// `write` again (it would wait for itself) and must use only the `Database` it is given.
public final class GroupCommitter: Sendable {
    /// A queued body with its result slot; handed from its caller to the leader under the lock.
    /// `finished`, `promoted` and `commitFailure` are guarded by the committer's lock.
    private final class Job: @unchecked Sendable {
        let run: (Database) -> Void
        /// Signalled when the job finished or was made leader.
        let wake = ConditionSignal()
        var finished = false
        var promoted = false
        var commitFailure: (any Error)?
        init(run: @escaping (Database) -> Void) { self.run = run }
    }

    private struct State {
        var queue: [Job] = []
        var leaderActive = false
    }

    /// The database written to.
    public let database: Database
    /// The most bodies one transaction takes.
    public let maxBatch: Int
    private let state = Mutex(State())
    /// Transactions committed or attempted so far (for tests and metrics).
    let transactions = Atomic<Int>(0)

    /// A committer for `database`, batching at most `maxBatch` bodies per transaction.
    public init(database: Database, maxBatch: Int = 256) {
        self.database = database
        self.maxBatch = max(1, maxBatch)
    }

    /// Runs `body` in a savepoint of a shared transaction and returns its result once that
    /// transaction committed; rethrows the body's error (its writes undone) or the commit's.
    @discardableResult
    public func write<T>(_ body: @escaping (Database) throws -> T) throws -> T {
        let slot = ResultSlot<T>()
        let job = Job { db in
            do {
                slot.outcome = .success(try db.transaction { db in try body(db) })
            } catch {
                slot.outcome = .failure(error)
            }
        }
        var leads = state.withLock { s -> Bool in
            s.queue.append(job)
            guard !s.leaderActive else { return false }
            s.leaderActive = true
            return true
        }
        while true {
            if leads {
                lead()
                leads = false
            }
            let seen = job.wake.generation
            let (finished, promoted) = state.withLock { _ in (job.finished, job.promoted) }
            if finished {
                if let failure = job.commitFailure { throw failure }
                return try finish(slot.outcome)
            }
            if promoted {
                state.withLock { _ in job.promoted = false }
                leads = true
                continue
            }
            // The timeout is a safety net only; the leader signals this job.
            _ = job.wake.wait(after: seen, timeoutNanos: 1_000_000_000)
        }
    }

    private func finish<T>(_ outcome: Result<T, any Error>?) throws -> T {
        guard let outcome else { throw SQLiteError(code: 1, message: "group commit lost a result", operation: "write") }
        return try outcome.get()
    }

    /// As leader: runs the queued jobs (at most `maxBatch`) in one transaction, publishes their
    /// results, wakes their callers, and passes the leadership on to the next queued job.
    private func lead() {
        let jobs = state.withLock { s -> [Job] in
            let count = min(maxBatch, s.queue.count)
            let taken = Array(s.queue.prefix(count))
            s.queue.removeFirst(count)
            return taken
        }
        transactions.add(1, ordering: .relaxed)
        var commitError: (any Error)?
        do {
            try database.transaction { db in
                for job in jobs { job.run(db) }
            }
        } catch {
            commitError = error
        }
        let next = state.withLock { s -> Job? in
            for job in jobs {
                job.commitFailure = commitError
                job.finished = true
            }
            guard let next = s.queue.first else {
                s.leaderActive = false
                return nil
            }
            next.promoted = true
            return next
        }
        for job in jobs { job.wake.signal() }
        next?.wake.signal()
    }
}


/// Where a leader leaves one body's outcome for its caller; written before `finished` is set
/// under the committer's lock and read after, so the lock orders the accesses.
private final class ResultSlot<T>: @unchecked Sendable {
    var outcome: Result<T, any Error>?
}
