internal import SystemIO
internal import Synchronization

/// Counts threads that have finished, so a stopper can wait for them with a deadline.
/// Reference type; thread-safe.
final class ThreadLatch: Sendable {
    private let finished = Atomic<Int>(0)
    private let signal = ConditionSignal()

    /// Records that one thread finished.
    func done() {
        finished.add(1, ordering: .releasing)
        signal.signal()
    }

    /// Waits until `count` threads finished or `timeoutNanos` pass; returns whether they did.
    func wait(for count: Int, timeoutNanos: UInt64) -> Bool {
        let start = SystemTimeSource().monotonicNanos()
        while finished.load(ordering: .acquiring) < count {
            let seen = signal.generation
            if finished.load(ordering: .acquiring) >= count { break }
            let elapsed = SystemTimeSource().monotonicNanos() &- start
            guard elapsed < timeoutNanos else { return false }
            _ = signal.wait(after: seen, timeoutNanos: min(timeoutNanos - elapsed, 100_000_000))
        }
        return true
    }
}
