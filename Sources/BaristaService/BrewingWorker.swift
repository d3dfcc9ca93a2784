import Synchronization
import SystemIO
import ServiceKit

/// Runs `BrewScheduler` steps on one dedicated thread until stopped.
///
/// The loop: note the wake-up signal's generation, run a step at `clock()`, tell the outbox
/// relay when the step emitted events, update the metrics, then — unless the step left work
/// for an immediate next step — wait on the wake-up signal (new orders committed) until the
/// next ticket's finish time, at most `idleMillis`. Reading the generation before the step
/// means an order committed during the step wakes the very next wait. A failing step (the
/// database is busy, full, read-only) is logged and retried after `retryMillis`; nothing of
/// it was written.
///
/// Reference type, `Sendable`: `start` and `stop` may be called from any thread; `stop`
/// returns once the loop has exited. Starting twice, or after a stop, does nothing.
final class BrewingWorker: Sendable {
    /// What the loop needs, fixed at start.
    struct Setup: Sendable {
        /// The step to run.
        var scheduler: BrewScheduler
        /// Unix milliseconds now (the same clock as the service's handlers).
        var clock: @Sendable () -> Int64
        /// Signalled when new orders are committed; `stop` signals it too.
        var wakeup: ConditionSignal
        /// Called after a step that wrote outbox rows committed.
        var outboxChanged: @Sendable () -> Void
        /// Where the counters and gauges go.
        var metrics: Metrics
        /// Where failures are reported.
        var logger: Logger
        /// The longest wait without a signal or a due ticket (a safety net, not a poll).
        var idleMillis: Int64 = 1_000
        /// The wait after a failed step.
        var retryMillis: Int64 = 200
        /// The least time between two full counts of the queue for the queue-depth gauge.
        var queueCountIntervalMillis: Int64 = 500
    }

    private enum Phase { case idle, running, stopping, stopped }

    private let phase = Mutex(Phase.idle)
    private let wakeup = Mutex<ConditionSignal?>(nil)
    private let exited = ConditionSignal()

    /// A worker that has not started.
    init() {}

    /// Starts the loop on a new thread. Throws `SystemError` when the thread cannot be created.
    func start(_ setup: Setup) throws {
        let starting = phase.withLock { phase -> Bool in
            guard phase == .idle else { return false }
            phase = .running
            return true
        }
        guard starting else { return }
        wakeup.withLock { $0 = setup.wakeup }
        BaristaMetrics.declare(in: setup.metrics)
        do {
            try SystemThread.spawn(name: "barista-scheduler") { [self] in
                run(setup)
                phase.withLock { $0 = .stopped }
                exited.signal()
            }
        } catch {
            phase.withLock { $0 = .stopped }
            throw error
        }
    }

    /// Asks the loop to stop, wakes it and waits until it has exited (its current step, if
    /// any, commits or rolls back first).
    func stop() {
        let running = phase.withLock { phase -> Bool in
            guard phase == .running else { return phase == .stopping }
            phase = .stopping
            return true
        }
        guard running else { return }
        wakeup.withLock { $0 }?.signal()
        while true {
            let seen = exited.generation
            if phase.withLock({ $0 }) == .stopped { return }
            exited.wait(after: seen, timeoutNanos: 100_000_000)
        }
    }

    private var isRunning: Bool { phase.withLock { $0 } == .running }

    private func run(_ setup: Setup) {
        var lastQueueCount: Int64?
        while isRunning {
            let seen = setup.wakeup.generation
            let now = setup.clock()
            let result: SchedulerStepResult
            do {
                result = try setup.scheduler.runSchedulerStep(now: now)
            } catch {
                setup.logger.log(.error, "brewing step failed, retrying in \(setup.retryMillis) ms: \(error)")
                setup.wakeup.wait(after: setup.wakeup.generation, timeoutNanos: UInt64(setup.retryMillis) * 1_000_000)
                continue
            }
            if result.emittedEvents > 0 { setup.outboxChanged() }
            setup.metrics.increment(BaristaMetrics.ticketsBrewed, by: Double(result.finishedTickets))
            setup.metrics.set(BaristaMetrics.brewingTickets, to: Double(result.brewingTickets))
            if let remaining = result.queuedTicketsRemaining {
                setup.metrics.set(BaristaMetrics.queueDepth, to: Double(remaining))
            } else if lastQueueCount.map({ now < $0 || now - $0 >= setup.queueCountIntervalMillis }) ?? true {
                // Counting a long queue costs a scan, so do it at most every interval.
                if let count = try? setup.scheduler.queuedTicketCount() {
                    setup.metrics.set(BaristaMetrics.queueDepth, to: Double(count))
                }
                lastQueueCount = now
            }
            if result.hasMoreWork { continue }
            var waitMillis = setup.idleMillis
            if let next = result.nextFinishAtMs { waitMillis = min(waitMillis, max(0, next - setup.clock())) }
            if waitMillis > 0 {
                setup.wakeup.wait(after: seen, timeoutNanos: UInt64(waitMillis) * 1_000_000)
            }
        }
    }
}
