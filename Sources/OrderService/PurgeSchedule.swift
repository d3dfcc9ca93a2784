import Synchronization

/// When to purge expired idempotency keys: at most once per `interval`, piggy-backed on a
/// successful `POST /orders` transaction (so no background thread is needed and a rejected
/// request still writes nothing). Reference type; thread-safe (one mutex).
final class PurgeSchedule: Sendable {
    /// Least time between two purges, in milliseconds.
    let intervalMillis: Int64
    private let lastPurgeMillis = Mutex<Int64?>(nil)

    /// A schedule whose first purge is due at once.
    init(intervalMillis: Int64) {
        self.intervalMillis = intervalMillis
    }

    /// True (and the purge counts as done now) when the last purge is `intervalMillis` old or
    /// there was none; false otherwise.
    func claim(now: Int64) -> Bool {
        lastPurgeMillis.withLock { last in
            if let previous = last, now - previous < intervalMillis, now >= previous { return false }
            last = now
            return true
        }
    }
}
