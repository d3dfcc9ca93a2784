import SystemIO
import Synchronization

/// A small, bounded set of OS threads that run the blocking client calls behind the async API
/// (admin requests, `flush`), so an awaiting task never blocks a thread of Swift's cooperative
/// pool and no call starts a thread of its own.
///
/// Invariants: at most `maxThreads` threads ever exist; they start lazily (one more only when
/// a job arrives and none is idle) and then live for the process, waiting for jobs. Jobs run in
/// submission order as threads free up, so a burst of slow calls queues instead of multiplying
/// threads. Thread-safety: `Sendable`; `submit` and `run` may be called from anywhere.
///
/// Cancellation: ``run(_:)`` ends the await at once with `CancellationError`; a job that has not
/// started yet is then skipped, a running one finishes in the background (bounded by the
/// client's own timeouts) and its result is dropped.
final class BlockingWorkerPool: Sendable {
    /// The pool shared by every client in the process.
    static let shared = BlockingWorkerPool(maxThreads: 4)

    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var threads = 0
        var idle = 0

        var isEmpty: Bool { head == jobs.count }

        mutating func pop() -> (@Sendable () -> Void)? {
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            if head > 64 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }

    /// The most threads this pool starts.
    let maxThreads: Int
    private let queue = Mutex(Queue())
    private let signal = ConditionSignal()

    /// A pool of at most `maxThreads` (at least 1) threads, none started yet.
    init(maxThreads: Int) {
        self.maxThreads = max(1, maxThreads)
    }

    /// How many threads the pool has started (a gauge for tests).
    var threadCount: Int { queue.withLock { $0.threads } }

    /// Queues `job`; returns false when no thread exists and none could be started.
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let spawn = queue.withLock { queue -> Bool in
            queue.jobs.append(job)
            guard queue.jobs.count - queue.head > queue.idle, queue.threads < maxThreads else { return false }
            queue.threads += 1
            return true
        }
        if spawn {
            do {
                try SystemThread.spawn(name: "kafka-async-worker") { [self] in work() }
            } catch {
                // Without any thread the job never runs (callers resolve it as failed; a job
                // left in the queue is skipped by a later thread once resolved).
                let none = queue.withLock { queue -> Bool in
                    queue.threads -= 1
                    return queue.threads == 0
                }
                if none { return false }
            }
        }
        signal.signalOne()
        return true
    }

    /// Runs `body` on a pool thread and awaits its result without blocking the caller's thread.
    /// Throws `body`'s `KafkaClientError`, or `CancellationError` when the awaiting task is
    /// cancelled (see the type's notes).
    func run<T: Sendable>(_ body: @escaping @Sendable () throws(KafkaClientError) -> T) async throws -> T {
        try await AsyncOneShot<T>.run { shot in
            let queued = submit {
                guard !shot.isResolved else { return }
                do throws(KafkaClientError) {
                    shot.resolve(.success(try body()))
                } catch {
                    shot.resolve(.failure(error))
                }
            }
            if !queued {
                shot.resolve(.failure(KafkaClientError.invalidArgument("cannot start a worker thread for the async client call")))
            }
        }
    }

    private func work() {
        while true {
            let seen = signal.generation
            let job = queue.withLock { queue -> (@Sendable () -> Void)? in
                if let job = queue.pop() { return job }
                queue.idle += 1
                return nil
            }
            if let job {
                job()
                continue
            }
            signal.wait(after: seen, timeoutNanos: 60_000_000_000)
            queue.withLock { $0.idle -= 1 }
        }
    }
}
