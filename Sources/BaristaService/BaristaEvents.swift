import EventContracts
import ServiceKit

/// Builds the events the barista-service publishes on `coffee.barista` (and the drink requests
/// it puts on `coffee.brew-queue`), each keyed by its
/// order id, carrying the correlation id of the flow that caused it and `occurredAt` taken
/// from the service's clock (so tests with a manual clock get deterministic times).
enum BaristaEvents {
    /// `OrderBrewingStarted` naming the barista who took the order's first ticket.
    static func brewingStarted(orderId: String, barista: String, correlationId: String?, atMillis: Int64) -> CoffeeEvent {
        .orderBrewingStarted(EventEnvelope(
            payload: OrderBrewingStarted(orderId: orderId, barista: barista),
            correlationId: correlationId, occurredAt: DeadLetter.rfc3339(unixMillis: atMillis)))
    }

    /// `OrderReady`: every ticket of the order is done.
    static func ready(orderId: String, correlationId: String?, atMillis: Int64) -> CoffeeEvent {
        .orderReady(EventEnvelope(
            payload: OrderReady(orderId: orderId),
            correlationId: correlationId, occurredAt: DeadLetter.rfc3339(unixMillis: atMillis)))
    }

    /// `OrderCancelled`: the order was cancelled before any ticket started.
    static func cancelled(orderId: String, correlationId: String?, atMillis: Int64) -> CoffeeEvent {
        .orderCancelled(EventEnvelope(
            payload: OrderCancelled(orderId: orderId),
            correlationId: correlationId, occurredAt: DeadLetter.rfc3339(unixMillis: atMillis)))
    }

    /// `CancellationRejected` with `reason` ("already brewing", "already ready").
    static func cancellationRejected(orderId: String, reason: String, correlationId: String?, atMillis: Int64) -> CoffeeEvent {
        .cancellationRejected(EventEnvelope(
            payload: CancellationRejected(orderId: orderId, reason: reason),
            correlationId: correlationId, occurredAt: DeadLetter.rfc3339(unixMillis: atMillis)))
    }

    /// `OrderFailed` with `reason` (names the drink, or "machine broke").
    static func failed(orderId: String, reason: String, correlationId: String?, atMillis: Int64) -> CoffeeEvent {
        .orderFailed(EventEnvelope(
            payload: OrderFailed(orderId: orderId, reason: reason),
            correlationId: correlationId, occurredAt: DeadLetter.rfc3339(unixMillis: atMillis)))
    }

    /// `DrinkRequested`: one ticket's drink, for the brewing queue.
    static func drinkRequested(orderId: String, ticketId: String, drink: String, size: DrinkSize,
                               correlationId: String?, atMillis: Int64) -> CoffeeEvent {
        .drinkRequested(EventEnvelope(
            payload: DrinkRequested(orderId: orderId, ticketId: ticketId, drink: drink, size: size),
            correlationId: correlationId, occurredAt: DeadLetter.rfc3339(unixMillis: atMillis)))
    }
}
