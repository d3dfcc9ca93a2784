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
        _ = signal.wait(after: seen, timeoutNanos: OutboxRelay.nanos(duration))
        return !isSet
    }
}
