import LogStorage
import SystemIO
import Synchronization

/// Runs the fsyncs that `durability=always` appends (and `flush.messages`) need, on a few
/// threads of its own, so request threads never block on a disk sync and appends from many
/// connections and partitions share syncs: while one sync of a partition runs, every append
/// that arrives for it waits for the next one, which covers them all (group commit); syncs of
/// different partitions run side by side, and the file system commits them together.
///
/// `onSynced(key)` is called after each sync (success or failure), so waiting produces and
/// fetches can be re-checked. A failed sync is remembered per partition with the offset it
/// was for, so the produces waiting on it answer with an error instead of timing out.
/// Threads start with the first request and end with `stop`. Thread-safe.
final class SyncScheduler: Sendable {
    private struct Request {
        var log: PartitionLog
        var target: Int64
    }

    private struct State {
        var queued: [String: Request] = [:]
        var order: [String] = []
        var busy: Set<String> = []
        var failures: [String: (error: LogStorageError, target: Int64)] = [:]
        var threads = 0
        var stopping = false
        /// Syncs running on callers' threads (`syncNowOrQueue`) right now.
        var inline = 0
        /// Moving average of how long a sync took, in nanoseconds (1/8 weight to the newest).
        var averageSyncNanos: UInt64 = 0
    }

    /// On a slow disk (syncs averaging over `slowSyncNanos`), at most this many syncs run on
    /// callers' (request handler) threads at once; more are queued to the scheduler's threads.
    /// Handler threads blocked in a millisecond fsync would otherwise cap how many syncs run
    /// together (and so how many producers share a journal commit) at the handler count, and
    /// starve other requests. On a fast disk inline syncs win: no thread hand-off (measured on
    /// this project's VM, 62 µs fdatasync: 16 producers 5,100–5,700 records/s inline vs 2,900
    /// capped).
    static let maxInlineSyncs = 2
    static let slowSyncNanos: UInt64 = 1_000_000

    private let threadCount: Int
    private let onSynced: @Sendable (String) -> Void
    private let logger: Logger
    private let state = Mutex(State())
    private let work = ConditionSignal()
    private let finished = ConditionSignal()

    init(threads: Int, logger: Logger, onSynced: @escaping @Sendable (String) -> Void) {
        self.threadCount = max(1, threads)
        self.logger = logger
        self.onSynced = onSynced
    }

    /// Asks for `log` (watched under `key`) to be synced through `target`.
    func request(_ log: PartitionLog, key: String, through target: Int64) {
        let startThreads = state.withLock { state -> Int in
            guard !state.stopping else { return 0 }
            if var existing = state.queued[key] {
                existing.target = max(existing.target, target)
                state.queued[key] = existing
            } else {
                state.queued[key] = Request(log: log, target: target)
                state.order.append(key)
            }
            let missing = threadCount - state.threads
            state.threads = threadCount
            return missing
        }
        for index in 0..<startThreads {
            do {
                try SystemThread.spawn(name: "sync-\(index)") { [self] in run() }
            } catch {
                state.withLock { $0.threads -= 1 }
                logger.error("cannot start a sync thread: \(error)")
            }
        }
        work.signalOne()
    }

    /// Syncs `log` through `target` on the calling thread when nobody is syncing `key`, nothing
    /// is queued for it and fewer than `maxInlineSyncs` syncs already run on callers' threads
    /// (the common case: one thread hand-off less per produce), else queues the sync like
    /// `request`. Returns whether it synced here.
    @discardableResult
    func syncNowOrQueue(_ log: PartitionLog, key: String, through target: Int64) -> Bool {
        let mine = state.withLock { state -> Bool in
            let limit = state.averageSyncNanos > Self.slowSyncNanos ? Self.maxInlineSyncs : Int.max
            guard !state.stopping, state.inline < limit, !state.busy.contains(key), state.queued[key] == nil else { return false }
            state.busy.insert(key)
            state.inline += 1
            return true
        }
        guard mine else {
            request(log, key: key, through: target)
            return false
        }
        perform(key, Request(log: log, target: target))
        state.withLock { $0.inline -= 1 }
        return true
    }

    /// Runs one sync and tells who waits for it.
    private func perform(_ key: String, _ request: Request) {
        var failure: LogStorageError?
        let started = ContinuousClock.now
        do throws(LogStorageError) {
            try request.log.sync(through: request.target)
        } catch {
            failure = error
            logger.error("sync of \(key) failed: \(error)")
        }
        let elapsed = ContinuousClock.now - started
        let nanos = UInt64(max(0, elapsed.components.seconds)) * 1_000_000_000 + UInt64(max(0, elapsed.components.attoseconds / 1_000_000_000))
        let queuedAgain = state.withLock { state -> Bool in
            state.averageSyncNanos = (state.averageSyncNanos * 7 + nanos) / 8
            state.busy.remove(key)
            if let failure { state.failures[key] = (failure, request.target) } else { state.failures[key] = nil }
            return state.queued[key] != nil
        }
        onSynced(key)
        // A request for this key that queued while it was busy may run now.
        if queuedAgain { work.signalOne() }
    }

    /// The failure of the last sync of `key`, if it was for an offset at or past `target`.
    func failure(_ key: String, covering target: Int64) -> LogStorageError? {
        state.withLock { state in
            guard let failure = state.failures[key], failure.target >= target else { return nil }
            return failure.error
        }
    }

    /// Finishes the queued syncs and ends the threads.
    func stop() {
        state.withLock { $0.stopping = true }
        work.signal()
        var generation = finished.generation
        while state.withLock({ $0.threads }) > 0 {
            generation = finished.wait(after: generation, timeoutNanos: 100_000_000)
        }
    }

    private func next() -> (String, Request)? {
        state.withLock { state in
            guard let index = state.order.firstIndex(where: { !state.busy.contains($0) }) else { return nil }
            let key = state.order.remove(at: index)
            guard let request = state.queued.removeValue(forKey: key) else { return nil }
            state.busy.insert(key)
            return (key, request)
        }
    }

    private func run() {
        while true {
            let seen = work.generation
            if let (key, request) = next() {
                // Other partitions waiting: another thread syncs them at the same time.
                if state.withLock({ state in state.order.contains { !state.busy.contains($0) } }) { work.signalOne() }
                perform(key, request)
                continue
            }
            if state.withLock({ $0.stopping && $0.order.isEmpty }) { break }
            work.wait(after: seen, timeoutNanos: 1_000_000_000)
        }
        state.withLock { $0.threads -= 1 }
        finished.signal()
    }
}
