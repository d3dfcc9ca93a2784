import ServiceKit

/// The barista-service's metric names (rendered by the chassis at `/metrics`).
enum BaristaMetrics {
    /// Counter: tickets (drink units) brewed to `done`.
    static let ticketsBrewed = "barista_tickets_brewed_total"
    /// Gauge: tickets waiting for a barista.
    static let queueDepth = "barista_queue_depth"
    /// Gauge: tickets being brewed right now.
    static let brewingTickets = "barista_brewing_tickets"

    /// Declares the families with their help texts (idempotent).
    static func declare(in metrics: Metrics) {
        metrics.declare(ticketsBrewed, kind: .counter, help: "Tickets (drink units) brewed to done.")
        metrics.declare(queueDepth, kind: .gauge, help: "Tickets waiting for a free barista.")
        metrics.declare(brewingTickets, kind: .gauge, help: "Tickets being brewed now.")
    }
}
