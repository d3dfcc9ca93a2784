#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A generation counter that threads can wait on: `signal()` bumps it and wakes every waiter;
/// `wait(after:timeoutNanos:)` sleeps until the generation moves past a value or the timeout
/// (measured on the real monotonic clock) passes. Used to wake parked fetches when data is appended.
///
/// Thread-safe (a pthread mutex and a condition variable on CLOCK_MONOTONIC).
public final class ConditionSignal: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var generationValue: UInt64 = 0

    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// The current generation.
    public var generation: UInt64 {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return generationValue
    }

    /// Bumps the generation and wakes all waiters.
    public func signal() {
        pthread_mutex_lock(mutex)
        generationValue &+= 1
        pthread_mutex_unlock(mutex)
        pthread_cond_broadcast(condition)
    }

    /// Bumps the generation and wakes one waiter (at least one, if any is waiting). For work
    /// queues, where waking every idle thread for one job only makes them fight over it.
    public func signalOne() {
        pthread_mutex_lock(mutex)
        generationValue &+= 1
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)
    }

    /// Waits until the generation differs from `seen` or `timeoutNanos` pass; returns the
    /// generation at wake-up.
    @discardableResult
    public func wait(after seen: UInt64, timeoutNanos: UInt64) -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let start = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        let (sum, overflow) = start.addingReportingOverflow(timeoutNanos)
        let deadlineNanos = overflow ? UInt64(Int64.max) : min(sum, UInt64(Int64.max))
        var deadline = timespec()
        deadline.tv_sec = Int(deadlineNanos / 1_000_000_000)
        deadline.tv_nsec = Int(deadlineNanos % 1_000_000_000)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while generationValue == seen {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
        }
        return generationValue
    }
}
