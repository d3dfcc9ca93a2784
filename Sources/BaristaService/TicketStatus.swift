/// The status of one ticket, one drink unit of an order (`tickets.status`).
///
/// `queued → brewing → done`, or `queued → cancelled` when the order is cancelled. A ticket
/// that brews in 0 ms goes from `queued` to `done` in one scheduler step.
public enum TicketStatus: String, Sendable, CaseIterable, Hashable {
    /// Waiting for a free barista.
    case queued
    /// A barista is making it until `finish_at_ms`.
    case brewing
    /// Made.
    case done
    /// Its order was cancelled before it started.
    case cancelled
}
