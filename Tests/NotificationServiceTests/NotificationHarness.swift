import Foundation
import Synchronization
import Testing
import EventContracts
import HTTPServer
import NotificationService
import SQLite
import ServiceKit

/// Log lines captured from the service's logger. Thread-safe.
final class CapturedLog: Sendable {
    private let lines = Mutex<[(level: String, message: String)]>([])

    func append(level: String, message: String) { lines.withLock { $0.append((level, message)) } }

    /// Messages logged at `level` (`INFO`, `WARN`, …).
    func messages(at level: String) -> [String] { lines.withLock { $0.filter { $0.level == level }.map(\.message) } }
}

/// A notification-service wired to a migrated database, a context, its router and a
/// captured log, driving `handle` as the chassis does (no broker, no sockets).
struct NotificationHarness {
    let service: NotificationService
    let db: Database
    let context: ServiceContext
    let router: HTTPRouter
    let log = CapturedLog()

    /// A harness over `db` (a new in-memory database when nil), migrated like the chassis does.
    init(settings: NotificationSettings = NotificationSettings(), db: Database? = nil,
         clock: (@Sendable () -> Int64)? = nil) throws {
        let db = try db ?? Database.inMemory()
        service = NotificationService(settings: settings, wallClockMillis: clock)
        try db.migrate(ServiceKitMigrations.including(service.migrations))
        self.db = db
        let log = self.log
        context = ServiceContext(
            config: try ServiceConfig(serviceName: service.name, environment: { _ in nil }),
            database: db, metrics: Metrics(),
            logger: .init(component: "test", minimumLevel: .debug, sink: { level, _, message in
                log.append(level: "\(level)", message: message)
            }),
            environment: { _ in nil })
        var router = HTTPRouter()
        service.addRoutes(to: &router, context: context)
        self.router = router
    }

    /// Runs `event` through the chassis' transactional step (inbox + handle + outbox).
    @discardableResult
    func consume(_ event: CoffeeEvent, offset: Int64 = 0) throws -> HandlerOutcome {
        let consumed = ConsumedEvent(event: event, topic: event.topic.name, partition: 0, offset: offset, timestamp: 0)
        let outcome = try ServiceKit.handle(
            db: db, eventId: event.eventId, topic: event.topic.name, partition: 0, offset: offset
        ) { db in
            try service.handle(consumed, db: db, context: context)
        }
        context.eventsCommitted.signal()
        return outcome
    }

    /// Calls `handle` directly in a transaction, bypassing the inbox; returns its events.
    @discardableResult
    func handleDirectly(_ event: CoffeeEvent) throws -> [CoffeeEvent] {
        let consumed = ConsumedEvent(event: event, topic: event.topic.name, partition: 0, offset: 0, timestamp: 0)
        return try db.transaction { db in try service.handle(consumed, db: db, context: context) }
    }

    /// `GET target` through the router: the status and the body parsed as a JSON object.
    func get(_ target: String) throws -> (status: Int, json: [String: Any]) {
        let response = router.handle(HTTPRequest(method: "GET", target: target))
        let object = try JSONSerialization.jsonObject(with: Data(response.body))
        return (response.status, try #require(object as? [String: Any]))
    }

    /// The `notifications` array of `GET target`, after checking for 200.
    func notifications(_ target: String = "/notifications?limit=10000") throws -> [[String: Any]] {
        let (status, json) = try get(target)
        #expect(status == 200)
        return try #require(json["notifications"] as? [[String: Any]])
    }

    /// The `/admin/snapshot` object.
    func snapshot() throws -> [String: Any] {
        let (status, json) = try get("/admin/snapshot")
        #expect(status == 200)
        return json
    }
}

/// Builders of coffee-shop events with readable defaults.
enum Events {
    static func member(_ memberId: String, name: String = "Ana", email: String = "ana@example.com",
                       phone: String? = nil, eventId: String? = nil) -> CoffeeEvent {
        .memberRegistered(EventEnvelope(
            payload: MemberRegistered(memberId: memberId, name: name, email: email, phone: phone), eventId: eventId))
    }

    static func placed(_ orderId: String, member memberId: String,
                       items: [OrderItem] = [OrderItem(drink: "latte", size: .medium, quantity: 1)],
                       eventId: String? = nil) -> CoffeeEvent {
        .orderPlaced(EventEnvelope(
            payload: OrderPlaced(orderId: orderId, memberId: memberId, items: items, placedAt: "2025-03-14T08:05:42.918Z"),
            eventId: eventId, occurredAt: "2025-03-14T08:05:42.918Z"))
    }

    static func ready(_ orderId: String, eventId: String? = nil) -> CoffeeEvent {
        .orderReady(EventEnvelope(payload: OrderReady(orderId: orderId), eventId: eventId,
                                  occurredAt: "2025-03-14T08:06:00.500Z"))
    }

    static func cancelled(_ orderId: String) -> CoffeeEvent {
        .orderCancelled(EventEnvelope(payload: OrderCancelled(orderId: orderId)))
    }

    static func failed(_ orderId: String, reason: String) -> CoffeeEvent {
        .orderFailed(EventEnvelope(payload: OrderFailed(orderId: orderId, reason: reason)))
    }

    static func brewing(_ orderId: String) -> CoffeeEvent {
        .orderBrewingStarted(EventEnvelope(payload: OrderBrewingStarted(orderId: orderId, barista: "b1")))
    }

    static let twoLattesOneEspresso = [
        OrderItem(drink: "latte", size: .medium, quantity: 2),
        OrderItem(drink: "espresso", size: .small, quantity: 1),
    ]
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
