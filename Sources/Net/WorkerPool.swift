public import SystemIO
import Synchronization

/// A fixed set of threads running submitted work in submission order (first come, first
/// served). The broker's request handlers run here, so a handler may block briefly (a write, a
/// small read) without holding up the event loops; waits that can be long (long polls, group
/// joins, syncs) are not done on these threads at all.
///
/// Thread-safety: `submit` and `stop` from any thread.
public final class WorkerPool: Sendable {
    private let queue = Mutex(Queue())
    private let available = ConditionSignal()
    private let finished = ConditionSignal()

    private struct Queue {
        var items: [@Sendable () -> Void] = []
        var head = 0
        var stopping = false
        var running = 0

        mutating func pop() -> (@Sendable () -> Void)? {
            guard head < items.count else { return nil }
            let item = items[head]
            head += 1
            if head > 1024 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            return item
        }
    }

    /// Starts `threads` worker threads named `name-N`.
    public init(threads: Int, name: String) throws(SystemError) {
        for index in 0..<max(1, threads) {
            queue.withLock { $0.running += 1 }
            try SystemThread.spawn(name: "\(name)-\(index)") { [self] in work() }
        }
    }

    /// Queues `job`; it runs on a worker thread. After `stop` nothing runs.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        let accepted = queue.withLock { queue -> Bool in
            guard !queue.stopping else { return false }
            queue.items.append(job)
            return true
        }
        // One job, one thread: waking every idle worker would only make them race for it.
        if accepted { available.signalOne() }
    }

    /// Jobs waiting for a thread.
    public var queued: Int { queue.withLock { $0.items.count - $0.head } }

    /// Lets the threads finish the jobs already queued, then ends them and waits for them.
    public func stop() {
        queue.withLock { $0.stopping = true }
        available.signal()
        var generation = finished.generation
        while queue.withLock({ $0.running }) > 0 {
            generation = finished.wait(after: generation, timeoutNanos: 100_000_000)
        }
    }

    private func work() {
        while true {
            let seen = available.generation
            let (job, more, stop) = queue.withLock { queue -> ((@Sendable () -> Void)?, Bool, Bool) in
                let job = queue.pop()
                return (job, queue.head < queue.items.count, job == nil && queue.stopping)
            }
            if let job {
                // More queued than this thread takes: pass the wake-up on to another worker.
                if more { available.signalOne() }
                job()
                continue
            }
            if stop { break }
            available.wait(after: seen, timeoutNanos: 1_000_000_000)
        }
        queue.withLock { $0.running -= 1 }
        finished.signal()
    }
}
