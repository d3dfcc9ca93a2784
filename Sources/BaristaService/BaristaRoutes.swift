public import HTTPServer
public import SQLite
public import SystemIO

/// The barista-service's HTTP routes (health and metrics are the chassis').
///
/// - `GET /tickets/{orderId}` → 200 `TicketSet.json`; 404 `{"error": "no ticket set for order …"}`.
/// - `GET /admin/snapshot` → 200 `BaristaSnapshot.json`.
/// - `GET /admin/stats` → 200 `BaristaStats.json`.
///
/// A database failure answers 503 `{"error": "…"}` (and is logged). Handlers only read.
public enum BaristaRoutes {
    /// Adds the routes to `router`, reading from `database`.
    public static func add(to router: inout HTTPRouter, database: Database, logger: Logger) {
        router.get("/tickets/:orderId") { _, parameters in
            let orderId = parameters["orderId"] ?? ""
            return respond(logger) {
                guard let set = try TicketSet.load(orderId: orderId, from: database) else {
                    return .error("no ticket set for order \(orderId)", status: 404)
                }
                return .json(set.json)
            }
        }
        router.get("/admin/snapshot") { _, _ in
            respond(logger) { .json(try BaristaSnapshot.load(from: database).json) }
        }
        router.get("/admin/stats") { _, _ in
            respond(logger) { .json(try BaristaStats.load(from: database).json) }
        }
    }

    /// `body`'s response, or 503 with the error when the database failed.
    private static func respond(_ logger: Logger, _ body: () throws -> HTTPResponse) -> HTTPResponse {
        do {
            return try body()
        } catch {
            logger.log(.error, "HTTP read failed: \(error)")
            return .error("cannot read the database: \(error)", status: 503)
        }
    }
}
