import Foundation
import Synchronization
import EventContracts
import HTTPServer
import SQLite
import ServiceKit
@testable import OrderService

/// A manual wall clock for the service (Unix ms). Thread-safe.
final class TestClock: Sendable {
    private let millis: Mutex<Int64>
    init(_ start: Int64 = 1_741_939_542_918) { millis = Mutex(start) }  // 2025-03-14T08:05:42.918Z
    var now: Int64 { millis.withLock { $0 } }
    func advance(_ delta: Int64) { millis.withLock { $0 += delta } }
}

/// One HTTP response with its body parsed as JSON.
struct TestResponse {
    let status: Int
    let headers: HTTPHeaders
    let text: String
    let json: [String: Any]

    init(_ response: HTTPResponse) {
        status = response.status
        headers = response.headers
        text = String(decoding: response.body, as: UTF8.self)
        json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    var error: String? { json["error"] as? String }
    func string(_ key: String) -> String? { json[key] as? String }
    func int(_ key: String) -> Int? { json[key] as? Int }
    func bool(_ key: String) -> Bool? { json[key] as? Bool }
    func array(_ key: String) -> [[String: Any]] { json[key] as? [[String: Any]] ?? [] }
}

/// Row counts of every table a request or event may write.
struct TableCounts: Equatable, CustomStringConvertible {
    var members = 0, orders = 0, items = 0, history = 0, keys = 0, outbox = 0, inbox = 0
    var description: String {
        "members \(members) orders \(orders) items \(items) history \(history) keys \(keys) outbox \(outbox) inbox \(inbox)"
    }
}

/// One outbox row decoded back into its event.
struct PublishedEvent {
    let topic: String
    let key: String
    let headers: [String: String]
    let event: CoffeeEvent
}

/// The order-service on an in-memory database, driven through its router and `handle`
/// (no sockets, no broker).
final class OrderServiceHarness: Sendable {
    let clock: TestClock
    let service: OrderService
    let db: Database
    let context: ServiceContext
    let router: HTTPRouter
    private let offsets = Mutex<Int64>(0)

    init(retentionMillis: Int64 = OrderServiceSettings.defaultIdempotencyRetentionMillis,
         boardNotifications: BoardNotificationsURL? = nil) throws {
        let clock = TestClock()
        self.clock = clock
        service = OrderService(settings: OrderServiceSettings(
            idempotencyRetentionMillis: retentionMillis, boardNotifications: boardNotifications, nowMillis: { clock.now }))
        db = try Database.inMemory()
        try db.migrate(try ServiceKitMigrations.including(service.migrations))
        let config = try ServiceConfig(serviceName: service.name, environment: { _ in nil })
        context = ServiceContext(config: config, database: db, metrics: Metrics(), logger: .silent,
                                 environment: { _ in nil })
        var router = HTTPRouter()
        service.addRoutes(to: &router, context: context)
        self.router = router
    }

    // MARK: HTTP

    func request(_ method: String, _ target: String, body: String? = nil,
                 headers: [(String, String)] = []) -> TestResponse {
        TestResponse(router.handle(HTTPRequest(
            method: method, target: target, headers: HTTPHeaders(headers), body: body.map { Array($0.utf8) } ?? [])))
    }

    func get(_ target: String) -> TestResponse { request("GET", target) }

    func post(_ target: String, _ body: String? = nil, headers: [(String, String)] = []) -> TestResponse {
        request("POST", target, body: body, headers: headers)
    }

    /// Registers a member and returns its id.
    func registerMember(name: String = "Ada", email: String = "ada@example.com") throws -> String {
        let response = post("/members", #"{"name": "\#(name)", "email": "\#(email)"}"#)
        guard response.status == 201, let id = response.string("memberId") else {
            throw HarnessError("register failed: \(response.status) \(response.text)")
        }
        return id
    }

    /// The body of a one-line order.
    static func orderBody(memberId: String, drink: String = "latte", size: String = "medium", quantity: Int = 1) -> String {
        #"{"memberId": "\#(memberId)", "items": [{"drink": "\#(drink)", "size": "\#(size)", "quantity": \#(quantity)}]}"#
    }

    /// Places a one-line order and returns its id.
    func placeOrder(memberId: String, drink: String = "latte") throws -> String {
        let response = post("/orders", Self.orderBody(memberId: memberId, drink: drink))
        guard response.status == 201, let id = response.string("orderId") else {
            throw HarnessError("place failed: \(response.status) \(response.text)")
        }
        return id
    }

    // MARK: Events

    /// Delivers `event` the way the chassis does: inbox, `handle`, outbox, in one transaction.
    @discardableResult
    func deliver(_ event: CoffeeEvent) throws -> HandlerOutcome {
        let offset = offsets.withLock { value in
            value += 1
            return value
        }
        let consumed = ConsumedEvent(event: event, topic: event.topic.name, partition: 0, offset: offset,
                                     timestamp: clock.now)
        return try ServiceKit.handle(db: db, eventId: event.eventId, topic: consumed.topic, partition: 0,
                                     offset: offset) { db in
            try service.handle(consumed, db: db, context: context)
        }
    }

    /// The order's current status as stored.
    func status(_ orderId: String) throws -> OrderStatus? {
        try db.scalar("SELECT status FROM orders WHERE order_id = ?", .text(orderId)).textValue
            .flatMap(OrderStatus.init(rawValue:))
    }

    // MARK: Inspection

    func counts() throws -> TableCounts {
        func count(_ table: String) throws -> Int { try db.scalar("SELECT COUNT(*) FROM \(table)").intValue ?? -1 }
        return TableCounts(
            members: try count("members"), orders: try count("orders"), items: try count("order_items"),
            history: try count("order_history"), keys: try count("idempotency_keys"), outbox: try count("outbox"),
            inbox: try count("inbox"))
    }

    /// Every outbox row, oldest first, decoded.
    func published() throws -> [PublishedEvent] {
        try Outbox.pending(limit: 10_000, in: db).map { row in
            var headers: [String: String] = [:]
            for header in row.headers { headers[header.name] = String(decoding: header.value, as: UTF8.self) }
            return PublishedEvent(
                topic: row.topic, key: String(decoding: row.key ?? [], as: UTF8.self), headers: headers,
                event: try CoffeeEvent.decode(json: row.value))
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: Barista events

enum Barista {
    static let occurredAt = "2025-03-14T08:06:00.250Z"

    static func brewing(_ orderId: String, id: String = UUID().uuidString.lowercased(), at: String = occurredAt) -> CoffeeEvent {
        .orderBrewingStarted(EventEnvelope(payload: OrderBrewingStarted(orderId: orderId, barista: "b1"),
                                           correlationId: orderId, eventId: id, occurredAt: at))
    }
    static func ready(_ orderId: String, id: String = UUID().uuidString.lowercased(), at: String = occurredAt) -> CoffeeEvent {
        .orderReady(EventEnvelope(payload: OrderReady(orderId: orderId), correlationId: orderId, eventId: id, occurredAt: at))
    }
    static func cancelled(_ orderId: String, id: String = UUID().uuidString.lowercased()) -> CoffeeEvent {
        .orderCancelled(EventEnvelope(payload: OrderCancelled(orderId: orderId), correlationId: orderId, eventId: id,
                                      occurredAt: occurredAt))
    }
    static func failed(_ orderId: String, id: String = UUID().uuidString.lowercased()) -> CoffeeEvent {
        .orderFailed(EventEnvelope(payload: OrderFailed(orderId: orderId, reason: "no ice cream"), correlationId: orderId,
                                   eventId: id, occurredAt: occurredAt))
    }
    static func rejected(_ orderId: String, id: String = UUID().uuidString.lowercased()) -> CoffeeEvent {
        .cancellationRejected(EventEnvelope(payload: CancellationRejected(orderId: orderId, reason: "already brewing"),
                                            correlationId: orderId, eventId: id, occurredAt: occurredAt))
    }
}
