import SQLite
import EventContracts
import ServiceKit

/// Applies the barista workers' results (`coffee.brew-results`) to the desk's tables, inside
/// the chassis' transaction, and returns the order events they cause. Value type; no state.
///
/// - `DrinkStarted`: a `queued` ticket becomes `brewing` (its worker and attempt recorded; a
///   `brewing` one just takes the new worker, as after a redelivery). The order's first
///   started drink moves it `QUEUED → BREWING` with `OrderBrewingStarted` naming the worker.
/// - `DrinkBrewed`: a `queued` or `brewing` ticket becomes `done`. The order, while `QUEUED` or
///   `BREWING`, counts it; its last drink makes it `READY` with `OrderReady` (a `QUEUED` order
///   passes through `BREWING` first, so its events stay in lifecycle order).
/// - `DrinkFailed`: a `queued` or `brewing` ticket becomes `failed`; a `QUEUED` or `BREWING`
///   order becomes `FAILED` with `OrderFailed` naming the drink and the worker's reason.
///
/// Results are idempotent by ticket state, not by event id: a worker that died after
/// publishing but before acknowledging publishes the same result again under a new event id,
/// and a `done`, `failed` or `cancelled` ticket ignores every later result. Results for a
/// cancelled or failed order change its tickets at most, never the order. A result for a
/// ticket the desk never created throws `PermanentHandlerError` (it is dead-lettered).
struct BrewResultDesk: Sendable {
    /// Unix milliseconds now.
    let clock: @Sendable () -> Int64

    /// Applies `event`; events of other types are ignored (empty result).
    func apply(_ event: CoffeeEvent, db: Database) throws -> [CoffeeEvent] {
        switch event {
        case .drinkStarted(let e):
            try progress(e.payload.orderId, e.payload.ticketId, worker: e.payload.worker, attempt: e.payload.attempt,
                         outcome: .started, correlationId: e.correlationId, eventType: e.type, db: db)
        case .drinkBrewed(let e):
            try progress(e.payload.orderId, e.payload.ticketId, worker: e.payload.worker, attempt: e.payload.attempt,
                         outcome: .brewed, correlationId: e.correlationId, eventType: e.type, db: db)
        case .drinkFailed(let e):
            try progress(e.payload.orderId, e.payload.ticketId, worker: e.payload.worker, attempt: e.payload.attempts,
                         outcome: .failed(reason: e.payload.reason), correlationId: e.correlationId, eventType: e.type, db: db)
        default:
            []
        }
    }

    private enum Outcome {
        case started, brewed, failed(reason: String)
    }

    private func progress(_ orderId: String, _ ticketId: String, worker: String, attempt: Int, outcome: Outcome,
                          correlationId: String?, eventType: String, db: Database) throws -> [CoffeeEvent] {
        guard let row = try db.query(
            "SELECT t.status AS ticket_status, t.drink, o.status, o.correlation_id, o.ticket_count, o.tickets_done "
                + "FROM tickets t JOIN barista_orders o ON o.order_id = t.order_id WHERE t.ticket_id = ? AND t.order_id = ?",
            .text(ticketId), .text(orderId)).first
        else {
            throw PermanentHandlerError("\(eventType) for unknown ticket \(ticketId) of order \(orderId)")
        }
        let ticketText = try row.text("ticket_status")
        guard let ticket = TicketStatus(rawValue: ticketText) else {
            throw BaristaStoreError(message: "tickets.status holds unknown value '\(ticketText)'")
        }
        guard ticket == .queued || ticket == .brewing else { return [] }
        let now = clock()
        switch outcome {
        case .started:
            try db.run(
                "UPDATE tickets SET status = 'brewing', barista = ?, started_at_ms = COALESCE(started_at_ms, ?), attempts = ? "
                    + "WHERE ticket_id = ?", .text(worker), .integer(now), .integer(Int64(attempt)), .text(ticketId))
        case .brewed:
            try db.run(
                "UPDATE tickets SET status = 'done', barista = ?, started_at_ms = COALESCE(started_at_ms, ?), finish_at_ms = ?, "
                    + "attempts = ? WHERE ticket_id = ?",
                .text(worker), .integer(now), .integer(now), .integer(Int64(attempt)), .text(ticketId))
        case .failed:
            try db.run(
                "UPDATE tickets SET status = 'failed', barista = ?, finish_at_ms = ?, attempts = ? WHERE ticket_id = ?",
                .text(worker), .integer(now), .integer(Int64(attempt)), .text(ticketId))
        }

        var order = try OrderDesk.status(of: row)
        guard order == .queued || order == .brewing else { return [] }
        let correlationId = row["correlation_id"]?.textValue ?? correlationId
        var events: [CoffeeEvent] = []
        if case .failed(let reason) = outcome {
            let drink = row["drink"]?.textValue ?? "drink"
            let why = "\(drink) failed after \(attempt) attempt\(attempt == 1 ? "" : "s"): \(reason)"
            try db.run("UPDATE barista_orders SET status = 'FAILED', failure_reason = ? WHERE order_id = ?", .text(why), .text(orderId))
            return [BaristaEvents.failed(orderId: orderId, reason: why, correlationId: correlationId, atMillis: now)]
        }
        if order == .queued {
            order = .brewing
            try db.run(
                "UPDATE barista_orders SET status = 'BREWING', brewing_started_at_ms = ? WHERE order_id = ?",
                .integer(now), .text(orderId))
            events.append(BaristaEvents.brewingStarted(orderId: orderId, barista: worker, correlationId: correlationId, atMillis: now))
        }
        if case .brewed = outcome {
            let done = try row.int("tickets_done") + 1
            if done >= (try row.int("ticket_count")) {
                try db.run(
                    "UPDATE barista_orders SET status = 'READY', tickets_done = ?, ready_at_ms = ? WHERE order_id = ?",
                    .integer(Int64(done)), .integer(now), .text(orderId))
                events.append(BaristaEvents.ready(orderId: orderId, correlationId: correlationId, atMillis: now))
            } else {
                try db.run("UPDATE barista_orders SET tickets_done = ? WHERE order_id = ?", .integer(Int64(done)), .text(orderId))
            }
        }
        return events
    }
}
