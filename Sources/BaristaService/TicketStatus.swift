/// The status of one ticket, one drink unit of an order (`tickets.status`), as the order desk
/// learns it from the brewing queue's results.
///
/// `queued → brewing → done` (a `DrinkBrewed` may also arrive for a `queued` ticket whose
/// `DrinkStarted` the desk has not seen), `queued → cancelled` when the order is cancelled
/// first, and `queued`/`brewing → failed` when the workers gave up on the drink.
public enum TicketStatus: String, Sendable, CaseIterable, Hashable {
    /// Requested on the brewing queue; no worker has reported starting it.
    case queued
    /// A worker started it.
    case brewing
    /// Made.
    case done
    /// Its order was cancelled before any drink started.
    case cancelled
    /// The workers gave up on it (`DrinkFailed`); its order failed.
    case failed
}
