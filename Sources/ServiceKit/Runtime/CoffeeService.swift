public import SQLite
public import EventContracts
public import HTTPServer
public import SystemIO

/// One consumed coffee-shop event with where it came from. Value type.
public struct ConsumedEvent: Sendable, Equatable {
    /// The decoded event.
    public var event: CoffeeEvent
    /// The source topic.
    public var topic: String
    /// The source partition.
    public var partition: Int32
    /// The source offset.
    public var offset: Int64
    /// The record timestamp (Unix ms).
    public var timestamp: Int64

    /// Creates a consumed event.
    public init(event: CoffeeEvent, topic: String, partition: Int32, offset: Int64, timestamp: Int64) {
        self.event = event
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
    }
}

/// A handler failure that no retry can fix (the event breaks a business invariant, refers to
/// something impossible, …): the chassis dead-letters the record at once instead of retrying.
/// Any other error thrown by a handler is retried per the `RetryPolicy`, then dead-lettered;
/// an `SQLiteError` (database locked, read-only, full) is never dead-lettered: the chassis
/// retries it until the database works again, because the event itself is fine.
public struct PermanentHandlerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the event.
    public var message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What the chassis gives a service: its database, configuration, metrics, logger, and the
/// means to wake the outbox relay. Reference type; thread-safe (the `Database` serialises
/// calls on its own lock).
public final class ServiceContext: Sendable {
    /// The service's configuration.
    public let config: ServiceConfig
    /// The service's database (migrated before any service code runs). Shared by the consumer
    /// loop, the outbox relay, HTTP handlers and workers; each call is serialised.
    public let database: Database
    /// The service's metrics registry (rendered at `/metrics`).
    public let metrics: Metrics
    /// The service's logger.
    public let logger: Logger
    /// Reads environment variables (the process environment in production, a map in tests).
    public let environment: @Sendable (String) -> String?
    private let outboxSignal: ConditionSignal
    /// Signalled by the chassis after every committed transaction of consumed events, so a
    /// worker waiting for new rows (e.g. queued tickets) wakes without polling.
    public let eventsCommitted: ConditionSignal

    /// Group commit for request handlers: `write { db in … }` runs in a savepoint of a
    /// transaction shared with concurrent writers (one fsync for many requests).
    public let writer: GroupCommitter

    /// Creates a context. `outboxSignal` is signalled by `outboxChanged()`.
    public init(config: ServiceConfig, database: Database, metrics: Metrics, logger: Logger,
                environment: @escaping @Sendable (String) -> String?, outboxSignal: ConditionSignal = ConditionSignal(),
                eventsCommitted: ConditionSignal = ConditionSignal()) {
        self.config = config
        self.database = database
        self.metrics = metrics
        self.logger = logger
        self.environment = environment
        self.outboxSignal = outboxSignal
        self.eventsCommitted = eventsCommitted
        self.writer = GroupCommitter(database: database)
    }

    /// Runs `body` through the group committer: its writes commit together with those of
    /// concurrent callers; returns after the commit. See `GroupCommitter`.
    @discardableResult
    public func write<T>(_ body: @escaping (Database) throws -> T) throws -> T {
        try writer.write(body)
    }

    /// Tells the outbox relay that a transaction that wrote outbox rows has committed, so it
    /// publishes now rather than at its next poll. Call after the commit, never inside it.
    public func outboxChanged() { outboxSignal.signal() }

    /// The signal `outboxChanged()` raises (the relay waits on it).
    public var outboxWakeup: ConditionSignal { outboxSignal }
}

/// A coffee-shop service as the chassis runs it: its tables, the topics it consumes, the
/// handler for each consumed event, its HTTP routes and its background workers.
///
/// The chassis guarantees: `migrations` ran before anything else; `handle` is called inside
/// one SQLite transaction that also records the event id in the inbox (so a redelivered event
/// never reaches `handle` twice) and writes the returned events to the outbox; the consumer
/// offset is committed only after that transaction committed.
public protocol CoffeeService: Sendable {
    /// The service's name (`order-service`, …): default group id, database file and metrics label.
    var name: String { get }
    /// The service's own migrations, numbered from `ServiceKitMigrations.firstServiceVersion`.
    var migrations: [Migration] { get }
    /// The topics the service consumes (may be empty).
    var consumedTopics: [CoffeeTopic] { get }
    /// Applies one consumed event inside the chassis' transaction (use `db`, never
    /// `context.database`, inside) and returns the events to publish. Throw
    /// `PermanentHandlerError` for an event that can never be handled.
    func handle(_ event: ConsumedEvent, db: Database, context: ServiceContext) throws -> [CoffeeEvent]
    /// Adds the service's own HTTP routes (health and metrics are the chassis').
    func addRoutes(to router: inout HTTPRouter, context: ServiceContext)
    /// Starts background workers (called once, after migration, before consuming).
    func startWorkers(context: ServiceContext) throws
    /// Stops background workers and waits for them (called once at shutdown).
    func stopWorkers()
}

extension CoffeeService {
    public func addRoutes(to router: inout HTTPRouter, context: ServiceContext) {}
    public func startWorkers(context: ServiceContext) throws {}
    public func stopWorkers() {}
}
