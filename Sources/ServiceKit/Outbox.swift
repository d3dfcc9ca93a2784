public import SQLite
public import EventContracts

/// One unsent (or sent) outbox row: a record ready for the producer. Value type.
public struct OutboxRow: Sendable, Equatable {
    /// The row id; rows are published in id order.
    public var id: Int64
    /// The event's id (unique in the outbox).
    public var eventId: String
    /// The topic name to publish to.
    public var topic: String
    /// The record key, if any.
    public var key: [UInt8]?
    /// The record value.
    public var value: [UInt8]
    /// The record headers, in order.
    public var headers: [MessageHeader]
    /// When the row was written (UTC, ISO 8601).
    public var createdAt: String

    /// Creates a row.
    public init(id: Int64, eventId: String, topic: String, key: [UInt8]?, value: [UInt8],
                headers: [MessageHeader], createdAt: String) {
        self.id = id
        self.eventId = eventId
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.createdAt = createdAt
    }
}

/// Why an outbox operation failed.
public enum OutboxError: Error, Sendable, CustomStringConvertible {
    /// The database failed.
    case database(SQLiteError)
    /// The event could not be encoded.
    case encoding(ContractError)
    /// A stored row's headers could not be decoded (row id given).
    case corruptHeaders(id: Int64, HeaderCodecError)

    public var description: String {
        switch self {
        case .database(let e): "outbox: \(e)"
        case .encoding(let e): "outbox: cannot encode event: \(e)"
        case .corruptHeaders(let id, let e): "outbox row \(id): \(e)"
        }
    }
}

/// The outbox: events to publish, written in the same transaction as the state change that
/// caused them, and published by a relay that marks rows sent only after the broker's ack.
///
/// Every function takes the `Database` and runs inside the caller's transaction if there is one.
public enum Outbox {
    /// Adds `event` (topic, key, JSON value and headers from the event). Returns false when
    /// a row with the same event id already exists (nothing is changed then).
    @discardableResult
    public static func enqueue(_ event: CoffeeEvent, in db: Database) throws(OutboxError) -> Bool {
        let value: [UInt8]
        do { value = try event.encodeThrowing() } catch { throw .encoding(error) }
        let headers = event.headers.map { MessageHeader(name: $0.0, value: $0.1) }
        return try enqueue(eventId: event.eventId, topic: event.topic.name, key: event.key,
                           value: value, headers: headers, in: db)
    }

    /// Adds a raw record. Returns false when `eventId` is already in the outbox.
    @discardableResult
    public static func enqueue(
        eventId: String, topic: String, key: [UInt8]?, value: [UInt8], headers: [MessageHeader], in db: Database
    ) throws(OutboxError) -> Bool {
        do {
            let changed = try db.run(
                "INSERT OR IGNORE INTO outbox (event_id, topic, key, value, headers, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                .text(eventId), .text(topic), key.map { .blob($0) } ?? .null, .blob(value),
                .blob(HeaderCodec.encode(headers)))
            return changed > 0
        } catch {
            throw .database(error)
        }
    }

    /// Up to `limit` unsent rows, oldest (lowest id) first.
    public static func pending(limit: Int, in db: Database) throws(OutboxError) -> [OutboxRow] {
        let rows: [Row]
        do {
            rows = try db.query(
                "SELECT id, event_id, topic, key, value, headers, created_at FROM outbox "
                    + "WHERE sent_at IS NULL ORDER BY id LIMIT ?", .integer(Int64(max(0, limit))))
        } catch {
            throw .database(error)
        }
        var result: [OutboxRow] = []
        result.reserveCapacity(rows.count)
        for row in rows {
            do {
                let id = try row.int64("id")
                let headers: [MessageHeader]
                do { headers = try HeaderCodec.decode(try row.blob("headers")) } catch let e as HeaderCodecError {
                    throw OutboxError.corruptHeaders(id: id, e)
                }
                let key = row["key"].flatMap { $0.isNull ? nil : $0.blobValue }
                result.append(OutboxRow(
                    id: id, eventId: try row.text("event_id"), topic: try row.text("topic"), key: key,
                    value: try row.blob("value"), headers: headers, createdAt: try row.text("created_at")))
            } catch let e as OutboxError {
                throw e
            } catch let e as SQLiteError {
                throw .database(e)
            } catch {
                throw .database(SQLiteError(code: 1, message: "\(error)", operation: "outbox pending"))
            }
        }
        return result
    }

    /// Marks the rows with `ids` sent (only those still unsent); returns how many changed.
    /// Call only after the broker acknowledged them. Consecutive ids are marked by one
    /// statement per run (`id BETWEEN first AND last`), so a relay round of a thousand rows is
    /// usually a single UPDATE.
    @discardableResult
    public static func markSent(ids: [Int64], in db: Database) throws(OutboxError) -> Int {
        guard !ids.isEmpty else { return 0 }
        do {
            return try db.transaction { db in
                let statement = try db.prepare(
                    "UPDATE outbox SET sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                        + "WHERE id BETWEEN ? AND ? AND sent_at IS NULL")
                var total = 0
                for run in consecutiveRuns(ids) {
                    total += try statement.run(.integer(run.lowerBound), .integer(run.upperBound))
                }
                return total
            }
        } catch let e as SQLiteError {
            throw .database(e)
        } catch {
            throw .database(SQLiteError(code: 1, message: "\(error)", operation: "outbox markSent"))
        }
    }

    /// `ids` (in any order, repeats allowed) as the shortest list of ranges of consecutive
    /// values, ascending.
    static func consecutiveRuns(_ ids: [Int64]) -> [ClosedRange<Int64>] {
        var runs: [ClosedRange<Int64>] = []
        for id in Set(ids).sorted() {
            if let last = runs.last, last.upperBound &+ 1 == id {
                runs[runs.count - 1] = last.lowerBound...id
            } else {
                runs.append(id...id)
            }
        }
        return runs
    }

    /// How many rows are waiting to be sent.
    public static func depth(in db: Database) throws(OutboxError) -> Int {
        do {
            return try db.scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").intValue ?? 0
        } catch {
            throw .database(error)
        }
    }
}
