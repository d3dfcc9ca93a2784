import SystemIO
import Synchronization

/// A reply that is not ready yet: a request that waits (a long-poll fetch, a group join, a
/// produce waiting for its sync). Whoever finishes the request calls `complete` once; the
/// connection layer learns of it through `whenReady` (its callback runs exactly once, on the
/// thread that completes, or at once if already complete). `wait` blocks a thread instead, for
/// tests and for callers that do want to block.
///
/// The first `complete` wins; later ones are ignored. Thread-safe.
public final class PendingReply: Sendable {
    private let state = Mutex<(reply: BrokerReply?, callback: (@Sendable (BrokerReply) -> Void)?)>((nil, nil))
    private let filled = ConditionSignal()

    public init() {}

    /// Whether the reply is ready.
    public var isComplete: Bool { state.withLock { $0.reply != nil } }

    /// Sets the reply (first call wins) and runs the waiting callback.
    @discardableResult
    public func complete(_ reply: BrokerReply) -> Bool {
        let callback = state.withLock { state -> (@Sendable (BrokerReply) -> Void)?? in
            guard state.reply == nil else { return .none }
            state.reply = reply
            defer { state.callback = nil }
            return .some(state.callback)
        }
        guard let callback else { return false }
        filled.signal()
        callback?(reply)
        return true
    }

    /// Runs `callback` with the reply once it is ready (at once when it already is). Set once.
    public func whenReady(_ callback: @escaping @Sendable (BrokerReply) -> Void) {
        let ready = state.withLock { state -> BrokerReply? in
            if let reply = state.reply { return reply }
            state.callback = callback
            return nil
        }
        if let ready { callback(ready) }
    }

    /// Blocks until the reply is ready or `timeoutNanos` pass; nil on timeout.
    public func wait(timeoutNanos: UInt64) -> BrokerReply? {
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() &+ timeoutNanos
        while true {
            let seen = filled.generation
            if let reply = state.withLock({ $0.reply }) { return reply }
            let now = clock.monotonicNanos()
            guard now < deadline else { return nil }
            filled.wait(after: seen, timeoutNanos: deadline - now)
        }
    }
}
