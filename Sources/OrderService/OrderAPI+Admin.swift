import HTTPServer
import ServiceKit

extension OrderAPI {
    /// `GET /admin/snapshot` → 200 `{"orders":[{"orderId","memberId","status","placedAtMs",
    /// "readyAtMs":int|null,"cancellationRequested","historyStatuses":[…]}],"members":n,
    /// "outboxPending":n}`: every order (oldest first) with the statuses its history moved
    /// through, read in one transaction so the parts agree. For `kaffee verify`/`kaffee demo`.
    func snapshot() throws -> HTTPResponse {
        let (orders, paths, members, pending) = try context.database.transaction { db in
            let store = OrderStore(db: db)
            return (try store.allOrders(), try store.statusPaths(), try store.memberCount(), try Outbox.depth(in: db))
        }
        return Self.json(.object([
            ("orders", .array(orders.map { OrderJSON.snapshotOrder($0, path: paths[$0.orderId] ?? []) })),
            ("members", .integer(members)),
            ("outboxPending", .integer(pending)),
        ]))
    }

    /// `GET /admin/stats` → 200 `{"orders":n,"byStatus":{"PLACED":n,…every status…},
    /// "members":n,"outboxPending":n}`: cheap counts for live progress.
    func stats() throws -> HTTPResponse {
        let (counts, members, pending) = try context.database.transaction { db in
            let store = OrderStore(db: db)
            return (try store.statusCounts(), try store.memberCount(), try Outbox.depth(in: db))
        }
        let byStatus = OrderStatus.allCases.map { ($0.rawValue, JSONValue.integer(counts[$0] ?? 0)) }
        return Self.json(.object([
            ("orders", .integer(counts.values.reduce(0, +))),
            ("byStatus", .object(byStatus)),
            ("members", .integer(members)),
            ("outboxPending", .integer(pending)),
        ]))
    }
}
