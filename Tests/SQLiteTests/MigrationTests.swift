import SQLite
import Testing

@Suite struct MigrationTests {
    static let v1 = Migration(
        version: 1, name: "create_members",
        sql: "CREATE TABLE members (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE);")
    static let v2 = Migration(
        version: 2, name: "create_orders",
        sql: """
            CREATE TABLE orders (
                id TEXT PRIMARY KEY,
                member_id TEXT NOT NULL REFERENCES members(id),
                status TEXT NOT NULL
            );
            CREATE INDEX orders_by_member ON orders(member_id);
            """)
    static let v3 = Migration(
        version: 3, name: "add_order_total", sql: "ALTER TABLE orders ADD COLUMN total_cents INTEGER NOT NULL DEFAULT 0")

    @Test func appliedOnceAndIdempotentOnReopen() throws {
        let dir = try TestDirectory()
        defer { dir.remove() }
        let path = dir.file("orders.sqlite")
        do {
            let db = try Database(path: path)
            #expect(try db.migrate([Self.v1, Self.v2]) == 2)
            #expect(try db.migrate([Self.v1, Self.v2]) == 0)
            try db.run("INSERT INTO members VALUES ('m1', 'a@example.com')")
        }
        do {
            let db = try Database(path: path)
            #expect(try db.migrate([Self.v1, Self.v2]) == 0)
            #expect(try db.migrate([Self.v1, Self.v2, Self.v3]) == 1)
            let rows = try db.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
            #expect(try rows.map { try $0.int("version") } == [1, 2, 3])
            #expect(try rows.map { try $0.text("name") } == ["create_members", "create_orders", "add_order_total"])
            #expect(try rows.allSatisfy { try $0.text("applied_at").hasSuffix("Z") })
            #expect(try db.scalar("SELECT count(*) FROM members") == 1, "data kept across reopen")
            try db.run("INSERT INTO orders (id, member_id, status) VALUES ('o1', 'm1', 'PLACED')")
            #expect(try db.scalar("SELECT total_cents FROM orders") == 0)
        }
    }

    @Test func aNewerSchemaIsRefusedAndNothingApplied() throws {
        let dir = try TestDirectory()
        defer { dir.remove() }
        let path = dir.file("orders.sqlite")
        try Database(path: path).migrate([Self.v1, Self.v2, Self.v3])

        let old = try Database(path: path)
        let error = #expect(throws: MigrationError.self) { try old.migrate([Self.v1, Self.v2]) }
        #expect(error == .unknownAppliedVersion(version: 3, name: "add_order_total", latestKnown: 2))
        #expect(error?.description.contains("newer") == true)
        #expect(try old.scalar("SELECT max(version) FROM schema_migrations") == 3)
    }

    @Test func aRenamedMigrationIsRefused() throws {
        let db = try Database.inMemory()
        try db.migrate([Self.v1])
        let renamed = Migration(version: 1, name: "members", sql: Self.v1.sql)
        #expect(throws: MigrationError.nameMismatch(version: 1, applied: "create_members", known: "members")) {
            try db.migrate([renamed, Self.v2])
        }
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'orders'") == 0)
    }

    @Test func versionsMustBeUniqueAndIncreasing() throws {
        let db = try Database.inMemory()
        #expect(throws: MigrationError.versionsNotIncreasing(previous: 2, next: 1)) {
            try db.migrate([Self.v2, Self.v1])
        }
        #expect(throws: MigrationError.versionsNotIncreasing(previous: 1, next: 1)) {
            try db.migrate([Self.v1, Migration(version: 1, name: "again", sql: "SELECT 1")])
        }
        #expect(throws: MigrationError.versionsNotIncreasing(previous: 0, next: 0)) {
            try db.migrate([Migration(version: 0, name: "zero", sql: "SELECT 1")])
        }
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'members'") == 0)
    }

    @Test func aFailingMigrationIsRolledBackWholeAndStopsTheRun() throws {
        let db = try Database.inMemory()
        let broken = Migration(
            version: 2, name: "broken",
            sql: "CREATE TABLE half (x); INSERT INTO half VALUES (1); INSERT INTO no_such_table VALUES (1);")
        let error = #expect(throws: MigrationError.self) { try db.migrate([Self.v1, broken, Self.v3]) }
        guard case .failed(let version, let name, let cause) = error else {
            Issue.record("expected .failed, got \(String(describing: error))")
            return
        }
        #expect(version == 2 && name == "broken")
        #expect(cause.message.contains("no such table: no_such_table"))
        #expect(try db.scalar("SELECT group_concat(version) FROM schema_migrations") == "1")
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'half'") == 0, "nothing half-written")
        #expect(!db.isInTransaction)
    }

    @Test func aMigrationThatCommitsByItselfIsReported() throws {
        let db = try Database.inMemory()
        let committing = Migration(version: 1, name: "commits", sql: "CREATE TABLE x (a); COMMIT;")
        #expect(throws: MigrationError.endedTransaction(version: 1, name: "commits")) {
            try db.migrate([committing])
        }
        #expect(try db.scalar("SELECT count(*) FROM schema_migrations") == 0)
    }
}
