public import SQLite
import EventContracts
import ServiceKit

/// The brewing simulation: N baristas (slots `barista-1` … `barista-N`) take queued tickets in
/// FIFO order and brew each for the menu's preparation time × the speed factor.
///
/// One `runSchedulerStep(now:)` is one SQLite transaction that (a) finishes every brewing
/// ticket whose `finish_at_ms ≤ now` (an order whose tickets are all done becomes `READY`,
/// emitting `OrderReady`), then (b) gives the oldest queued tickets to the free baristas,
/// starting at `now` and finishing at `now + brew time` (an order's first started ticket
/// makes it `BREWING`, emitting `OrderBrewingStarted` naming the barista). A ticket whose brew
/// time is 0 is done at once and its barista takes the next one, so with speed factor 0 an
/// order goes `QUEUED → BREWING → READY` in a single step and a backlog drains in steps of
/// `maxTicketsPerStep` tickets (one fsync each) instead of N.
///
/// Crash safety: all state is in the database — the slots are the `brewing` tickets' `barista`
/// column — and every event is written to the outbox in the same transaction as the state
/// change it reports, so after a crash brewing tickets simply finish at their `finish_at_ms`
/// and nothing is emitted twice or lost.
///
/// Value type, `Sendable`; the `Database` serialises calls, and the cancellation handler runs
/// in its own transaction, so a cancellation sees either none or all of a step.
public struct BrewScheduler: Sendable {
    /// The service database (migrated with `BaristaMigrations`).
    public let database: Database
    /// Barista count, speed factor and step budget.
    public let settings: BaristaSettings

    /// Creates a scheduler over `database`.
    public init(database: Database, settings: BaristaSettings) {
        self.database = database
        self.settings = settings
    }

    /// Runs one step at time `now` (Unix ms) in one transaction; see the type's documentation.
    /// Throws `SQLiteError` (nothing of the step is written then).
    public func runSchedulerStep(now: Int64) throws -> SchedulerStepResult {
        try database.transaction { db in
            var step = Step(now: now, settings: settings, db: db)
            try step.run()
            return step.result
        }
    }

    /// How many tickets are queued (cheap: a count over the `tickets_queued` partial index).
    public func queuedTicketCount() throws -> Int {
        try database.scalar("SELECT COUNT(*) FROM tickets WHERE status = 'queued'").intValue ?? 0
    }
}

/// One step's working state, inside the step's transaction.
private struct Step {
    /// An order touched by this step, as it will be written back.
    struct Progress {
        var status: OrderStatus
        let correlationId: String?
        let ticketCount: Int
        var ticketsDone: Int
        var brewingStartedAtMs: Int64?
        var readyAtMs: Int64?
        var changed = false
    }

    let now: Int64
    let settings: BaristaSettings
    let db: Database
    var orders: [String: Progress] = [:]
    /// Touched order ids in first-touch order, so writes are deterministic.
    var touched: [String] = []
    var events: [CoffeeEvent] = []
    var result = SchedulerStepResult()

    /// The order columns read together with every ticket.
    static let orderColumns =
        "o.status, o.correlation_id, o.ticket_count, o.tickets_done, o.brewing_started_at_ms, o.ready_at_ms"

    init(now: Int64, settings: BaristaSettings, db: Database) {
        self.now = now
        self.settings = settings
        self.db = db
    }

    mutating func run() throws {
        var stillBrewing: [Int64] = []
        var occupied = Set<String>()
        let brewing = try db.query(
            "SELECT t.seq, t.order_id, t.barista, t.finish_at_ms, \(Self.orderColumns) FROM tickets t "
                + "JOIN barista_orders o ON o.order_id = t.order_id WHERE t.status = 'brewing' "
                + "ORDER BY t.finish_at_ms, t.seq")
        for row in brewing {
            let orderId = try row.text("order_id")
            try track(orderId, row)
            let finishAt = row["finish_at_ms"]?.int64Value ?? now
            if finishAt <= now {
                try db.run("UPDATE tickets SET status = 'done' WHERE seq = ?", .integer(try row.int64("seq")))
                ticketDone(orderId)
            } else {
                stillBrewing.append(finishAt)
                if let barista = row["barista"]?.textValue { occupied.insert(barista) }
            }
        }

        // Free baristas, lowest number first; never more than N tickets brew at once, even if
        // N was lowered while higher-numbered baristas were still brewing.
        let capacity = max(0, settings.baristaCount - stillBrewing.count)
        var free = (1...settings.baristaCount).map { "barista-\($0)" }.filter { !occupied.contains($0) }
        free = Array(free.prefix(capacity))
        if !free.isEmpty {
            let budget = settings.maxTicketsPerStep
            // Without instant drinks no barista takes two tickets in one step: read only as
            // many tickets as there are free baristas.
            let limit = settings.hasInstantDrinks ? budget : min(free.count, budget)
            let queued = try db.query(
                "SELECT t.seq, t.order_id, t.drink, t.size, \(Self.orderColumns) FROM tickets t "
                    + "JOIN barista_orders o ON o.order_id = t.order_id WHERE t.status = 'queued' "
                    + "ORDER BY t.seq LIMIT ?", .integer(Int64(limit)))
            var taken = 0
            for row in queued {
                guard !free.isEmpty else { break }
                let barista = free.removeFirst()
                let brewMillis = try brewTime(row)
                let finishAt = now + brewMillis
                let orderId = try row.text("order_id")
                try track(orderId, row)
                ticketStarted(orderId, barista: barista)
                if finishAt <= now {
                    try db.run(
                        "UPDATE tickets SET status = 'done', barista = ?, started_at_ms = ?, finish_at_ms = ? WHERE seq = ?",
                        .text(barista), .integer(now), .integer(finishAt), .integer(try row.int64("seq")))
                    ticketDone(orderId)
                    // Instant: the barista is free again; rotate so work spreads over everyone.
                    free.append(barista)
                } else {
                    try db.run(
                        "UPDATE tickets SET status = 'brewing', barista = ?, started_at_ms = ?, finish_at_ms = ? WHERE seq = ?",
                        .text(barista), .integer(now), .integer(finishAt), .integer(try row.int64("seq")))
                    stillBrewing.append(finishAt)
                }
                taken += 1
            }
            if queued.count < limit {
                result.queuedTicketsRemaining = queued.count - taken
            } else {
                result.hasMoreWork = !free.isEmpty
            }
        }

        try writeOrders()
        for event in events { try Outbox.enqueue(event, in: db) }
        result.emittedEvents = events.count
        result.brewingTickets = stillBrewing.count
        result.nextFinishAtMs = stillBrewing.min()
    }

    /// The brew time of the ticket in `row`; a drink no longer on the menu brews instantly
    /// (it was accepted when it was, and must not block its order forever).
    private func brewTime(_ row: Row) throws -> Int64 {
        let drink = try row.text("drink")
        guard let size = DrinkSize(rawValue: try row.text("size")) else { return 0 }
        return settings.brewMillis(of: drink, size: size) ?? 0
    }

    /// Loads the order of a ticket row into `orders` the first time it is seen.
    private mutating func track(_ orderId: String, _ row: Row) throws {
        guard orders[orderId] == nil else { return }
        orders[orderId] = Progress(
            status: try OrderDesk.status(of: row),
            correlationId: row["correlation_id"]?.textValue,
            ticketCount: try row.int("ticket_count"),
            ticketsDone: try row.int("tickets_done"),
            brewingStartedAtMs: row["brewing_started_at_ms"]?.int64Value,
            readyAtMs: row["ready_at_ms"]?.int64Value)
        touched.append(orderId)
    }

    /// A ticket of `orderId` started: the order's first one makes it `BREWING`.
    private mutating func ticketStarted(_ orderId: String, barista: String) {
        result.startedTickets += 1
        guard var order = orders[orderId], order.status == .queued else { return }
        order.status = .brewing
        order.brewingStartedAtMs = now
        order.changed = true
        orders[orderId] = order
        events.append(BaristaEvents.brewingStarted(
            orderId: orderId, barista: barista, correlationId: order.correlationId, atMillis: now))
        result.brewingStartedOrders.append(orderId)
    }

    /// A ticket of `orderId` is done: the order's last one makes it `READY`.
    private mutating func ticketDone(_ orderId: String) {
        result.finishedTickets += 1
        guard var order = orders[orderId] else { return }
        order.ticketsDone += 1
        order.changed = true
        if order.ticketsDone >= order.ticketCount, order.status == .brewing {
            order.status = .ready
            order.readyAtMs = now
            events.append(BaristaEvents.ready(orderId: orderId, correlationId: order.correlationId, atMillis: now))
            result.readyOrders.append(orderId)
        }
        orders[orderId] = order
    }

    private func writeOrders() throws {
        let update = try db.prepare(
            "UPDATE barista_orders SET status = ?, tickets_done = ?, brewing_started_at_ms = ?, ready_at_ms = ? "
                + "WHERE order_id = ?")
        for orderId in touched {
            guard let order = orders[orderId], order.changed else { continue }
            try update.run(
                .text(order.status.rawValue), .integer(Int64(order.ticketsDone)),
                order.brewingStartedAtMs.map { .integer($0) } ?? .null, order.readyAtMs.map { .integer($0) } ?? .null,
                .text(orderId))
        }
    }
}
