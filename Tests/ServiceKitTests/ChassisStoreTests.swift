import Testing
import SQLite
import EventContracts
@testable import ServiceKit

private func migratedDB() throws -> Database {
    let db = try Database.inMemory()
    try db.migrate(ServiceKitMigrations.all)
    return db
}

private func member(_ id: String, eventId: String) -> CoffeeEvent {
    .memberRegistered(EventEnvelope(
        payload: MemberRegistered(memberId: id, name: "Ada", email: "ada@example.com"),
        correlationId: "corr-\(id)", eventId: eventId, occurredAt: "2025-03-14T08:05:42.918Z"))
}

private struct Boom: Error {}

@Suite struct MigrationTests {
    @Test func applyAndAreIdempotent() throws {
        let db = try Database.inMemory()
        #expect(try db.migrate(ServiceKitMigrations.all) == 2)
        #expect(try db.migrate(ServiceKitMigrations.all) == 0)
        let tables = try db.query("SELECT name FROM sqlite_schema WHERE type IN ('table','index') ORDER BY name")
            .map { try $0.text("name") }
        #expect(tables.contains("inbox"))
        #expect(tables.contains("outbox"))
        #expect(tables.contains("outbox_unsent"))
    }

    @Test func serviceMigrationsAppendFrom100() throws {
        let db = try Database.inMemory()
        let service = [Migration(version: 100, name: "create_orders", sql: "CREATE TABLE orders (id TEXT PRIMARY KEY);")]
        let all = try ServiceKitMigrations.including(service)
        #expect(all.map(\.version) == [1, 2, 100])
        #expect(try db.migrate(all) == 3)
        #expect(try db.migrate(all) == 0)
        #expect(throws: MigrationError.self) {
            _ = try ServiceKitMigrations.including([Migration(version: 3, name: "x", sql: "")])
        }
    }
}

@Suite struct InboxOutboxTests {
    @Test func inboxMarksOnce() throws {
        let db = try migratedDB()
        #expect(try Inbox.markHandled(eventId: "e1", topic: "coffee.orders", partition: 2, offset: 7, in: db))
        #expect(try !Inbox.markHandled(eventId: "e1", topic: "coffee.orders", partition: 2, offset: 8, in: db))
        #expect(try Inbox.contains(eventId: "e1", in: db))
        #expect(try Inbox.count(in: db) == 1)
        let row = try #require(try db.query("SELECT * FROM inbox").first)
        #expect(try row.int64("offset") == 7)
        #expect(try row.int("partition") == 2)
    }

    @Test func outboxPendingMarkSentDepth() throws {
        let db = try migratedDB()
        #expect(try Outbox.depth(in: db) == 0)
        let inserted: [Bool] = try db.transaction { (db: Database) throws -> [Bool] in
            [
                try Outbox.enqueue(member("m1", eventId: "a"), in: db),
                try Outbox.enqueue(member("m2", eventId: "b"), in: db),
                try Outbox.enqueue(member("m3", eventId: "c"), in: db),
                try Outbox.enqueue(member("m3", eventId: "c"), in: db),
            ]
        }
        #expect(inserted == [true, true, true, false])
        #expect(try Outbox.depth(in: db) == 3)
        let first = try Outbox.pending(limit: 2, in: db)
        #expect(first.map(\.eventId) == ["a", "b"])
        #expect(first[0].id < first[1].id)
        let row = first[0]
        #expect(row.topic == "coffee.members")
        #expect(row.key == Array("m1".utf8))
        #expect(try CoffeeEvent.decode(json: row.value) == member("m1", eventId: "a"))
        #expect(row.headers == [
            MessageHeader(name: "type", text: "MemberRegistered"),
            MessageHeader(name: "schemaVersion", text: "1"),
            MessageHeader(name: "correlationId", text: "corr-m1"),
        ])
        #expect(try Outbox.markSent(ids: first.map(\.id), in: db) == 2)
        #expect(try Outbox.markSent(ids: first.map(\.id), in: db) == 0)
        #expect(try Outbox.depth(in: db) == 1)
        #expect(try Outbox.pending(limit: 10, in: db).map(\.eventId) == ["c"])
    }

    /// Checks: marking sent touches exactly the given ids — gaps, repeats and any order — and
    /// consecutive ids are grouped into runs.
    @Test func markSentMarksExactlyTheGivenIdsWithGaps() throws {
        let db = try migratedDB()
        try db.transaction { (db: Database) throws in
            for n in 1...9 { try Outbox.enqueue(member("m\(n)", eventId: "e\(n)"), in: db) }
        }
        let rows = try Outbox.pending(limit: 100, in: db)
        #expect(rows.count == 9)
        let ids = rows.map(\.id)
        let chosen = [ids[7], ids[0], ids[1], ids[2], ids[4], ids[6], ids[1]]
        #expect(try Outbox.markSent(ids: chosen, in: db) == 6)
        #expect(try Outbox.pending(limit: 100, in: db).map(\.eventId) == ["e4", "e6", "e9"])
        #expect(Outbox.consecutiveRuns([9, 1, 2, 3, 5, 7, 8, 2]) == [1...3, 5...5, 7...9])
        #expect(Outbox.consecutiveRuns([]) == [])
        #expect(Outbox.consecutiveRuns([Int64.max, Int64.max - 1]) == [(Int64.max - 1)...Int64.max])
    }

    @Test func headerCodecRoundTripsAndRejectsGarbage() throws {
        let headers = [MessageHeader(name: "a", value: []), MessageHeader(name: "ü", value: [0, 255])]
        #expect(try HeaderCodec.decode(HeaderCodec.encode(headers)) == headers)
        #expect(try HeaderCodec.decode(HeaderCodec.encode([])) == [])
        #expect(throws: HeaderCodecError.truncated) { try HeaderCodec.decode([0, 0, 0, 1, 0]) }
        #expect(throws: HeaderCodecError.trailingBytes(1)) { try HeaderCodec.decode([0, 0, 0, 0, 9]) }
    }
}

@Suite struct HandleOnceTests {
    @Test func recordsInboxAndOutboxAtomically() throws {
        let db = try migratedDB()
        try db.execute("CREATE TABLE members (id TEXT PRIMARY KEY)")
        var calls = 0
        let body: (Database) throws -> [CoffeeEvent] = { db in
            calls += 1
            try db.run("INSERT INTO members (id) VALUES ('m1')")
            return [member("m1", eventId: "out-1"), member("m1", eventId: "out-2")]
        }
        let outcome = try handle(db: db, eventId: "in-1", topic: "coffee.orders", partition: 0, offset: 5, body: body)
        #expect(outcome == .handled(published: 2))
        #expect(try Inbox.contains(eventId: "in-1", in: db))
        #expect(try Outbox.pending(limit: 10, in: db).map(\.eventId) == ["out-1", "out-2"])

        // A redelivery is a no-op: body not run, outbox unchanged.
        #expect(try !handleOnce(db: db, eventId: "in-1", topic: "coffee.orders", partition: 0, offset: 5, body: body))
        #expect(calls == 1)
        #expect(try Outbox.depth(in: db) == 2)
        #expect(try Inbox.count(in: db) == 1)
    }

    @Test func throwingHandlerLeavesNothing() throws {
        let db = try migratedDB()
        try db.execute("CREATE TABLE members (id TEXT PRIMARY KEY)")
        #expect(throws: Boom.self) {
            try handleOnce(db: db, eventId: "in-1", topic: "t", partition: 1, offset: 1) { db in
                try db.run("INSERT INTO members (id) VALUES ('m1')")
                try Outbox.enqueue(member("m1", eventId: "early"), in: db)
                throw Boom()
            }
        }
        #expect(try Inbox.count(in: db) == 0)
        #expect(try Outbox.depth(in: db) == 0)
        #expect(try db.scalar("SELECT COUNT(*) FROM members") == 0)
        #expect(!db.isInTransaction)
        // It can be retried afterwards.
        #expect(try handleOnce(db: db, eventId: "in-1", topic: "t", partition: 1, offset: 1) { _ in [] })
    }
}
