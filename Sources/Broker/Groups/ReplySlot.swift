import SystemIO
import Synchronization

/// Where a parked JoinGroup or SyncGroup waits for its answer: the coordinator fills it (under
/// its own lock) when the rebalance phase completes; the connection thread blocks in `wait`.
///
/// Filled at most once; later fills are ignored. Thread-safe.
final class ReplySlot<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let filled = ConditionSignal()

    /// Stores the answer (first fill wins) and wakes the waiter.
    func fill(_ answer: Value) {
        let stored = value.withLock { current -> Bool in
            guard current == nil else { return false }
            current = answer
            return true
        }
        if stored { filled.signal() }
    }

    var isFilled: Bool { value.withLock { $0 != nil } }

    /// Blocks until filled or `timeoutNanos` pass; nil on timeout.
    func wait(timeoutNanos: UInt64) -> Value? {
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() &+ timeoutNanos
        while true {
            let seen = filled.generation
            if let answer = value.withLock({ $0 }) { return answer }
            let now = clock.monotonicNanos()
            guard now < deadline else { return nil }
            filled.wait(after: seen, timeoutNanos: deadline - now)
        }
    }
}
