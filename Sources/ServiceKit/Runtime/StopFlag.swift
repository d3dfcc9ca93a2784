internal import SystemIO
internal import Synchronization

/// A one-way "stop requested" flag that sleepers can wait on. Reference type; thread-safe.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    private let signal = ConditionSignal()

    /// Whether `set()` was called.
    var isSet: Bool { flag.load(ordering: .acquiring) }

    /// Requests the stop and wakes every sleeper.
    func set() {
        flag.store(true, ordering: .releasing)
        signal.signal()
    }

    /// Sleeps `duration` unless the stop comes first; returns false when stopping.
    func sleep(_ duration: Duration) -> Bool {
        let seen = signal.generation
        if isSet { return false }
        _ = signal.wait(after: seen, timeoutNanos: duration.nanoseconds)
        return !isSet
    }
}

extension Duration {
    /// The duration in whole nanoseconds, 0 when negative (for `ConditionSignal` timeouts).
    var nanoseconds: UInt64 {
        let (s, atto) = components
        guard s >= 0 else { return 0 }
        return UInt64(s) &* 1_000_000_000 &+ UInt64(atto / 1_000_000_000)
    }

    /// The duration in whole milliseconds, 0 when negative.
    var milliseconds: Int { Int(nanoseconds / 1_000_000) }
}
