import EventContracts
import HTTPServer
import ServiceKit
import SQLite

/// The order-service's HTTP JSON API: members, orders, cancellation, pick-up and the admin
/// views. Every route answers JSON; errors are `{"error": "…"}` with a 4xx status and write
/// nothing (their transaction is rolled back). A state change and the events it causes commit
/// in one transaction, after which the outbox relay is woken.
///
/// Routes (see `addRoutes`): `POST /members`, `GET /members/:memberId`,
/// `GET /members/:memberId/orders`, `POST /orders`, `GET /orders/:orderId`,
/// `POST /orders/:orderId/cancel`, `POST /orders/:orderId/pickup`, `GET /admin/snapshot`,
/// `GET /admin/stats`; the coffee board's are in `OrderAPI+Board`. A database failure answers
/// 503 (busy, read-only, full) or 500.
///
/// Value type; thread-safe (its state is the `Database`, the metrics and the purge schedule).
struct OrderAPI: Sendable {
    /// The chassis context (database, metrics, logger, outbox wake-up).
    let context: ServiceContext
    /// The service's settings.
    let settings: OrderServiceSettings
    /// The service's metrics.
    let metrics: OrderMetrics
    /// When expired idempotency keys are purged next.
    let purgeSchedule: PurgeSchedule

    /// Header that carries the idempotency key of `POST /orders`.
    static let idempotencyKeyHeader = "Idempotency-Key"
    /// Response header set on a replayed `POST /orders`.
    static let replayedHeader = "Idempotent-Replayed"
    /// Optional request header naming the flow's correlation id.
    static let correlationIdHeader = "X-Correlation-Id"
    /// Longest idempotency key or correlation id accepted, in characters.
    static let maxHeaderIdLength = 200

    /// Adds every route to `router`.
    func addRoutes(to router: inout HTTPRouter) {
        let api = self
        router.post("/members") { request, _ in api.respond { try api.registerMember(request) } }
        router.get("/members/:memberId") { _, params in
            api.respond { try api.getMember(params["memberId"] ?? "") }
        }
        router.get("/members/:memberId/orders") { _, params in
            api.respond { try api.listOrders(ofMember: params["memberId"] ?? "") }
        }
        router.post("/orders") { request, _ in api.respond { try api.placeOrder(request) } }
        router.get("/orders/:orderId") { _, params in
            api.respond { try api.getOrder(params["orderId"] ?? "") }
        }
        router.post("/orders/:orderId/cancel") { request, params in
            api.respond { try api.cancelOrder(params["orderId"] ?? "", request: request) }
        }
        router.post("/orders/:orderId/pickup") { _, params in
            api.respond { try api.pickUpOrder(params["orderId"] ?? "") }
        }
        router.get("/admin/snapshot") { _, _ in api.respond { try api.snapshot() } }
        router.get("/admin/stats") { _, _ in api.respond { try api.stats() } }
    }

    /// Runs a route body, turning `APIError` into its 4xx response and any other failure into
    /// 503 (database busy/read-only/full: retry later) or 500.
    func respond(_ body: () throws -> HTTPResponse) -> HTTPResponse {
        do {
            return try body()
        } catch let error as APIError {
            metrics.rejected(status: error.status)
            return .error(error.message, status: error.status)
        } catch let error as SQLiteError {
            return databaseFailure(error)
        } catch OutboxError.database(let error) {
            return databaseFailure(error)
        } catch {
            context.logger.log(.error, "request failed: \(error)")
            return .error("internal error: \(error)", status: 500)
        }
    }

    private func databaseFailure(_ error: SQLiteError) -> HTTPResponse {
        context.logger.log(.error, "database failure: \(error)")
        let retryable = error.isBusy || error.isReadOnly || error.code == 13 /* SQLITE_FULL */
        return .error("database unavailable: \(error.message)", status: retryable ? 503 : 500)
    }

    /// A JSON response with `value` as its body.
    static func json(_ value: JSONValue, status: Int = 200) -> HTTPResponse {
        .json(value.text, status: status)
    }

    /// The value of the optional id-like header `name` (1…200 visible characters), or nil when
    /// absent; 400 when present but empty, too long or containing control characters.
    static func headerId(_ name: String, in request: HTTPRequest) throws(APIError) -> String? {
        guard let raw = request.headers[name] else { return nil }
        let value = raw.trimmingWhitespace
        guard !value.isEmpty, value.count <= maxHeaderIdLength,
              !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw .badRequest("\(name) must be 1...\(maxHeaderIdLength) visible characters")
        }
        return value
    }
}
