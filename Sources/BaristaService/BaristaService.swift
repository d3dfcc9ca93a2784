public import SQLite
public import EventContracts
public import HTTPServer
public import ServiceKit
import SystemIO

/// The barista-service: turns `OrderPlaced` into tickets, brews them with N simulated
/// baristas, and publishes the barista's decisions on `coffee.barista`
/// (`OrderBrewingStarted`, `OrderReady`, `OrderCancelled`, `CancellationRejected`,
/// `OrderFailed`), all through the outbox.
///
/// Consumes `coffee.orders` (`OrderPlaced`, `OrderCancellationRequested`, `OrderPickedUp`;
/// other types are skipped); see `OrderDesk` for what each does. The brewing runs on one
/// scheduler thread (`startWorkers`/`stopWorkers`), see `BrewScheduler`. Routes: see
/// `BaristaRoutes`. Tables: see `BaristaMigrations`. Settings: see `BaristaSettings`.
///
/// Value type, `Sendable`; copies share the one scheduler thread.
public struct BaristaService: CoffeeService {
    /// `barista-service`.
    public let name = "barista-service"
    /// Barista count, speed, what cannot be made.
    public let settings: BaristaSettings
    /// Unix milliseconds now; the handlers' and the scheduler's only clock.
    private let clock: @Sendable () -> Int64
    private let worker = BrewingWorker()

    /// Creates the service. `clock` (Unix ms) is injectable for tests; it defaults to the
    /// system wall clock.
    public init(settings: BaristaSettings = BaristaSettings(), clock: @escaping @Sendable () -> Int64 = BaristaService.systemClock) {
        self.settings = settings
        self.clock = clock
    }

    /// The real wall clock in Unix milliseconds.
    public static let systemClock: @Sendable () -> Int64 = { SystemTimeSource().wallMillis() }

    /// `BaristaMigrations.all` (versions from 100).
    public var migrations: [Migration] { BaristaMigrations.all }

    /// `[.orders]`.
    public var consumedTopics: [CoffeeTopic] { [.orders] }

    /// Applies one `coffee.orders` event inside the chassis' transaction; see `OrderDesk`.
    /// Throws `PermanentHandlerError` for a cancellation or pickup of an unknown order.
    public func handle(_ event: ConsumedEvent, db: Database, context: ServiceContext) throws -> [CoffeeEvent] {
        try OrderDesk(settings: settings, clock: clock).apply(event.event, db: db)
    }

    /// Adds `GET /tickets/{orderId}`, `GET /admin/snapshot` and `GET /admin/stats`.
    /// Also declares the service's metric families, so `/metrics` lists them from the start.
    public func addRoutes(to router: inout HTTPRouter, context: ServiceContext) {
        BaristaMetrics.declare(in: context.metrics)
        BaristaRoutes.add(to: &router, database: context.database, logger: context.logger.named("barista-http"))
    }

    /// Starts the scheduler thread: it wakes on `context.eventsCommitted` and at the next
    /// finish time, and calls `context.outboxChanged()` after steps that emitted events.
    public func startWorkers(context: ServiceContext) throws {
        let logger = context.logger.named("barista-scheduler")
        logger.log(.info, "brewing with \(settings.baristaCount) baristas, speed factor \(settings.speedFactor), "
            + "cannot make [\(settings.cannotMake.sorted().joined(separator: ", "))], fail rate \(settings.failRate)")
        try worker.start(BrewingWorker.Setup(
            scheduler: scheduler(database: context.database), clock: clock, wakeup: context.eventsCommitted,
            outboxChanged: { context.outboxChanged() }, metrics: context.metrics, logger: logger))
    }

    /// Stops the scheduler thread and waits for it (its last step commits or rolls back).
    public func stopWorkers() {
        worker.stop()
    }

    /// A scheduler over `database` with this service's settings, for driving steps directly
    /// (tests, tools); the worker thread uses the same.
    public func scheduler(database: Database) -> BrewScheduler {
        BrewScheduler(database: database, settings: settings)
    }
}
