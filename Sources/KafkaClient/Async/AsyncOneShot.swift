import Synchronization

/// Bridges one callback-reported outcome to one awaiting task, without blocking a thread.
///
/// Invariants: the continuation is resumed exactly once, by whichever comes first — the
/// callback's ``resolve(_:)`` or the awaiting task's cancellation (`CancellationError`); later
/// resolutions are ignored. Thread-safety: `Sendable`; `resolve` may be called from any thread,
/// before or after the task starts waiting.
final class AsyncOneShot<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var outcome: Result<Value, any Error>?
        var resolved = false
    }

    private let state = Mutex(State())

    /// Whether an outcome (or the cancellation) already arrived.
    var isResolved: Bool { state.withLock { $0.resolved } }

    /// Delivers `result` to the waiting task (or keeps it until the task waits); only the first
    /// call counts.
    func resolve(_ result: Result<Value, any Error>) {
        let waiting = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            guard !state.resolved else { return nil }
            state.resolved = true
            guard let continuation = state.continuation else {
                state.outcome = result
                return nil
            }
            state.continuation = nil
            return continuation
        }
        waiting?.resume(with: result)
    }

    private func install(_ continuation: CheckedContinuation<Value, any Error>) {
        let ready = state.withLock { state -> Result<Value, any Error>? in
            if let outcome = state.outcome {
                state.outcome = nil
                return outcome
            }
            state.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(with: ready) }
    }

    /// Runs `start` (synchronously, once the task is ready to wait) with a fresh one-shot and
    /// waits for its outcome. Cancelling the awaiting task ends the wait at once with
    /// `CancellationError`; whatever `start` began keeps running and its late outcome is dropped.
    static func run(_ start: (AsyncOneShot<Value>) -> Void) async throws -> Value {
        try Task.checkCancellation()
        let shot = AsyncOneShot<Value>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                shot.install(continuation)
                start(shot)
            }
        } onCancel: {
            shot.resolve(.failure(CancellationError()))
        }
    }
}
