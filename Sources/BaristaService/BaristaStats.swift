public import SQLite
import ServiceKit

/// Cheap live progress: orders per status, tickets queued and brewing, unsent outbox rows,
/// drinks brewed per worker.
/// Value type.
public struct BaristaStats: Sendable, Equatable {
    /// Orders per status (every status present, 0 when none).
    public var ordersByStatus: [OrderStatus: Int]
    /// Orders picked up.
    public var pickedUp: Int
    /// Tickets waiting for a barista.
    public var queuedTickets: Int
    /// Tickets brewing now.
    public var brewingTickets: Int
    /// Outbox rows not yet acknowledged by the broker.
    public var outboxPending: Int
    /// Drinks brewed per barista worker (the worker name its `DrinkBrewed` carried).
    public var drinksByWorker: [String: Int] = [:]

    /// All orders.
    public var ordersTotal: Int { ordersByStatus.values.reduce(0, +) }

    /// Reads the counts in one transaction.
    public static func load(from database: Database) throws -> BaristaStats {
        try database.transaction { db in
            var byStatus = Dictionary(uniqueKeysWithValues: OrderStatus.allCases.map { ($0, 0) })
            var pickedUp = 0
            for row in try db.query(
                "SELECT status, COUNT(*) AS n, SUM(picked_up) AS picked FROM barista_orders GROUP BY status") {
                byStatus[try OrderDesk.status(of: row)] = try row.int("n")
                pickedUp += row["picked"]?.intValue ?? 0
            }
            return BaristaStats(
                ordersByStatus: byStatus, pickedUp: pickedUp,
                queuedTickets: try db.scalar("SELECT COUNT(*) FROM tickets WHERE status = 'queued'").intValue ?? 0,
                brewingTickets: try db.scalar("SELECT COUNT(*) FROM tickets WHERE status = 'brewing'").intValue ?? 0,
                outboxPending: try Outbox.depth(in: db),
                drinksByWorker: Dictionary(
                    try db.query("SELECT barista, COUNT(*) AS n FROM tickets WHERE status = 'done' AND barista IS NOT NULL GROUP BY barista")
                        .map { (try $0.text("barista"), try $0.int("n")) },
                    uniquingKeysWith: +))
        }
    }

    /// The JSON body of `GET /admin/stats`:
    /// `{"orders":{"QUEUED":n,"BREWING":n,"READY":n,"CANCELLED":n,"FAILED":n},"ordersTotal":n,
    /// "pickedUp":n,"queuedTickets":n,"brewingTickets":n,"outboxPending":n,"drinksByWorker":{"worker":n,…}}`.
    public var json: String {
        var counts = JSONObjectText()
        for status in OrderStatus.allCases { counts.int(status.rawValue, Int64(ordersByStatus[status] ?? 0)) }
        var object = JSONObjectText()
        object.raw("orders", counts.json)
        object.int("ordersTotal", Int64(ordersTotal))
        object.int("pickedUp", Int64(pickedUp))
        object.int("queuedTickets", Int64(queuedTickets))
        object.int("brewingTickets", Int64(brewingTickets))
        object.int("outboxPending", Int64(outboxPending))
        var workers = JSONObjectText()
        for (name, count) in drinksByWorker.sorted(by: { $0.key < $1.key }) { workers.int(name, Int64(count)) }
        object.raw("drinksByWorker", workers.json)
        return object.json
    }
}
