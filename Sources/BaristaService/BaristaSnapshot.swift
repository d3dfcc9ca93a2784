public import SQLite
import ServiceKit

/// Everything `kaffee verify` compares: every order's barista status, the ticket queues and
/// the unsent outbox rows, read in one transaction so the numbers agree with each other.
/// Value type.
public struct BaristaSnapshot: Sendable, Equatable {
    /// One order's line in the snapshot.
    public struct Order: Sendable, Equatable {
        /// The order id.
        public var orderId: String
        /// The barista's status.
        public var status: OrderStatus
        /// How many tickets the order has (0 for a failed order).
        public var tickets: Int
        /// When `OrderPlaced` was handled (Unix ms).
        public var receivedAtMs: Int64
        /// When the first ticket started (Unix ms).
        public var brewingStartedAtMs: Int64?
        /// When the order became ready (Unix ms).
        public var readyAtMs: Int64?
        /// Whether it was picked up.
        public var pickedUp: Bool
    }

    /// Every order, in arrival order.
    public var orders: [Order]
    /// Tickets waiting for a barista.
    public var queuedTickets: Int
    /// Tickets brewing now.
    public var brewingTickets: Int
    /// Outbox rows not yet acknowledged by the broker.
    public var outboxPending: Int

    /// Reads the snapshot in one transaction.
    public static func load(from database: Database) throws -> BaristaSnapshot {
        try database.transaction { db in
            let orders = try db.query(
                "SELECT order_id, status, ticket_count, received_at_ms, brewing_started_at_ms, ready_at_ms, picked_up "
                    + "FROM barista_orders ORDER BY seq"
            ).map { row in
                Order(
                    orderId: try row.text("order_id"), status: try OrderDesk.status(of: row),
                    tickets: try row.int("ticket_count"), receivedAtMs: try row.int64("received_at_ms"),
                    brewingStartedAtMs: row["brewing_started_at_ms"]?.int64Value,
                    readyAtMs: row["ready_at_ms"]?.int64Value, pickedUp: try row.bool("picked_up"))
            }
            return BaristaSnapshot(
                orders: orders,
                queuedTickets: try db.scalar("SELECT COUNT(*) FROM tickets WHERE status = 'queued'").intValue ?? 0,
                brewingTickets: try db.scalar("SELECT COUNT(*) FROM tickets WHERE status = 'brewing'").intValue ?? 0,
                outboxPending: try Outbox.depth(in: db))
        }
    }

    /// The JSON body of `GET /admin/snapshot`:
    /// `{"orders":[{"orderId","status","tickets","receivedAt","receivedAtMs","brewingStartedAt",
    /// "brewingStartedAtMs","readyAt","readyAtMs","pickedUp"}],"queuedTickets","brewingTickets","outboxPending"}`
    /// (times as RFC 3339 text and as Unix ms; `null` when absent).
    public var json: String {
        var text = "{\"orders\":["
        text.reserveCapacity(orders.count * 260 + 100)
        for (index, order) in orders.enumerated() {
            if index > 0 { text += "," }
            var object = JSONObjectText()
            object.string("orderId", order.orderId)
            object.string("status", order.status.rawValue)
            object.int("tickets", Int64(order.tickets))
            object.time("receivedAt", order.receivedAtMs)
            object.time("brewingStartedAt", order.brewingStartedAtMs)
            object.time("readyAt", order.readyAtMs)
            object.bool("pickedUp", order.pickedUp)
            text += object.json
        }
        text += "],\"queuedTickets\":\(queuedTickets),\"brewingTickets\":\(brewingTickets),"
        text += "\"outboxPending\":\(outboxPending)}"
        return text
    }
}
