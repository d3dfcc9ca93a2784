import Foundation
import Synchronization
import Testing
import SQLite
import EventContracts
import ServiceKit
import SystemIO
@testable import BaristaService

/// A barista-service wired the way the chassis wires it, minus the broker: a migrated
/// database, a context, a manual clock, and `deliver` running `handle` inside the chassis'
/// own inbox+outbox transaction (`ServiceKit.handle`).
final class BaristaHarness: @unchecked Sendable {
    let db: Database
    let clock: ManualTimeSource
    let service: BaristaService
    let context: ServiceContext
    private let nextOffset = Mutex<Int64>(0)

    /// Opens (or creates) the database at `path` (in memory when nil) and migrates it. The
    /// service runs on `clock` unless `serviceClock` is given.
    init(settings: BaristaSettings = BaristaSettings(), path: String? = nil,
         clock: ManualTimeSource = ManualTimeSource(wallMillis: 1_700_000_000_000),
         serviceClock: (@Sendable () -> Int64)? = nil) throws {
        db = try path.map { try Database(path: $0) } ?? Database.inMemory()
        self.clock = clock
        service = BaristaService(settings: settings, clock: serviceClock ?? { clock.wallMillis() })
        try db.migrate(ServiceKitMigrations.including(service.migrations))
        context = ServiceContext(
            config: try ServiceConfig(serviceName: "barista-service", environment: { _ in nil }),
            database: db, metrics: Metrics(), logger: .silent, environment: { _ in nil })
    }

    /// The manual clock's time (Unix ms).
    var now: Int64 { clock.wallMillis() }

    /// Handles `event` as the chassis does: inbox mark, `handle`, outbox rows, one transaction.
    @discardableResult
    func deliver(_ event: CoffeeEvent) throws -> HandlerOutcome {
        let offset = nextOffset.withLock { value -> Int64 in
            value += 1
            return value
        }
        let consumed = ConsumedEvent(event: event, topic: event.topic.name, partition: 0, offset: offset, timestamp: now)
        return try ServiceKit.handle(
            db: db, eventId: event.eventId, topic: event.topic.name, partition: 0, offset: offset
        ) { db in
            try service.handle(consumed, db: db, context: context)
        }
    }

    /// Delivers `DrinkStarted` then `DrinkBrewed` for every ticket of `orderId` (1...`tickets`),
    /// as one worker brewing them all on the first attempt would.
    func brewAll(_ orderId: String, tickets: Int, worker: String = "w1") throws {
        for n in 1...tickets {
            try deliver(Events.started(orderId, ticket: n, worker: worker))
            try deliver(Events.brewed(orderId, ticket: n, worker: worker))
        }
    }

    /// Every outbox row (sent or not), oldest first.
    func outbox() throws -> [OutboxRecord] {
        try Outbox.pending(limit: 1_000_000, in: db).map { try OutboxRecord($0) }
    }

    /// The outbox rows about `orderId`.
    func outbox(for orderId: String) throws -> [OutboxRecord] {
        try outbox().filter { $0.key == orderId }
    }

    /// The ticket set of `orderId`.
    func ticketSet(_ orderId: String) throws -> TicketSet? {
        try TicketSet.load(orderId: orderId, from: db)
    }

    /// The status of `orderId`, nil when unknown.
    func status(_ orderId: String) throws -> OrderStatus? {
        try ticketSet(orderId)?.status
    }

    /// How many tickets have `status`.
    func ticketCount(_ status: TicketStatus) throws -> Int {
        try db.scalar("SELECT COUNT(*) FROM tickets WHERE status = ?", .text(status.rawValue)).intValue ?? -1
    }
}

/// One outbox row, decoded back into its event.
struct OutboxRecord: Equatable {
    var topic: String
    var key: String
    var event: CoffeeEvent
    var headers: [String: String]

    init(_ row: OutboxRow) throws {
        topic = row.topic
        key = String(decoding: row.key ?? [], as: UTF8.self)
        event = try CoffeeEvent.decode(json: row.value)
        var headers: [String: String] = [:]
        for header in row.headers { headers[header.name] = header.text }
        self.headers = headers
    }

    var type: String { event.type }
    var correlationId: String? { event.correlationId }

    /// The `reason` of an `OrderFailed` or `CancellationRejected`.
    var reason: String? {
        switch event {
        case .orderFailed(let e): e.payload.reason
        case .cancellationRejected(let e): e.payload.reason
        default: nil
        }
    }

    /// The ticket id of a `DrinkRequested`.
    var ticketId: String? {
        if case .drinkRequested(let e) = event { return e.payload.ticketId }
        return nil
    }

    /// The `barista` of an `OrderBrewingStarted`.
    var barista: String? {
        if case .orderBrewingStarted(let e) = event { return e.payload.barista }
        return nil
    }
}

/// Event builders for the consumed topic.
enum Events {
    static func placed(_ orderId: String, _ items: [OrderItem], correlationId: String? = nil,
                       eventId: String = UUID().uuidString.lowercased()) -> CoffeeEvent {
        .orderPlaced(EventEnvelope(
            payload: OrderPlaced(orderId: orderId, memberId: "member-1", items: items, placedAt: "2025-03-14T08:05:42.918Z"),
            correlationId: correlationId ?? "corr-\(orderId)", eventId: eventId))
    }

    static func placed(_ orderId: String, _ drink: String = "espresso", size: DrinkSize = .medium,
                       quantity: Int = 1, correlationId: String? = nil) -> CoffeeEvent {
        placed(orderId, [OrderItem(drink: drink, size: size, quantity: quantity)], correlationId: correlationId)
    }

    static func cancel(_ orderId: String, correlationId: String? = nil) -> CoffeeEvent {
        .orderCancellationRequested(EventEnvelope(
            payload: OrderCancellationRequested(orderId: orderId, reason: "changed my mind"),
            correlationId: correlationId ?? "corr-\(orderId)"))
    }

    static func pickedUp(_ orderId: String) -> CoffeeEvent {
        .orderPickedUp(EventEnvelope(payload: OrderPickedUp(orderId: orderId), correlationId: "corr-\(orderId)"))
    }

    /// `DrinkStarted` for ticket `ticket` (from 1) of `orderId`.
    static func started(_ orderId: String, ticket: Int, worker: String = "w1", attempt: Int = 1) -> CoffeeEvent {
        .drinkStarted(EventEnvelope(
            payload: DrinkStarted(orderId: orderId, ticketId: "\(orderId)-\(ticket)", worker: worker, attempt: attempt),
            correlationId: "corr-\(orderId)"))
    }

    /// `DrinkBrewed` for ticket `ticket` (from 1) of `orderId`.
    static func brewed(_ orderId: String, ticket: Int, worker: String = "w1", attempt: Int = 1) -> CoffeeEvent {
        .drinkBrewed(EventEnvelope(
            payload: DrinkBrewed(orderId: orderId, ticketId: "\(orderId)-\(ticket)", worker: worker, attempt: attempt),
            correlationId: "corr-\(orderId)"))
    }

    /// `DrinkFailed` for ticket `ticket` (from 1) of `orderId`.
    static func failed(_ orderId: String, ticket: Int, worker: String = "w1", attempts: Int = 3,
                       reason: String = "the espresso machine broke down") -> CoffeeEvent {
        .drinkFailed(EventEnvelope(
            payload: DrinkFailed(orderId: orderId, ticketId: "\(orderId)-\(ticket)", worker: worker, attempts: attempts, reason: reason),
            correlationId: "corr-\(orderId)"))
    }
}

/// A fresh directory under the system temp directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("barista-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs blocking `body` on its own OS thread (never on the cooperative pool) and returns
/// its result.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        do {
            try SystemThread.spawn(name: "barista-test") { continuation.resume(returning: body()) }
        } catch {
            continuation.resume(throwing: error)
        }
    }
}

/// Polls `condition` every 5 ms until it holds or `seconds` pass; true when it held. Blocks:
/// call it inside `onThread`.
func poll(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}
