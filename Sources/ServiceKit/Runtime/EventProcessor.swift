public import SQLite
internal import EventContracts
internal import SystemIO

/// What became of one processed record.
public enum RecordDisposition: Sendable, Equatable {
    /// The event was new and its effects are committed.
    case handled(published: Int)
    /// The event id was in the inbox already: nothing ran.
    case duplicate
    /// The record went to the dead-letter topic (through the outbox) with this error text.
    case deadLettered(error: String)
}

/// How processing a run of records ended.
public struct ProcessingResult: Sendable, Equatable {
    /// The dispositions of the records whose outcome is committed, a prefix of the input.
    public var dispositions: [RecordDisposition]
    /// The database failure that stopped processing before the end (nil when every record
    /// was processed, or when a stop was requested). Nothing of the failing record is committed.
    public var databaseError: SQLiteError?

    /// Creates a result.
    public init(dispositions: [RecordDisposition], databaseError: SQLiteError?) {
        self.dispositions = dispositions
        self.databaseError = databaseError
    }
}

/// The chassis' record processing: decode, inbox, handler, outbox — in group-committed
/// transactions — with retries and dead-lettering. No Kafka client involved, so it is tested
/// with plain records and an in-memory database.
///
/// Records are applied in order. Consecutive records that succeed share one transaction (one
/// fsync for the run), each in its own savepoint, so a failing handler undoes only its own
/// writes. A record that cannot be decoded is dead-lettered at once; a handler that throws
/// `PermanentHandlerError` is dead-lettered at once; any other handler error is retried per the
/// `RetryPolicy` (each try its own transaction) and then dead-lettered. An `SQLiteError` is
/// never the event's fault: processing stops, the uncommitted part is rolled back and the
/// caller retries later. A dead letter is an outbox row (event id `dlq:<topic>:<partition>:<offset>`)
/// written in the same transaction as the inbox entry of the event, so a crash can neither lose
/// it nor write it twice.
///
/// Thread-safety: one thread at a time calls `process` (the consumer loop).
public final class EventProcessor: Sendable {
    /// The service whose handler runs.
    public let service: any CoffeeService
    /// The service's context (database, metrics).
    public let context: ServiceContext
    /// Tries and waits for failing handlers.
    public let retry: RetryPolicy
    /// Sleeps for a duration; returns false when the service is stopping (then processing
    /// returns what is committed so far and leaves the rest for the next owner).
    private let sleep: @Sendable (Duration) -> Bool
    /// Unix milliseconds now (for `dlq.failedAt`).
    private let nowMillis: @Sendable () -> Int64

    /// Creates a processor.
    public init(service: any CoffeeService, context: ServiceContext, retry: RetryPolicy,
                sleep: @escaping @Sendable (Duration) -> Bool,
                nowMillis: (@Sendable () -> Int64)? = nil) {
        self.service = service
        self.context = context
        self.retry = retry
        self.sleep = sleep
        self.nowMillis = nowMillis ?? { SystemTimeSource().wallMillis() }
    }

    /// Processes `records` in order; see the type's documentation for the guarantees.
    public func process(_ records: [IncomingRecord]) -> ProcessingResult {
        var committed: [RecordDisposition] = []
        var index = 0
        while index < records.count {
            // A run of records in one transaction, up to the first handler failure.
            var run: [RecordDisposition] = []
            var failure: (event: CoffeeEvent, error: any Error)?
            do {
                try context.database.transaction { db in
                    while index + run.count < records.count {
                        let record = records[index + run.count]
                        switch Self.decode(record) {
                        case .failure(let error):
                            try deadLetter(record, eventId: nil, error: error.description, attempts: 1, db: db)
                            run.append(.deadLettered(error: error.description))
                        case .success(let event):
                            do {
                                run.append(try db.transaction { db in try apply(event, record, db: db) })
                            } catch let error as SQLiteError {
                                throw error
                            } catch {
                                failure = (event, error)
                                return
                            }
                        }
                    }
                }
            } catch let error as SQLiteError {
                return ProcessingResult(dispositions: committed, databaseError: error)
            } catch {
                return ProcessingResult(dispositions: committed, databaseError: SQLiteError(code: 1, message: "\(error)", operation: "process"))
            }
            committed += run
            index += run.count
            note(run)
            guard let firstFailure = failure else { continue }
            // The record at `index` failed: retry it alone, then dead-letter it.
            switch retryAlone(records[index], event: firstFailure.event, firstFailure: firstFailure.error) {
            case .done(let disposition):
                committed.append(disposition)
                note([disposition])
                index += 1
            case .stopped:
                return ProcessingResult(dispositions: committed, databaseError: nil)
            case .database(let error):
                return ProcessingResult(dispositions: committed, databaseError: error)
            }
        }
        return ProcessingResult(dispositions: committed, databaseError: nil)
    }

    private enum RetryOutcome {
        case done(RecordDisposition)
        case stopped
        case database(SQLiteError)
    }

    private func retryAlone(_ record: IncomingRecord, event: CoffeeEvent, firstFailure: any Error) -> RetryOutcome {
        var lastError = firstFailure
        var attempts = 1
        context.metrics.increment(ServiceMetricNames.failed)
        logFailure(record, event: event, error: lastError, attempt: attempts)
        while !(lastError is PermanentHandlerError), let delay = retry.delay(afterFailure: attempts) {
            guard sleep(delay) else { return .stopped }
            attempts += 1
            do {
                return .done(try context.database.transaction { db in try apply(event, record, db: db) })
            } catch let error as SQLiteError {
                return .database(error)
            } catch {
                lastError = error
                context.metrics.increment(ServiceMetricNames.failed)
                logFailure(record, event: event, error: error, attempt: attempts)
            }
        }
        let text = "\(lastError)"
        do {
            try context.database.transaction { db in
                _ = try Inbox.markHandled(eventId: event.eventId, topic: record.topic, partition: record.partition,
                                          offset: record.offset, in: db)
                try deadLetter(record, eventId: event.eventId, error: text, attempts: attempts, db: db)
            }
        } catch let error as SQLiteError {
            return .database(error)
        } catch {
            return .database(SQLiteError(code: 1, message: "\(error)", operation: "dead-letter"))
        }
        return .done(.deadLettered(error: text))
    }

    /// Inbox, handler and outbox for one event, inside the caller's transaction or savepoint
    /// (which is all that undoes them should the handler throw).
    private func apply(_ event: CoffeeEvent, _ record: IncomingRecord, db: Database) throws -> RecordDisposition {
        let consumed = ConsumedEvent(event: event, topic: record.topic, partition: record.partition,
                                     offset: record.offset, timestamp: record.timestamp)
        let outcome = try handleInCurrentTransaction(
            db: db, eventId: event.eventId, topic: record.topic, partition: record.partition,
            offset: record.offset) { db in
            try service.handle(consumed, db: db, context: context)
        }
        switch outcome {
        case .handled(let published): return .handled(published: published)
        case .duplicate: return .duplicate
        }
    }

    /// Writes the dead letter for `record` to the outbox (idempotent per source position).
    private func deadLetter(_ record: IncomingRecord, eventId: String?, error: String, attempts: Int, db: Database) throws {
        let headers = DeadLetter.headers(
            original: record.headers, error: error, topic: record.topic, partition: record.partition,
            offset: record.offset, consumer: service.name, attempts: attempts,
            failedAt: DeadLetter.rfc3339(unixMillis: nowMillis()))
        try Outbox.enqueue(
            eventId: "dlq:\(record.topic):\(record.partition):\(record.offset)", topic: DeadLetter.topic,
            key: record.key, value: record.value ?? [], headers: headers, in: db)
        context.logger.warning(
            "dead-lettering \(record.topic)[\(record.partition)]@\(record.offset)"
                + (eventId.map { " event \($0)" } ?? "") + " after \(attempts) attempt(s): \(error)")
    }

    private func logFailure(_ record: IncomingRecord, event: CoffeeEvent, error: any Error, attempt: Int) {
        context.logger.warning(
            "handler failed on \(event.type) \(event.eventId) at \(record.topic)[\(record.partition)]@\(record.offset), "
                + "attempt \(attempt) of \(retry.attempts): \(error)")
    }

    private func note(_ dispositions: [RecordDisposition]) {
        var handled = 0, duplicates = 0, deadLettered = 0
        for disposition in dispositions {
            switch disposition {
            case .handled: handled += 1
            case .duplicate: duplicates += 1
            case .deadLettered: deadLettered += 1
            }
        }
        if handled > 0 { context.metrics.increment(ServiceMetricNames.handled, by: Double(handled)) }
        if duplicates > 0 { context.metrics.increment(ServiceMetricNames.duplicates, by: Double(duplicates)) }
        if deadLettered > 0 { context.metrics.increment(ServiceMetricNames.deadLettered, by: Double(deadLettered)) }
    }

    /// Decodes a record's value into an event; a null value or any contract violation is an error.
    static func decode(_ record: IncomingRecord) -> Result<CoffeeEvent, ContractError> {
        guard let value = record.value else { return .failure(.malformedJSON("null record value")) }
        do { return .success(try CoffeeEvent.decode(json: value)) } catch { return .failure(error) }
    }
}
