internal import Synchronization

/// A value behind a lock, as a reference so escaping callbacks (delivery reports, handlers on
/// other threads) can share it. Thread-safe: every access holds the lock for `body`'s duration.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    /// Creates the box holding `value`.
    public init(_ value: Value) { mutex = Mutex(value) }
    /// Runs `body` with exclusive access to the value.
    public func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
