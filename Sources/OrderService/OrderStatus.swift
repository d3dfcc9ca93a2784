/// The order-service's copy of an order's status.
///
/// Lifecycle: `PLACED → BREWING → READY → COMPLETED`, and from `PLACED` or `BREWING` to
/// `CANCELLED` or `FAILED`. `COMPLETED`, `CANCELLED` and `FAILED` are terminal: nothing moves an
/// order out of them. Every other move goes to a higher `rank`, so the status never goes
/// backwards whatever order events arrive in. Raw values are the upper-case names stored in
/// the database and shown in the API.
public enum OrderStatus: String, Sendable, CaseIterable, Hashable {
    /// Accepted; the barista has not started.
    case placed = "PLACED"
    /// A barista started on it.
    case brewing = "BREWING"
    /// Every drink is ready for pick-up.
    case ready = "READY"
    /// The customer picked it up.
    case completed = "COMPLETED"
    /// The barista cancelled it before brewing started.
    case cancelled = "CANCELLED"
    /// The barista could not make it.
    case failed = "FAILED"

    /// Progress along the lifecycle: PLACED 0, BREWING 1, READY 2, and 3 for the terminal
    /// statuses. A status change never lowers it.
    public var rank: Int {
        switch self {
        case .placed: 0
        case .brewing: 1
        case .ready: 2
        case .completed, .cancelled, .failed: 3
        }
    }

    /// True for `COMPLETED`, `CANCELLED` and `FAILED`, which no event or request leaves.
    public var isTerminal: Bool { rank == 3 }

    /// True while the barista may still act on the order (`PLACED` or `BREWING`).
    var isWithBarista: Bool { self == .placed || self == .brewing }

    /// The status after the barista's `decision`, or nil when the decision does not apply to
    /// an order in this status (a late or repeated event) and must be ignored.
    func applying(_ decision: BaristaDecision) -> OrderStatus? {
        switch decision {
        case .brewingStarted: self == .placed ? .brewing : nil
        case .ready: isWithBarista ? .ready : nil
        case .cancelled: isWithBarista ? .cancelled : nil
        case .failed: isWithBarista ? .failed : nil
        case .cancellationRejected: nil
        }
    }
}
