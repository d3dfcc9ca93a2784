public import SystemIO
import Synchronization

/// Bounds the log cleaner's disk I/O (`log.cleaner.io.max.bytes.per.second`) so producers on
/// other partitions keep their latency while a large log is compacted.
///
/// `consumed(_:)` counts bytes read or written; once the bytes since the window started exceed
/// what the rate allows for the time elapsed, it returns how long to pause. The pause is taken
/// by the caller (`LogCleaner` waits on its stop signal, so a shutdown is never delayed), or
/// ignored in tests that drive a manual clock. Thread-safe.
public final class IOThrottle: Sendable {
    /// Bytes per second; `.infinity` = no limit.
    public let bytesPerSecond: Double
    private let time: any TimeSource
    private let state: Mutex<(windowStart: UInt64, bytes: Double)>

    public init(bytesPerSecond: Double, time: any TimeSource) {
        self.bytesPerSecond = bytesPerSecond
        self.time = time
        state = Mutex((time.monotonicNanos(), 0))
    }

    /// Counts `bytes`; returns the pause (nanoseconds) needed to stay within the rate, or 0.
    public func consumed(_ bytes: Int) -> UInt64 {
        guard bytesPerSecond.isFinite, bytesPerSecond > 0 else { return 0 }
        let now = time.monotonicNanos()
        return state.withLock { state in
            state.bytes += Double(bytes)
            let elapsed = Double(now &- state.windowStart) / 1e9
            let allowed = bytesPerSecond * elapsed
            // Restart the window every few seconds, so a long idle period is no credit.
            if elapsed > 5 && state.bytes <= allowed {
                state.windowStart = now
                state.bytes = 0
                return 0
            }
            guard state.bytes > allowed else { return 0 }
            return UInt64((state.bytes - allowed) / bytesPerSecond * 1e9)
        }
    }
}
