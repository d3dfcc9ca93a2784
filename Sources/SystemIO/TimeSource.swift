#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import Synchronization

/// Where code that needs the time gets it, so tests can inject a manual clock.
///
/// Implementations must be thread-safe.
public protocol TimeSource: Sendable {
    /// Wall-clock time in milliseconds since the Unix epoch (what Kafka timestamps use).
    func wallMillis() -> Int64
    /// A monotonic clock in nanoseconds, for measuring durations and deadlines.
    func monotonicNanos() -> UInt64
}

/// The real clocks: `CLOCK_REALTIME` and `CLOCK_MONOTONIC`.
public struct SystemTimeSource: TimeSource {
    public init() {}

    public func wallMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// A clock that moves only when told to; both clocks advance together. Thread-safe.
public final class ManualTimeSource: TimeSource {
    private let state: Mutex<(wall: Int64, mono: UInt64)>

    /// Starts at `wallMillis` on the wall clock and an arbitrary monotonic origin.
    public init(wallMillis: Int64 = 1_700_000_000_000) {
        state = Mutex((wallMillis, 1_000_000_000))
    }

    public func wallMillis() -> Int64 { state.withLock { $0.wall } }
    public func monotonicNanos() -> UInt64 { state.withLock { $0.mono } }

    /// Moves both clocks forward by `millis`.
    public func advance(millis: Int64) {
        state.withLock {
            $0.wall += millis
            $0.mono += UInt64(max(0, millis)) * 1_000_000
        }
    }
}
