public import EventContracts
public import HTTPServer
public import ServiceKit
public import SQLite

/// The order-service: owns members and orders, serves the HTTP JSON API customers call, and
/// moves its copy of each order's status forward from the barista's events.
///
/// - Tables: `members`, `orders`, `order_items`, `order_history`, `idempotency_keys`
///   (`OrderServiceMigrations`, versions 100–103).
/// - Publishes through the outbox, from HTTP handlers: `MemberRegistered` (key: member id),
///   `OrderPlaced`, `OrderCancellationRequested`, `OrderPickedUp` (key: order id; correlation
///   id: the order's, copied onto every event about it).
/// - Consumes `coffee.barista` (`OrderBrewingStarted`, `OrderReady`, `OrderCancelled`,
///   `CancellationRejected`, `OrderFailed`); see `BaristaEventApplier` for the rules (the
///   status never goes backwards; an unknown order is a `PermanentHandlerError`).
/// - Routes: see `OrderAPI`.
///
/// Value type; `Sendable`. Has no background workers.
public struct OrderService: CoffeeService {
    /// The settings the service runs with.
    public let settings: OrderServiceSettings
    private let purgeSchedule: PurgeSchedule

    /// How often expired idempotency keys are purged at most: every 10 minutes.
    static let purgeIntervalMillis: Int64 = 600_000

    /// Creates the service with `settings` (production defaults when omitted).
    public init(settings: OrderServiceSettings = OrderServiceSettings()) {
        self.settings = settings
        self.purgeSchedule = PurgeSchedule(intervalMillis: Self.purgeIntervalMillis)
    }

    /// `order-service`.
    public var name: String { "order-service" }

    /// The service's tables (`OrderServiceMigrations.all`).
    public var migrations: [Migration] { OrderServiceMigrations.all }

    /// `coffee.barista`.
    public var consumedTopics: [CoffeeTopic] { [.barista] }

    /// Applies a barista event to the order it names (inside the chassis' transaction, using
    /// only `db`). Publishes nothing in reaction. Throws `PermanentHandlerError` for an order
    /// this service does not know; `SQLiteError` propagates (the chassis retries).
    public func handle(_ event: ConsumedEvent, db: Database, context: ServiceContext) throws -> [CoffeeEvent] {
        let applier = BaristaEventApplier(nowMillis: settings.nowMillis, metrics: OrderMetrics(registry: context.metrics))
        try applier.apply(event.event, in: db)
        return []
    }

    /// Adds the API routes (see `OrderAPI`) and the coffee board's (`/board`, `/board/events`,
    /// `/board/snapshot`), which share one `BoardFeed`.
    public func addRoutes(to router: inout HTTPRouter, context: ServiceContext) {
        let api = api(context)
        api.addRoutes(to: &router)
        api.addBoardRoutes(to: &router, feed: BoardFeed(context: context, nowMillis: settings.nowMillis))
    }

    /// The HTTP API bound to `context`.
    func api(_ context: ServiceContext) -> OrderAPI {
        OrderAPI(context: context, settings: settings, metrics: OrderMetrics(registry: context.metrics),
                 purgeSchedule: purgeSchedule)
    }
}
