import EventContracts

/// What the barista decided about one order, as read from one `coffee.barista` event.
/// Value type.
enum BaristaDecision: Sendable, Equatable {
    /// `OrderBrewingStarted`: moves `PLACED` to `BREWING`.
    case brewingStarted(barista: String?)
    /// `OrderReady`: moves `PLACED`/`BREWING` to `READY`.
    case ready
    /// `OrderCancelled`: moves `PLACED`/`BREWING` to `CANCELLED`.
    case cancelled
    /// `OrderFailed`: moves `PLACED`/`BREWING` to `FAILED`.
    case failed(reason: String)
    /// `CancellationRejected`: noted in the history; the status does not change.
    case cancellationRejected(reason: String)

    /// The decision carried by `event` with its order id, event id and occurrence time (RFC
    /// 3339 text as sent); nil for events that are not the barista's (they are ignored).
    static func from(_ event: CoffeeEvent)
        -> (decision: BaristaDecision, orderId: String, eventId: String, occurredAt: String)? {
        switch event {
        case .orderBrewingStarted(let e):
            (.brewingStarted(barista: e.payload.barista), e.payload.orderId, e.eventId, e.occurredAt)
        case .orderReady(let e):
            (.ready, e.payload.orderId, e.eventId, e.occurredAt)
        case .orderCancelled(let e):
            (.cancelled, e.payload.orderId, e.eventId, e.occurredAt)
        case .orderFailed(let e):
            (.failed(reason: e.payload.reason), e.payload.orderId, e.eventId, e.occurredAt)
        case .cancellationRejected(let e):
            (.cancellationRejected(reason: e.payload.reason), e.payload.orderId, e.eventId, e.occurredAt)
        case .memberRegistered, .orderPlaced, .orderCancellationRequested, .orderPickedUp,
             .drinkRequested, .drinkStarted, .drinkBrewed, .drinkFailed:
            nil
        }
    }

    /// The contract name of the event the decision came from (recorded in the history).
    var eventType: String {
        switch self {
        case .brewingStarted: OrderBrewingStarted.eventType
        case .ready: OrderReady.eventType
        case .cancelled: OrderCancelled.eventType
        case .failed: OrderFailed.eventType
        case .cancellationRejected: CancellationRejected.eventType
        }
    }

    /// The history note the decision carries (who brews, why it failed or was rejected).
    var note: String? {
        switch self {
        case .brewingStarted(let barista): barista.map { "barista: \($0)" }
        case .ready, .cancelled: nil
        case .failed(let reason): "failed: \(reason)"
        case .cancellationRejected(let reason): "cancellation rejected: \(reason)"
        }
    }
}
