public import SQLite
public import EventContracts
public import HTTPServer
public import ServiceKit
import SystemIO

/// The barista-service: the order desk. It turns `OrderPlaced` into tickets and requests each
/// drink on the brewing queue (`coffee.brew-queue`), follows the barista workers' results
/// (`coffee.brew-results`), and publishes the barista's decisions on `coffee.barista`
/// (`OrderBrewingStarted`, `OrderReady`, `OrderCancelled`, `CancellationRejected`,
/// `OrderFailed`), all through the outbox. The brewing itself is done by any number of
/// stateless `barista-worker` processes sharing the queue through a share group.
///
/// Consumes `coffee.orders` (`OrderPlaced`, `OrderCancellationRequested`, `OrderPickedUp`;
/// other types are skipped) in partition order, see `OrderDesk`, and `coffee.brew-results`,
/// see `BrewResultDesk`. Routes: see `BaristaRoutes`. Tables: see `BaristaMigrations`.
/// Settings: see `BaristaSettings`.
///
/// Value type, `Sendable`; holds no threads of its own.
public struct BaristaService: CoffeeService {
    /// `barista-service`.
    public let name = "barista-service"
    /// What the shop cannot make.
    public let settings: BaristaSettings
    /// Unix milliseconds now; the handlers' only clock.
    private let clock: @Sendable () -> Int64

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

    /// `[.orders, .brewResults]`.
    public var consumedTopics: [CoffeeTopic] { [.orders, .brewResults] }

    /// Applies one consumed event inside the chassis' transaction; see `OrderDesk` and
    /// `BrewResultDesk`. Throws `PermanentHandlerError` for a cancellation or pickup of an
    /// unknown order and for a result of an unknown ticket.
    public func handle(_ event: ConsumedEvent, db: Database, context: ServiceContext) throws -> [CoffeeEvent] {
        let events: [CoffeeEvent]
        switch event.event {
        case .drinkStarted, .drinkBrewed, .drinkFailed:
            events = try BrewResultDesk(clock: clock).apply(event.event, db: db)
            if case .drinkBrewed = event.event { context.metrics.increment(BaristaMetrics.ticketsBrewed) }
        default:
            events = try OrderDesk(settings: settings, clock: clock).apply(event.event, db: db)
        }
        return events
    }

    /// Adds `GET /tickets/{orderId}`, `GET /admin/snapshot` and `GET /admin/stats`.
    /// Also declares the service's metric families, so `/metrics` lists them from the start.
    public func addRoutes(to router: inout HTTPRouter, context: ServiceContext) {
        BaristaMetrics.declare(in: context.metrics)
        BaristaRoutes.add(to: &router, database: context.database, logger: context.logger.named("barista-http"))
    }

    /// Logs what the desk cannot make; the brewing runs in the barista workers.
    public func startWorkers(context: ServiceContext) throws {
        context.logger.named("barista-desk").log(.info, "order desk up; drinks go to \(CoffeeTopic.brewQueue.name), "
            + "cannot make [\(settings.cannotMake.sorted().joined(separator: ", "))]")
    }
}
