import Synchronization

/// A request waiting in the `Purgatory` (Kafka's `DelayedOperation`): what it waits for (its
/// watch keys, e.g. a partition), until when (its deadline on the broker's monotonic clock),
/// and how to finish. `attempt(force:)` builds the reply when the request can be answered now,
/// or always when `force` (the deadline passed, or shutdown); it returns nil to keep waiting.
///
/// An operation completes exactly once: `tryComplete` serialises attempts and marks it done.
/// Thread-safe.
final class DelayedOperation: Sendable {
    /// What kind of request this is (for the broker's metrics and tests).
    enum Kind: Sendable { case fetch, join, sync, produce, admin }

    let kind: Kind
    let keys: [String]
    let deadline: UInt64
    let pending: PendingReply
    private let attempt: @Sendable (_ force: Bool) -> BrokerReply?
    private let done = Mutex(false)

    init(kind: Kind, keys: [String], deadline: UInt64, pending: PendingReply = PendingReply(),
         attempt: @escaping @Sendable (_ force: Bool) -> BrokerReply?) {
        self.kind = kind
        self.keys = keys
        self.deadline = deadline
        self.pending = pending
        self.attempt = attempt
    }

    var isDone: Bool { done.withLock { $0 } }

    /// Tries to finish (always succeeds with `force`); returns whether the operation is done now.
    @discardableResult
    func tryComplete(force: Bool) -> Bool {
        let reply = done.withLock { done -> BrokerReply? in
            guard !done else { return nil }
            guard let reply = attempt(force) else { return nil }
            done = true
            return reply
        }
        guard let reply else { return isDone }
        pending.complete(reply)
        return true
    }
}
