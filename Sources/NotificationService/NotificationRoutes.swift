import HTTPServer
import ServiceKit
import SQLite

/// The notification-service's HTTP routes (the chassis serves `/healthz` and `/metrics`).
///
/// - `GET /notifications?memberId=&orderId=&status=&afterId=&limit=` (both statuses unless
///   `status` is given) → 200
///   `{"notifications":[NotificationRecord.json, …]}` by increasing `notificationId`; 400
///   `{"error":…}` for a malformed parameter (see `NotificationQuery`).
/// - `GET /notifications/feed?afterId=&limit=` (same parameters) → 200
///   `{"notifications":[NotificationRecord.feedJSON, …]}`: the list without recipients'
///   addresses, with `Access-Control-Allow-Origin: *`. The coffee board's page (served by the
///   order-service, another origin) reads it in the browser, since services talk to each other
///   only through events. A plain GET needs no preflight, so `OPTIONS` stays 405; no
///   credentials are involved. The full list above is not shared with other origins.
/// - `GET /admin/snapshot` → 200 `{"notifications":[NotificationRecord.snapshotJSON, …],
///   "contacts":n,"waiting":n,"delivered":n,"outboxPending":n}`, read in one transaction.
/// - `GET /admin/stats` → 200 `{"contacts":n,"orders":n,"waiting":n,"delivered":n,
///   "sinkUnwritten":n,"byKind":{"received":n,"ready":n,"cancelled":n,"failed":n}}`.
///
/// A database failure answers 500 `{"error":…}` (and is logged).
enum NotificationRoutes {
    static func add(to router: inout HTTPRouter, context: ServiceContext) {
        router.get("/notifications") { request, _ in list(request, context: context) }
        router.get("/notifications/feed") { request, _ in
            var response = list(request, context: context, render: \.feedJSON)
            response.headers.set("Access-Control-Allow-Origin", "*")
            return response
        }
        router.get("/admin/snapshot") { _, _ in snapshot(context: context) }
        router.get("/admin/stats") { _, _ in stats(context: context) }
    }

    static func list(_ request: HTTPRequest, context: ServiceContext,
                     render json: @escaping (NotificationRecord) -> String = \.json) -> HTTPResponse {
        let query: NotificationQuery
        switch NotificationQuery.parse(request.query) {
        case .success(let parsed): query = parsed
        case .failure(let error): return .badRequest(error.message)
        }
        return answer(context: context, operation: "GET /notifications") { db in
            try NotificationStore.list(query, in: db)
        } render: { records in
            "{\"notifications\":[" + records.map(json).joined(separator: ",") + "]}"
        }
    }

    static func snapshot(context: ServiceContext) -> HTTPResponse {
        answer(context: context, operation: "GET /admin/snapshot") { db in
            (records: try NotificationStore.all(in: db),
             contacts: try NotificationStore.contactCount(in: db),
             waiting: try NotificationStore.count(status: .waiting, in: db),
             delivered: try NotificationStore.count(status: .delivered, in: db),
             outboxPending: try Outbox.depth(in: db))
        } render: { s in
            "{\"notifications\":[" + s.records.map(\.snapshotJSON).joined(separator: ",") + "],"
                + "\"contacts\":\(s.contacts),\"waiting\":\(s.waiting),\"delivered\":\(s.delivered),"
                + "\"outboxPending\":\(s.outboxPending)}"
        }
    }

    static func stats(context: ServiceContext) -> HTTPResponse {
        answer(context: context, operation: "GET /admin/stats") { db in
            (byKind: try NotificationStore.countByKind(in: db),
             contacts: try NotificationStore.contactCount(in: db),
             orders: try db.scalar("SELECT COUNT(*) FROM orders").intValue ?? 0,
             waiting: try NotificationStore.count(status: .waiting, in: db),
             delivered: try NotificationStore.count(status: .delivered, in: db),
             unwritten: try db.scalar(
                "SELECT COUNT(*) FROM notifications WHERE status = 'delivered' AND sink_written = 0").intValue ?? 0)
        } render: { s in
            let kinds = NotificationKind.allCases.map { "\(JSONText.quoted($0.rawValue)):\(s.byKind[$0] ?? 0)" }
            return "{\"contacts\":\(s.contacts),\"orders\":\(s.orders),\"waiting\":\(s.waiting),"
                + "\"delivered\":\(s.delivered),\"sinkUnwritten\":\(s.unwritten),"
                + "\"byKind\":{" + kinds.joined(separator: ",") + "}}"
        }
    }

    /// Reads with `read` in one transaction (a consistent view; the lock is held only for the
    /// reads), then answers `render`'s JSON — or 500 when the database fails.
    private static func answer<T>(
        context: ServiceContext, operation: String, _ read: (Database) throws -> T, render: (T) -> String
    ) -> HTTPResponse {
        let value: T
        do {
            value = try context.database.transaction(read)
        } catch {
            context.logger.error("\(operation): \(error)")
            return .error("database error: \(error)", status: 500)
        }
        return .json(render(value))
    }
}
