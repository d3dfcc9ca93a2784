import ServiceKit
import SystemIO
internal import Synchronization

/// The background thread that runs `NotificationFileSink.writePending` after every committed
/// batch of consumed events (woken by `ServiceContext.eventsCommitted`), and at least every
/// `interval` otherwise; after a failure it retries with a backoff doubling up to 30 s.
///
/// `stop` asks the thread to make one last pass and waits for it to end. Thread-safe; the
/// same worker may be started again after it stopped.
final class SinkWriterWorker: Sendable {
    private struct State {
        var running = false
        var stopRequested = false
        var wakeup: ConditionSignal?
    }

    private let state = Mutex(State())
    private let finished = ConditionSignal()

    /// Starts the thread; does nothing when it is already running.
    func start(sink: NotificationFileSink, context: ServiceContext, intervalMillis: Int) throws {
        let alreadyRunning = state.withLock { state -> Bool in
            if state.running { return true }
            state.running = true
            state.stopRequested = false
            state.wakeup = context.eventsCommitted
            return false
        }
        if alreadyRunning { return }
        do {
            try SystemThread.spawn(name: "notification-sink") { [self] in
                run(sink: sink, context: context, intervalMillis: intervalMillis)
            }
        } catch {
            state.withLock { $0.running = false }
            throw error
        }
    }

    /// Asks the thread to stop and waits for it, at most `timeoutMillis`.
    func stop(timeoutMillis: Int = 10_000) {
        let wakeup = state.withLock { state -> ConditionSignal? in
            state.stopRequested = true
            return state.running ? state.wakeup : nil
        }
        guard let wakeup else { return }
        wakeup.signal()
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + UInt64(max(0, timeoutMillis)) * 1_000_000
        while true {
            let seen = finished.generation
            guard state.withLock({ $0.running }) else { return }
            let now = clock.monotonicNanos()
            guard now < deadline else { return }
            finished.wait(after: seen, timeoutNanos: deadline - now)
        }
    }

    private func run(sink: NotificationFileSink, context: ServiceContext, intervalMillis: Int) {
        let logger = context.logger
        var backoffMillis = 0
        while true {
            // Read the generation before the pass: a commit during the pass then ends the wait at once.
            let seen = context.eventsCommitted.generation
            let stopping = state.withLock { $0.stopRequested }
            do {
                let written = try sink.writePending(database: context.database)
                if written > 0 { context.metrics.increment(NotificationMetrics.sinkLines, by: Double(written)) }
                backoffMillis = 0
            } catch {
                backoffMillis = min(30_000, max(100, backoffMillis * 2))
                logger.error("notification sink \(sink.path): \(error); retrying in \(backoffMillis) ms")
            }
            if stopping { break }
            let waitMillis = backoffMillis > 0 ? backoffMillis : intervalMillis
            context.eventsCommitted.wait(after: seen, timeoutNanos: UInt64(waitMillis) * 1_000_000)
        }
        sink.close()
        state.withLock { $0.running = false }
        finished.signal()
    }
}
