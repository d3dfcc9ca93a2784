import SystemIO
import Synchronization

/// Where a parked JoinGroup or SyncGroup gets its answer: the coordinator fills it (under its
/// own lock) when the rebalance phase completes; the waiting request is completed by the
/// callback registered with `onFill` (or a thread blocks in `wait`).
///
/// Filled at most once; later fills are ignored. Thread-safe.
final class ReplySlot<Value: Sendable>: Sendable {
    private let state = Mutex<(value: Value?, callback: (@Sendable (Value) -> Void)?)>((nil, nil))
    private let filled = ConditionSignal()

    /// Stores the answer (first fill wins), wakes a waiter and runs the callback.
    func fill(_ answer: Value) {
        let (stored, callback) = state.withLock { state -> (Bool, (@Sendable (Value) -> Void)?) in
            guard state.value == nil else { return (false, nil) }
            state.value = answer
            defer { state.callback = nil }
            return (true, state.callback)
        }
        guard stored else { return }
        filled.signal()
        callback?(answer)
    }

    var isFilled: Bool { state.withLock { $0.value != nil } }

    /// The answer, if it arrived.
    var value: Value? { state.withLock { $0.value } }

    /// Runs `callback` with the answer when it arrives (at once if it already has). Set once.
    func onFill(_ callback: @escaping @Sendable (Value) -> Void) {
        let ready = state.withLock { state -> Value? in
            if let value = state.value { return value }
            state.callback = callback
            return nil
        }
        if let ready { callback(ready) }
    }

    /// Blocks until filled or `timeoutNanos` pass; nil on timeout.
    func wait(timeoutNanos: UInt64) -> Value? {
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() &+ timeoutNanos
        while true {
            let seen = filled.generation
            if let answer = value { return answer }
            let now = clock.monotonicNanos()
            guard now < deadline else { return nil }
            filled.wait(after: seen, timeoutNanos: deadline - now)
        }
    }
}
