import ServiceKit

/// The barista worker's metric names (at `/metrics`).
enum BaristaWorkerMetrics {
    /// Counter: drinks taken from the queue (every delivery).
    static let deliveries = "barista_worker_deliveries_total"
    /// Counter by `outcome`: `brewed`, `released` (machine broke, tried again), `failed` (given
    /// up and dead-lettered), `malformed`, `interrupted` (stopping), `unpublished` (publish failed).
    static let drinks = "barista_worker_drinks_total"
    /// Gauge: 1 while a drink is brewing.
    static let brewing = "barista_worker_brewing"

    /// Declares the families with their help texts (idempotent).
    static func declare(in metrics: Metrics) {
        metrics.declare(deliveries, kind: .counter, help: "Drinks taken from the brewing queue (every delivery).")
        metrics.declare(drinks, kind: .counter, help: "Drinks handled, by outcome.", labelled: true)
        metrics.declare(brewing, kind: .gauge, help: "1 while a drink is brewing.")
    }
}
