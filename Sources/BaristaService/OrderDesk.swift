import SQLite
import EventContracts
import ServiceKit

/// Applies the consumed `coffee.orders` events to the barista's tables, inside the chassis'
/// transaction, and returns the events to publish. Value type; holds no state of its own.
///
/// - `OrderPlaced`: creates the order's ticket set once per order id (a second `OrderPlaced`
///   for the same id, whatever its event id, changes nothing) and requests every ticket's
///   drink on the brewing queue (`DrinkRequested`, one per ticket, in ticket order). An order
///   the barista cannot make gets a `FAILED` row without tickets and an `OrderFailed` naming
///   the reason.
/// - `OrderCancellationRequested`: `QUEUED` (no worker reported starting a drink) →
///   `CANCELLED` with `OrderCancelled`; `BREWING` or `READY` → `CancellationRejected`;
///   `CANCELLED`/`FAILED` → nothing. Drinks of a cancelled order still on the queue are brewed
///   by whoever takes them and their results ignored: the queue has no way to withdraw a record.
/// - `OrderPickedUp`: marks the order picked up (no event).
///
/// A cancellation or pickup for an order id never placed throws `PermanentHandlerError`: it
/// shares the key, topic and so partition with its `OrderPlaced`, so it cannot overtake it.
struct OrderDesk: Sendable {
    /// What the shop can make.
    let settings: BaristaSettings
    /// Unix milliseconds now.
    let clock: @Sendable () -> Int64

    /// Applies `event`; events of other types are ignored (empty result).
    func apply(_ event: CoffeeEvent, db: Database) throws -> [CoffeeEvent] {
        switch event {
        case .orderPlaced(let placed): try place(placed, db: db)
        case .orderCancellationRequested(let request): try cancel(request, db: db)
        case .orderPickedUp(let pickup): try pickUp(pickup, db: db)
        default: []
        }
    }

    private func place(_ envelope: EventEnvelope<OrderPlaced>, db: Database) throws -> [CoffeeEvent] {
        let order = envelope.payload
        let now = clock()
        let failure = failureReason(for: order)
        let ticketCount = failure == nil ? order.items.reduce(0) { $0 + $1.quantity } : 0
        // The UNIQUE order_id makes a repeated OrderPlaced (new event id, same order) a no-op.
        let inserted = try db.run(
            "INSERT OR IGNORE INTO barista_orders (order_id, member_id, status, correlation_id, failure_reason, "
                + "ticket_count, received_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
            .text(order.orderId), .text(order.memberId),
            .text((failure == nil ? OrderStatus.queued : OrderStatus.failed).rawValue),
            envelope.correlationId.map { .text($0) } ?? .null, failure.map { .text($0) } ?? .null,
            .integer(Int64(ticketCount)), .integer(now))
        guard inserted > 0 else { return [] }
        if let failure {
            return [BaristaEvents.failed(
                orderId: order.orderId, reason: failure, correlationId: envelope.correlationId, atMillis: now)]
        }
        let insertTicket = try db.prepare(
            "INSERT INTO tickets (ticket_id, order_id, ticket_no, drink, size, status) VALUES (?, ?, ?, ?, ?, 'queued')")
        var requests: [CoffeeEvent] = []
        requests.reserveCapacity(ticketCount)
        var number = 0
        for item in order.items {
            for _ in 0..<item.quantity {
                number += 1
                let ticketId = Self.ticketId(orderId: order.orderId, number: number)
                try insertTicket.run(
                    .text(ticketId), .text(order.orderId), .integer(Int64(number)), .text(item.drink), .text(item.size.rawValue))
                requests.append(BaristaEvents.drinkRequested(
                    orderId: order.orderId, ticketId: ticketId, drink: item.drink, size: item.size,
                    correlationId: envelope.correlationId, atMillis: now))
            }
        }
        return requests
    }

    /// Why the barista cannot make `order`, or nil when it can. Checks, in order: the order's
    /// shape (the limits of the `OrderPlaced` schema), drinks not on the menu, drinks the shop
    /// cannot make.
    func failureReason(for order: OrderPlaced) -> String? {
        guard !order.items.isEmpty else { return "order has no drinks" }
        guard order.items.count <= Menu.maxLines else {
            return "too many order lines (\(order.items.count), at most \(Menu.maxLines))"
        }
        for item in order.items {
            guard settings.menu.drink(named: item.drink) != nil else { return "unknown drink '\(item.drink)'" }
            guard (1...Menu.maxQuantity).contains(item.quantity) else {
                return "invalid quantity \(item.quantity) of \(item.drink) (1...\(Menu.maxQuantity))"
            }
        }
        if let drink = order.items.first(where: { settings.cannotMake.contains($0.drink) })?.drink {
            return "cannot make \(drink)"
        }
        return nil
    }

    private func cancel(_ envelope: EventEnvelope<OrderCancellationRequested>, db: Database) throws -> [CoffeeEvent] {
        let orderId = envelope.payload.orderId
        guard let row = try db.query(
            "SELECT status, correlation_id FROM barista_orders WHERE order_id = ?", .text(orderId)).first
        else {
            throw PermanentHandlerError("OrderCancellationRequested for unknown order \(orderId)")
        }
        let status = try Self.status(of: row)
        let correlationId = envelope.correlationId ?? row["correlation_id"]?.textValue
        let now = clock()
        switch status {
        case .queued:
            try db.run(
                "UPDATE barista_orders SET status = 'CANCELLED', cancelled_at_ms = ? WHERE order_id = ?",
                .integer(now), .text(orderId))
            try db.run(
                "UPDATE tickets SET status = 'cancelled' WHERE order_id = ? AND status = 'queued'", .text(orderId))
            return [BaristaEvents.cancelled(orderId: orderId, correlationId: correlationId, atMillis: now)]
        case .brewing, .ready:
            let reason = status == .brewing ? "already brewing" : "already ready"
            return [BaristaEvents.cancellationRejected(
                orderId: orderId, reason: reason, correlationId: correlationId, atMillis: now)]
        case .cancelled, .failed:
            return []
        }
    }

    private func pickUp(_ envelope: EventEnvelope<OrderPickedUp>, db: Database) throws -> [CoffeeEvent] {
        let orderId = envelope.payload.orderId
        let changed = try db.run(
            "UPDATE barista_orders SET picked_up = 1, picked_up_at_ms = COALESCE(picked_up_at_ms, ?) WHERE order_id = ?",
            .integer(clock()), .text(orderId))
        guard changed > 0 else { throw PermanentHandlerError("OrderPickedUp for unknown order \(orderId)") }
        return []
    }

    /// `<orderId>-<number>`, the id of an order's `number`th ticket (from 1).
    static func ticketId(orderId: String, number: Int) -> String { "\(orderId)-\(number)" }

    /// The `status` column of a `barista_orders` row.
    static func status(of row: Row) throws -> OrderStatus {
        let text = try row.text("status")
        guard let status = OrderStatus(rawValue: text) else {
            throw BaristaStoreError(message: "barista_orders.status holds unknown value '\(text)'")
        }
        return status
    }
}
