public import SQLite
internal import SystemIO
internal import Synchronization

/// Group commit for concurrent writers (HTTP handlers): every `write` runs its body in its own
/// savepoint, but bodies that arrive while a commit is in progress share the next transaction,
/// so N concurrent requests cost one fsync instead of N.
///
/// No thread of its own: the first caller that finds no commit in progress becomes the leader,
/// takes every queued body (its own included), runs them in one transaction and completes them
/// all; the others wait for their result. A body that throws has only its own savepoint rolled
/// back and gets its error; if the COMMIT itself fails, every body of that batch gets the error
/// and none of their writes exist. A result is returned only after its transaction committed.
///
/// Thread-safety: `write` may be called from any number of threads. A body must not call
/// `write` again (it would wait for itself) and must use only the `Database` it is given.
public final class GroupCommitter: Sendable {
    /// A queued body with its result slot; handed from its caller to the leader under the lock.
    private final class Job: @unchecked Sendable {
        let run: (Database) -> Void
        var finished = false
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
    private let batchDone = ConditionSignal()
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
        state.withLock { $0.queue.append(job) }
        while true {
            let seen = batchDone.generation
            let batch: [Job]? = state.withLock { s in
                if job.finished { return [] }
                guard !s.leaderActive else { return nil }
                s.leaderActive = true
                let count = min(maxBatch, s.queue.count)
                let taken = Array(s.queue.prefix(count))
                s.queue.removeFirst(count)
                return taken
            }
            switch batch {
            case .some(let jobs) where jobs.isEmpty:
                // Finished (by this thread as leader or by another).
                if let failure = job.commitFailure { throw failure }
                return try finish(slot.outcome)
            case .some(let jobs):
                lead(jobs)
            case .none:
                _ = batchDone.wait(after: seen, timeoutNanos: 1_000_000_000)
            }
        }
    }

    private func finish<T>(_ outcome: Result<T, any Error>?) throws -> T {
        guard let outcome else { throw SQLiteError(code: 1, message: "group commit lost a result", operation: "write") }
        return try outcome.get()
    }

    /// Runs `jobs` in one transaction and publishes their results.
    private func lead(_ jobs: [Job]) {
        transactions.add(1, ordering: .relaxed)
        var commitError: (any Error)?
        do {
            try database.transaction { db in
                for job in jobs { job.run(db) }
            }
        } catch {
            commitError = error
        }
        state.withLock { s in
            for job in jobs {
                job.commitFailure = commitError
                job.finished = true
            }
            s.leaderActive = false
        }
        batchDone.signal()
    }
}


/// Where a leader leaves one body's outcome for its caller; written before `finished` is set
/// under the committer's lock and read after, so the lock orders the accesses.
private final class ResultSlot<T>: @unchecked Sendable {
    var outcome: Result<T, any Error>?
}
