import EventContracts
public import ServiceKit
public import SystemIO
import Synchronization

/// One barista: takes drinks from the brewing queue one at a time, brews each, publishes the
/// outcome, and only then acknowledges the queue record.
///
/// For each drink (`brew(_:)`):
/// 1. A value that is not a `DrinkRequested` is dead-lettered and REJECTed.
/// 2. `DrinkStarted` is published (not waited for: the later result, same key and producer,
///    cannot overtake it), then the worker brews for `settings.brewMillis`.
/// 3. A drink whose machine breaks (`MachineFailure`) is RELEASEd, so the queue delivers it
///    again, to this or another worker; once its delivery count reaches
///    `settings.maxAttempts` the worker dead-letters the record, publishes `DrinkFailed`
///    (waiting for the ack), and REJECTs it: archived, never delivered again.
/// 4. Otherwise `DrinkBrewed` is published and acknowledged by the broker, then the record is
///    ACCEPTed.
/// A publish that fails RELEASEs the drink (its outcome is not safe yet). A worker killed at
/// any point loses nothing: the unacknowledged drink comes back when its lock expires, and a
/// result published twice is a repeat the order desk ignores. A stop request during brewing
/// RELEASEs the drink at once rather than leaving it locked.
///
/// Reference type; `run` occupies the calling thread until `stop()`; `stop` may be called
/// from any thread.
public final class BaristaWorker: Sendable {
    /// What the worker does, fixed at creation.
    public let settings: BaristaWorkerSettings
    private let publisher: any DrinkResultPublisher
    private let metrics: Metrics
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let stopped = Atomic<Bool>(false)
    private let wake = ConditionSignal()

    /// A worker publishing through `publisher`; `clock` gives Unix ms (for dead-letter times).
    public init(settings: BaristaWorkerSettings, publisher: any DrinkResultPublisher, metrics: Metrics, logger: Logger,
                clock: @escaping @Sendable () -> Int64 = { SystemTimeSource().wallMillis() }) {
        self.settings = settings
        self.publisher = publisher
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        BaristaWorkerMetrics.declare(in: metrics)
    }

    /// Whether `stop()` was called.
    public var isStopping: Bool { stopped.load(ordering: .acquiring) }

    /// Asks `run` to return after the current drink (a drink being brewed is released at once).
    public func stop() {
        stopped.store(true, ordering: .releasing)
        wake.signal()
    }

    /// Takes, brews and acknowledges drinks from `queue` until `stop()`. A queue or broker
    /// failure is logged, reported through `onHealth(problem)`, and retried after a pause;
    /// `onHealth(nil)` is called after every successful take.
    public func run(queue: any DrinkQueue, onHealth: (String?) -> Void = { _ in }) {
        while !isStopping {
            let drink: QueuedDrink?
            do {
                drink = try queue.take(timeoutMs: 500)
                onHealth(nil)
            } catch {
                onHealth("cannot take drinks: \(error)")
                logger.warning("cannot take a drink from the queue, retrying: \(error)")
                pause(milliseconds: 500)
                continue
            }
            guard let drink else { continue }
            let acknowledgement = brew(drink)
            do {
                try queue.acknowledge(drink, acknowledgement)
            } catch {
                // Unacknowledged, the drink comes back when its lock expires (or, in a consumer
                // group, from the last committed offset); its result may then be published twice.
                logger.warning("cannot acknowledge \(drink.topic)/\(drink.partition)@\(drink.offset) (\(acknowledgement.rawValue)): \(error)")
            }
        }
    }

    /// Brews one drink and says how to acknowledge it (see the type's documentation).
    public func brew(_ drink: QueuedDrink) -> DrinkAcknowledgement {
        metrics.increment(BaristaWorkerMetrics.deliveries)
        guard let value = drink.value, case .drinkRequested(let request)? = try? CoffeeEvent.decode(json: value) else {
            let what = drink.value.map { (try? CoffeeEvent.decode(json: $0)).map { "a \($0.type), not a DrinkRequested" } ?? "not a valid event" }
                ?? "an empty value"
            do {
                try publisher.deadLetter(drink, error: "brewing queue record is \(what)", attempts: drink.deliveryCount,
                                         worker: settings.name, atMillis: clock())
            } catch {
                logger.warning("cannot dead-letter malformed record \(drink.partition)@\(drink.offset), releasing it: \(error)")
                return finish(.release, outcome: "unpublished")
            }
            logger.warning("dead-lettered malformed record \(drink.partition)@\(drink.offset): \(what)")
            return finish(.reject, outcome: "malformed")
        }
        let order = request.payload
        let attempt = drink.deliveryCount
        do {
            try publisher.publish(.drinkStarted(EventEnvelope(
                payload: DrinkStarted(orderId: order.orderId, ticketId: order.ticketId, worker: settings.name, attempt: attempt),
                correlationId: request.correlationId, occurredAt: DeadLetter.rfc3339(unixMillis: clock()))), waitForAck: false)
        } catch {
            logger.warning("DrinkStarted for \(order.ticketId) not published: \(error)")
        }
        metrics.set(BaristaWorkerMetrics.brewing, to: 1)
        let brewed = pause(milliseconds: settings.brewMillis(of: order.drink, size: order.size))
        metrics.set(BaristaWorkerMetrics.brewing, to: 0)
        guard brewed else { return finish(.release, outcome: "interrupted") }

        if MachineFailure.breaks(ticketId: order.ticketId, rate: settings.failRate) {
            guard attempt >= settings.maxAttempts else {
                logger.info("\(order.ticketId): \(MachineFailure.reason) (attempt \(attempt) of \(settings.maxAttempts)); releasing it")
                return finish(.release, outcome: "released")
            }
            do {
                try publisher.deadLetter(drink, error: "\(MachineFailure.reason) on every attempt", attempts: attempt,
                                         worker: settings.name, atMillis: clock())
                try publisher.publish(.drinkFailed(EventEnvelope(
                    payload: DrinkFailed(orderId: order.orderId, ticketId: order.ticketId, worker: settings.name,
                                         attempts: attempt, reason: MachineFailure.reason),
                    correlationId: request.correlationId, occurredAt: DeadLetter.rfc3339(unixMillis: clock()))), waitForAck: true)
            } catch {
                logger.warning("cannot report failed drink \(order.ticketId), releasing it: \(error)")
                return finish(.release, outcome: "unpublished")
            }
            logger.info("\(order.ticketId): gave up after \(attempt) attempts; dead-lettered")
            return finish(.reject, outcome: "failed")
        }
        do {
            try publisher.publish(.drinkBrewed(EventEnvelope(
                payload: DrinkBrewed(orderId: order.orderId, ticketId: order.ticketId, worker: settings.name, attempt: attempt),
                correlationId: request.correlationId, occurredAt: DeadLetter.rfc3339(unixMillis: clock()))), waitForAck: true)
        } catch {
            logger.warning("DrinkBrewed for \(order.ticketId) not published, releasing it: \(error)")
            return finish(.release, outcome: "unpublished")
        }
        return finish(.accept, outcome: "brewed")
    }

    private func finish(_ acknowledgement: DrinkAcknowledgement, outcome: String) -> DrinkAcknowledgement {
        metrics.increment(BaristaWorkerMetrics.drinks, labels: ["outcome": outcome])
        return acknowledgement
    }

    /// Waits `milliseconds` unless stopped first; true when the whole time passed.
    @discardableResult
    private func pause(milliseconds: Int64) -> Bool {
        guard milliseconds > 0 else { return !isStopping }
        let deadline = SystemTimeSource().monotonicNanos() + UInt64(milliseconds) * 1_000_000
        while !isStopping {
            let now = SystemTimeSource().monotonicNanos()
            if now >= deadline { return true }
            let seen = wake.generation
            if isStopping { break }
            _ = wake.wait(after: seen, timeoutNanos: deadline - now)
        }
        return false
    }
}
