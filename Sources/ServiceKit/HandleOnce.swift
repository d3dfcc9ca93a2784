public import SQLite
public import EventContracts

/// What one transactional handler step did.
public enum HandlerOutcome: Sendable, Equatable {
    /// The event was new: the handler ran and `published` events were enqueued in the outbox.
    case handled(published: Int)
    /// The event id was already in the inbox: nothing ran, nothing changed.
    case duplicate
}

/// The chassis' transactional step: in ONE transaction, marks the consumed event in the inbox,
/// runs `body` (the service's state changes) and enqueues the events it returns in the outbox.
///
/// A redelivered event (already in the inbox) is a no-op returning `.duplicate` without
/// calling `body`. If `body` or any write throws, everything is rolled back (the inbox does
/// not record the event, no outbox rows are written) and the error is rethrown, so the event
/// can be retried. Commit the consumer offset only after this returns.
public func handle(
    db: Database, eventId: String, topic: String, partition: Int32, offset: Int64,
    body: (Database) throws -> [CoffeeEvent]
) throws -> HandlerOutcome {
    try db.transaction { db in
        try handleInCurrentTransaction(db: db, eventId: eventId, topic: topic, partition: partition, offset: offset,
                                       body: body)
    }
}

/// The body of `handle(…)` without its own transaction or savepoint: the caller's (the
/// `EventProcessor`'s per-record savepoint) undoes everything should it throw.
func handleInCurrentTransaction(
    db: Database, eventId: String, topic: String, partition: Int32, offset: Int64,
    body: (Database) throws -> [CoffeeEvent]
) throws -> HandlerOutcome {
    guard try Inbox.markHandled(eventId: eventId, topic: topic, partition: partition, offset: offset, in: db)
    else { return .duplicate }
    let events = try body(db)
    for event in events { try Outbox.enqueue(event, in: db) }
    return .handled(published: events.count)
}

/// `handle(…)` reduced to a Bool: true when the event was handled now, false for a repeat.
@discardableResult
public func handleOnce(
    db: Database, eventId: String, topic: String, partition: Int32, offset: Int64,
    body: (Database) throws -> [CoffeeEvent]
) throws -> Bool {
    try handle(db: db, eventId: eventId, topic: topic, partition: partition, offset: offset, body: body) != .duplicate
}
