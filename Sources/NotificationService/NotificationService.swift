public import ServiceKit
public import SQLite
public import EventContracts
public import HTTPServer
import SystemIO

/// The notification-service: turns order events into customer notifications, exactly one per
/// notification-worthy event, delivered once the order's member and that member's contact are
/// known (see `NotificationHandler` for the rules and `NotificationKind` for which events notify).
///
/// Consumes `coffee.members`, `coffee.orders` and `coffee.barista`; publishes nothing.
/// Sinks: `GET /notifications`, an info log line per delivery, and with
/// `NotificationSettings.sinkFilePath` a JSON-lines file written by a background thread.
/// Tables: `NotificationMigrations`. Routes: `NotificationRoutes`. Metrics: `NotificationMetrics`.
///
/// Value type, `Sendable`; copies share one file-sink worker.
public struct NotificationService: CoffeeService {
    /// `notification-service`.
    public let name = "notification-service"
    /// The service's settings.
    public let settings: NotificationSettings
    private let wallClockMillis: @Sendable () -> Int64
    private let worker = SinkWriterWorker()

    /// Creates the service. `wallClockMillis` gives the times stored with notifications
    /// (Unix ms; nil means the system clock).
    public init(settings: NotificationSettings = NotificationSettings(),
                wallClockMillis: (@Sendable () -> Int64)? = nil) {
        self.settings = settings
        self.wallClockMillis = wallClockMillis ?? { SystemTimeSource().wallMillis() }
    }

    /// `NotificationMigrations.all` (versions from 100).
    public var migrations: [Migration] { NotificationMigrations.all }

    /// Members (contacts), orders (placed, cancellation requested, picked up) and the barista's decisions.
    public var consumedTopics: [CoffeeTopic] { [.members, .orders, .barista] }

    /// Applies one event (see `NotificationHandler`); always returns no events.
    public func handle(_ event: ConsumedEvent, db: Database, context: ServiceContext) throws -> [CoffeeEvent] {
        try NotificationHandler(db: db, nowMillis: wallClockMillis, logger: context.logger, metrics: context.metrics)
            .apply(event.event)
        return []
    }

    /// Adds `GET /notifications`, `GET /admin/snapshot` and `GET /admin/stats`.
    public func addRoutes(to router: inout HTTPRouter, context: ServiceContext) {
        NotificationMetrics.declare(on: context.metrics)
        NotificationRoutes.add(to: &router, context: context)
    }

    /// Loads the metrics from the database and, when a sink file is configured, opens it
    /// (throwing `SystemError` naming the path when it cannot) and starts its writer thread.
    public func startWorkers(context: ServiceContext) throws {
        try NotificationMetrics.load(from: context.database, into: context.metrics)
        guard let path = settings.sinkFilePath else { return }
        let sink = NotificationFileSink(path: path, logger: context.logger)
        try sink.open()
        try worker.start(sink: sink, context: context, intervalMillis: settings.sinkIntervalMillis)
        context.logger.info("notification sink: appending delivered notifications to \(path)")
    }

    /// Stops the file writer after a last pass (waits up to 10 s).
    public func stopWorkers() {
        worker.stop()
    }
}
