import SQLite
import EventContracts
import ServiceKit
import SystemIO

/// Applies one consumed event to the notification tables (inside the chassis' transaction).
///
/// Rules (see `NotificationKind` for which events notify):
/// - `MemberRegistered` writes the member's contact (a re-registration overwrites it) and
///   delivers the member's waiting notifications whose order is known.
/// - `OrderPlaced` records the order (member and items), gives the order's waiting
///   notifications their member, stores the `received` notification, and delivers whatever
///   of the order is deliverable (the member's contact known).
/// - `OrderReady`, `OrderCancelled`, `OrderFailed` store one notification; it is delivered at
///   once when the order and the contact are known, else it waits and is delivered by the
///   `OrderPlaced` or `MemberRegistered` that completes it, in that event's transaction.
///
/// A repeated event is a no-op: `notifications.event_id` is unique and a contact remembers
/// the event that wrote it. Events with an empty order or member id can never be handled and
/// throw `PermanentHandlerError`; everything else (an order never placed, an unknown member)
/// waits rather than fails.
///
/// Each delivery is logged at info level from inside the transaction; should that
/// transaction be rolled back (a database error, then retried by the chassis) the line can
/// appear twice. The table (`GET /notifications`) and the file sink are the exact record.
/// Value type; use one per call.
struct NotificationHandler {
    let db: Database
    let nowMillis: @Sendable () -> Int64
    let logger: Logger
    let metrics: Metrics

    /// Applies `event`. Throws `SQLiteError` for database failures, `PermanentHandlerError`
    /// for an event with an empty id.
    func apply(_ event: CoffeeEvent) throws {
        switch event {
        case .memberRegistered(let e):
            try memberRegistered(e)
        case .orderPlaced(let e):
            try orderPlaced(e)
        case .orderReady(let e):
            try orderOutcome(eventId: e.eventId, eventType: e.type, kind: .ready, orderId: e.payload.orderId,
                             detail: nil, occurredAt: e.occurredAt)
        case .orderCancelled(let e):
            try orderOutcome(eventId: e.eventId, eventType: e.type, kind: .cancelled, orderId: e.payload.orderId,
                             detail: nil, occurredAt: e.occurredAt)
        case .orderFailed(let e):
            try orderOutcome(eventId: e.eventId, eventType: e.type, kind: .failed, orderId: e.payload.orderId,
                             detail: e.payload.reason, occurredAt: e.occurredAt)
        case .orderBrewingStarted, .cancellationRejected, .orderCancellationRequested, .orderPickedUp,
             .drinkRequested, .drinkStarted, .drinkBrewed, .drinkFailed:
            // Not notification-worthy (see NotificationKind); consumed and ignored.
            return
        }
        metrics.set(NotificationMetrics.waiting, to: Double(try NotificationStore.count(status: .waiting, in: db)))
    }

    private func memberRegistered(_ e: EventEnvelope<MemberRegistered>) throws {
        let member = e.payload
        guard !member.memberId.isEmpty else {
            throw PermanentHandlerError("MemberRegistered \(e.eventId) has an empty memberId")
        }
        // The same event again (a direct redelivery past the inbox) must not rewrite anything.
        if try NotificationStore.contactEventId(memberId: member.memberId, in: db) == e.eventId { return }
        try NotificationStore.saveContact(member, eventId: e.eventId, nowMs: nowMillis(), in: db)
        try deliver(NotificationStore.deliverable(memberId: member.memberId, in: db))
    }

    private func orderPlaced(_ e: EventEnvelope<OrderPlaced>) throws {
        let order = e.payload
        guard !order.orderId.isEmpty, !order.memberId.isEmpty else {
            throw PermanentHandlerError("OrderPlaced \(e.eventId) has an empty orderId or memberId")
        }
        let now = nowMillis()
        let notification = NotificationStore.NewNotification(
            eventId: e.eventId, eventType: e.type, kind: .received, orderId: order.orderId, memberId: order.memberId,
            detail: nil, createdAtMs: now, eventOccurredAt: e.occurredAt)
        if try NotificationStore.saveOrder(order, eventId: e.eventId, nowMs: now, in: db) {
            // The usual case: a new order, nothing of it waiting, the member's contact known.
            if try deliverAtOnce(notification, items: order.items) { return }
        } else {
            logger.debug("OrderPlaced \(e.eventId): order \(order.orderId) was already known; keeping its first member and items")
        }
        // The first OrderPlaced of an order decides its member.
        let memberId = try NotificationStore.orderMember(orderId: order.orderId, in: db) ?? order.memberId
        if memberId != order.memberId {
            logger.warning("OrderPlaced \(e.eventId) names member \(order.memberId) for order \(order.orderId), "
                + "which belongs to \(memberId); notifying \(memberId)")
        }
        try NotificationStore.assignMember(orderId: order.orderId, memberId: memberId, in: db)
        var waiting = notification
        waiting.memberId = memberId
        try NotificationStore.insertWaiting(waiting, in: db)
        try deliver(NotificationStore.deliverable(orderId: order.orderId, in: db))
    }

    private func orderOutcome(
        eventId: String, eventType: String, kind: NotificationKind, orderId: String, detail: String?, occurredAt: String
    ) throws {
        guard !orderId.isEmpty else { throw PermanentHandlerError("\(eventType) \(eventId) has an empty orderId") }
        let notification = NotificationStore.NewNotification(
            eventId: eventId, eventType: eventType, kind: kind, orderId: orderId, memberId: nil,
            detail: detail, createdAtMs: nowMillis(), eventOccurredAt: occurredAt)
        if try deliverAtOnce(notification) { return }
        let memberId = try NotificationStore.orderMember(orderId: orderId, in: db)
        var waiting = notification
        waiting.memberId = memberId
        let stored = try NotificationStore.insertWaiting(waiting, in: db)
        guard stored else { return }  // this event's notification exists already
        guard memberId != nil else {
            logger.debug("\(eventType) \(eventId): order \(orderId) not placed yet; its notification waits")
            return
        }
        try deliver(NotificationStore.deliverable(orderId: orderId, in: db))
    }

    /// Stores `new` already delivered when it can be delivered now and nothing of its order
    /// waits (so it cannot overtake an earlier notification): the order is known and so is its
    /// member's contact. True when handled so (also when a notification for the event existed
    /// already); false when the caller must take the waiting path. Writes the same row the
    /// waiting path ends with, without the waiting step.
    /// `items`, when given, are the order's as just stored (saves reading them back).
    private func deliverAtOnce(_ new: NotificationStore.NewNotification, items knownItems: [OrderItem]? = nil) throws -> Bool {
        guard let context = try NotificationStore.deliveryContext(orderId: new.orderId, in: db),
              !context.hasWaiting, let contact = context.contact
        else { return false }
        let items = knownItems ?? NotificationStore.decodeItems(context.itemsJSON)
        let message = NotificationText.render(kind: new.kind, name: contact.name, items: items, reason: new.detail)
        let nowMs = nowMillis()
        var stored = new
        stored.memberId = context.memberId
        guard try NotificationStore.insertDelivered(stored, memberId: context.memberId, recipient: contact.email,
                                                    message: message, nowMs: nowMs, in: db)
        else { return true }  // this event's notification exists already
        let notificationId = db.lastInsertRowId
        metrics.increment(NotificationMetrics.delivered)
        logger.info("notification \(notificationId) (\(new.kind.rawValue), order \(new.orderId)) "
            + "delivered by email to \(contact.email): \(message)")
        return true
    }

    /// Renders and marks each deliverable notification delivered, logging each one.
    private func deliver(_ deliverables: [NotificationStore.Deliverable]) throws {
        var delivered = 0
        for item in deliverables {
            let message = NotificationText.render(kind: item.kind, name: item.name, items: item.items, reason: item.detail)
            let changed = try NotificationStore.markDelivered(
                notificationId: item.notificationId, memberId: item.memberId, recipient: item.email, message: message,
                nowMs: nowMillis(), in: db)
            guard changed else { continue }
            delivered += 1
            logger.info("notification \(item.notificationId) (\(item.kind.rawValue), order \(item.orderId)) "
                + "delivered by email to \(item.email): \(message)")
        }
        if delivered > 0 { metrics.increment(NotificationMetrics.delivered, by: Double(delivered)) }
    }
}
