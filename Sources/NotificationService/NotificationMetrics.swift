public import ServiceKit
public import SQLite

/// The notification-service's metric families (on the chassis' registry, rendered at `/metrics`).
///
/// - `notifications_delivered_total` (counter): notifications delivered; set from the database
///   at start, then incremented by every delivery (a transaction that is rolled back and
///   retried after a database error may count its deliveries twice until the next restart).
/// - `notifications_waiting` (gauge): notifications waiting for their order or contact,
///   re-read from the database after every handled order or member event.
/// - `notifications_sink_lines_total` (counter): lines the file sink appended and fsynced.
public enum NotificationMetrics {
    /// Counter of delivered notifications.
    public static let delivered = "notifications_delivered_total"
    /// Gauge of waiting notifications.
    public static let waiting = "notifications_waiting"
    /// Counter of file sink lines.
    public static let sinkLines = "notifications_sink_lines_total"

    /// Declares the families (idempotent).
    public static func declare(on metrics: Metrics) {
        metrics.declare(delivered, kind: .counter, help: "Notifications delivered.")
        metrics.declare(waiting, kind: .gauge, help: "Notifications waiting for their order or the member's contact.")
        metrics.declare(sinkLines, kind: .counter, help: "Notification lines appended and fsynced to the sink file.")
    }

    /// Sets both notification families from the database (at start).
    public static func load(from db: Database, into metrics: Metrics) throws(SQLiteError) {
        declare(on: metrics)
        metrics.set(delivered, to: Double(try NotificationStore.count(status: .delivered, in: db)))
        metrics.set(waiting, to: Double(try NotificationStore.count(status: .waiting, in: db)))
    }
}
