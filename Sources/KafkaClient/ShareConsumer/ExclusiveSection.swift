import SystemIO
import Synchronization

/// A section at most one thread runs at a time, waiting (or giving up, with `tryEnter`) while
/// another thread is inside. Unlike a `Mutex` it may be held across blocking network I/O: the
/// share consumer uses one for its session-epoch-changing requests and one for heartbeats.
/// Thread-safe.
final class ExclusiveSection: Sendable {
    private let busy = Mutex(false)
    private let released = ConditionSignal()

    init() {}

    /// Enters if free; false when another thread is inside.
    func tryEnter() -> Bool {
        busy.withLock { busy in
            guard !busy else { return false }
            busy = true
            return true
        }
    }

    /// Waits until the section is free and enters it.
    func enter() {
        while true {
            let seen = released.generation
            if tryEnter() { return }
            released.wait(after: seen, timeoutNanos: 50_000_000)
        }
    }

    /// Leaves the section (after `enter` or a successful `tryEnter`).
    func leave() {
        busy.withLock { $0 = false }
        released.signal()
    }

    /// Runs `body` inside the section.
    func run<T>(_ body: () throws(KafkaClientError) -> T) throws(KafkaClientError) -> T {
        enter()
        defer { leave() }
        return try body()
    }
}
