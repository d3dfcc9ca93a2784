import ServiceKit

/// The barista-service's metric names (rendered by the chassis at `/metrics`).
enum BaristaMetrics {
    /// Counter: `DrinkBrewed` results handled (repeats included).
    static let ticketsBrewed = "barista_tickets_brewed_total"

    /// Declares the families with their help texts (idempotent).
    static func declare(in metrics: Metrics) {
        metrics.declare(ticketsBrewed, kind: .counter, help: "DrinkBrewed results handled by the order desk (repeats included).")
    }
}
