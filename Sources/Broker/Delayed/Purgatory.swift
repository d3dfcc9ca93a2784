import Synchronization

/// Where requests that must wait are kept until they can be answered (Kafka's
/// `DelayedOperationPurgatory`), instead of parking a thread each.
///
/// An operation is watched under its keys (a partition for fetches and produce syncs); whoever
/// makes it answerable calls `notify(key)` (an append, a sync), which re-attempts every
/// operation under that key. Deadlines are enforced by `expire(now:)` — the server's timer
/// thread calls it at `nextDeadline`, tests call it after moving a manual clock — which forces
/// the late ones to answer. `completeAll` forces everything (shutdown).
///
/// `watch` registers before the first attempt, so a `notify` in between cannot be missed.
/// Thread-safety: every method from any thread; attempts run outside the purgatory's lock.
final class Purgatory: Sendable {
    private struct State {
        var byKey: [String: [DelayedOperation]] = [:]
        var all: [ObjectIdentifier: DelayedOperation] = [:]
    }

    private let state = Mutex(State())

    /// Watches `operation` and attempts it once; returns true when it completed at once.
    @discardableResult
    func watch(_ operation: DelayedOperation) -> Bool {
        state.withLock { state in
            state.all[ObjectIdentifier(operation)] = operation
            for key in operation.keys { state.byKey[key, default: []].append(operation) }
        }
        if operation.tryComplete(force: false) {
            remove(operation)
            return true
        }
        return false
    }

    /// Re-attempts the operations watching `key`; returns how many completed.
    @discardableResult
    func notify(_ key: String) -> Int {
        let candidates = state.withLock { $0.byKey[key] ?? [] }
        var completed = 0
        for operation in candidates where operation.tryComplete(force: false) {
            remove(operation)
            completed += 1
        }
        return completed
    }

    /// Re-attempts every operation (for changes that have no key, such as a deleted topic).
    func notifyAll() {
        for operation in state.withLock({ Array($0.all.values) }) where operation.tryComplete(force: false) {
            remove(operation)
        }
    }

    /// Forces the operations whose deadline is at or before `now` to answer.
    func expire(now: UInt64) {
        let late = state.withLock { $0.all.values.filter { $0.deadline <= now } }
        for operation in late {
            operation.tryComplete(force: true)
            remove(operation)
        }
    }

    /// Forces every operation to answer (shutdown).
    func completeAll() {
        for operation in state.withLock({ Array($0.all.values) }) {
            operation.tryComplete(force: true)
            remove(operation)
        }
    }

    /// Operations still waiting, of `kind` (or all).
    func count(_ kind: DelayedOperation.Kind? = nil) -> Int {
        state.withLock { state in kind.map { kind in state.all.values.filter { $0.kind == kind }.count } ?? state.all.count }
    }

    /// The earliest deadline among the waiting operations.
    var nextDeadline: UInt64? { state.withLock { $0.all.values.map(\.deadline).min() } }

    /// Removes a completed operation (also from an operation's own completion path).
    func remove(_ operation: DelayedOperation) {
        state.withLock { state in
            guard state.all.removeValue(forKey: ObjectIdentifier(operation)) != nil else { return }
            for key in operation.keys {
                state.byKey[key]?.removeAll { $0 === operation }
                if state.byKey[key]?.isEmpty == true { state.byKey[key] = nil }
            }
        }
    }
}
