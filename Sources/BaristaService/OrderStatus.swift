/// The barista's status of one order (`barista_orders.status`).
///
/// Moves only forward: `QUEUED → BREWING → READY`, `QUEUED → CANCELLED`, and `→ FAILED`: at
/// once for an order the barista cannot make (it never gets tickets), or from `QUEUED` or
/// `BREWING` when the workers give up on one of its drinks.
public enum OrderStatus: String, Sendable, CaseIterable, Hashable {
    /// Tickets created, none started yet; a cancellation is still accepted.
    case queued = "QUEUED"
    /// At least one ticket started; a cancellation is rejected.
    case brewing = "BREWING"
    /// Every ticket is done.
    case ready = "READY"
    /// Cancelled before any ticket started.
    case cancelled = "CANCELLED"
    /// The barista cannot make the order (unknown or unavailable drink), or a drink of it failed
    /// on every attempt.
    case failed = "FAILED"
}
