import EventContracts
import ServiceKit
import SQLite

/// Applies the barista's events to the order-service's copy of each order.
///
/// The status only moves forward (see `OrderStatus.applying`): an event that does not apply to
/// the order's current status — a late, repeated or out-of-order one — is recorded in the
/// history as ignored and changes nothing else, never an error. `CancellationRejected` adds a
/// history note and leaves both the status and the cancellation flag as they are. An event
/// about an order this service does not know throws `PermanentHandlerError` (the chassis
/// dead-letters it). Events of other types are ignored without a trace.
///
/// Value type; call `apply` inside the chassis' transaction (it uses only the given database).
struct BaristaEventApplier {
    /// Unix milliseconds now, for events whose `occurredAt` does not parse.
    let nowMillis: @Sendable () -> Int64
    /// Where transitions and ignored events are counted.
    let metrics: OrderMetrics

    /// What `apply` did.
    enum Outcome: Equatable {
        /// The status moved from one value to another.
        case moved(from: OrderStatus, to: OrderStatus)
        /// A note was recorded; the status did not change.
        case noted
        /// The event did not apply to the order's status and was recorded as ignored.
        case ignored(status: OrderStatus)
        /// The event is not a barista decision.
        case notForUs
    }

    /// Applies `event` in `db` (inside the caller's transaction).
    @discardableResult
    func apply(_ event: CoffeeEvent, in db: Database) throws -> Outcome {
        guard let (decision, orderId, eventId, occurredAt) = BaristaDecision.from(event) else { return .notForUs }
        let store = OrderStore(db: db)
        guard let order = try store.order(orderId) else {
            throw PermanentHandlerError("unknown order \(orderId) (\(event.type) event \(eventId))")
        }
        let atMs = RFC3339.unixMillis(occurredAt) ?? nowMillis()
        let status = order.status

        if case .cancellationRejected = decision {
            try store.appendHistory(orderId, status: status, changed: false, event: decision.eventType, atMs: atMs,
                                    eventId: eventId, note: decision.note)
            return .noted
        }
        guard let next = status.applying(decision),
              try store.updateStatus(orderId, from: status, to: next,
                                     updatedAt: RFC3339.format(unixMillis: nowMillis()),
                                     readyAtMs: next == .ready ? atMs : nil)
        else {
            let reason = "ignored: order is \(status.rawValue)"
            try store.appendHistory(orderId, status: status, changed: false, event: decision.eventType, atMs: atMs,
                                    eventId: eventId, note: decision.note.map { "\(reason); \($0)" } ?? reason)
            metrics.ignoredEvent(type: decision.eventType)
            return .ignored(status: status)
        }
        try store.appendHistory(orderId, status: next, changed: true, event: decision.eventType, atMs: atMs,
                                eventId: eventId, note: decision.note)
        metrics.transition(to: next)
        return .moved(from: status, to: next)
    }
}
