import ServiceKit

/// The order-service's own metric families on the chassis' registry (rendered at `/metrics`).
///
/// Counters are bumped when the work is done; one bumped inside the chassis' transaction may
/// overcount if that transaction later rolls back and is retried (rare; the database is the
/// truth, `/admin/stats` reads it). Value type; thread-safe (`Metrics` is).
struct OrderMetrics: Sendable {
    /// Members registered (counter).
    static let membersRegistered = "members_registered_total"
    /// Orders placed, replays excluded (counter).
    static let ordersPlaced = "orders_placed_total"
    /// `POST /orders` answered from an idempotency key (counter).
    static let idempotentReplays = "orders_idempotent_replays_total"
    /// Accepted cancellation requests, the first per order (counter).
    static let cancellationsRequested = "orders_cancellations_requested_total"
    /// Orders picked up (counter).
    static let pickups = "orders_picked_up_total"
    /// Status changes caused by barista events, label `status` (counter).
    static let transitions = "orders_status_transitions_total"
    /// Barista events that did not apply, label `type` (counter).
    static let ignoredEvents = "orders_ignored_barista_events_total"
    /// Requests answered with a 4xx, label `status` (counter).
    static let rejectedRequests = "orders_rejected_requests_total"

    /// The registry.
    let registry: Metrics

    /// Declares the families on `registry`.
    init(registry: Metrics) {
        self.registry = registry
        registry.declare(Self.membersRegistered, kind: .counter, help: "Members registered.")
        registry.declare(Self.ordersPlaced, kind: .counter, help: "Orders placed (idempotent replays not counted).")
        registry.declare(Self.idempotentReplays, kind: .counter, help: "POST /orders answered from an idempotency key.")
        registry.declare(Self.cancellationsRequested, kind: .counter, help: "Cancellation requests accepted (first per order).")
        registry.declare(Self.pickups, kind: .counter, help: "Orders picked up.")
        registry.declare(Self.transitions, kind: .counter, help: "Status changes caused by barista events, by new status.", labelled: true)
        registry.declare(Self.ignoredEvents, kind: .counter, help: "Barista events that did not apply to the order's status, by type.", labelled: true)
        registry.declare(Self.rejectedRequests, kind: .counter, help: "HTTP requests rejected with a 4xx status, by status.", labelled: true)
    }

    /// Counts a registered member.
    func memberRegistered() { registry.increment(Self.membersRegistered) }
    /// Counts a placed order.
    func orderPlaced() { registry.increment(Self.ordersPlaced) }
    /// Counts a replayed `POST /orders`.
    func idempotentReplay() { registry.increment(Self.idempotentReplays) }
    /// Counts an accepted cancellation request.
    func cancellationRequested() { registry.increment(Self.cancellationsRequested) }
    /// Counts a pick-up.
    func pickedUp() { registry.increment(Self.pickups) }
    /// Counts a status change caused by a barista event.
    func transition(to status: OrderStatus) { registry.increment(Self.transitions, labels: ["status": status.rawValue]) }
    /// Counts a barista event that did not apply.
    func ignoredEvent(type: String) { registry.increment(Self.ignoredEvents, labels: ["type": type]) }
    /// Counts a request rejected with `status`.
    func rejected(status: Int) { registry.increment(Self.rejectedRequests, labels: ["status": String(status)]) }
}
