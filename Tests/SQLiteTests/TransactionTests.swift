import SQLite
import Testing

private struct Refused: Error, Equatable {}

@Suite struct TransactionTests {
    private func makeDatabase() throws -> Database {
        let db = try Database.inMemory()
        try db.execute("CREATE TABLE orders (id TEXT PRIMARY KEY, status TEXT NOT NULL)")
        return db
    }

    private func count(_ db: Database) throws -> Int64? {
        try db.scalar("SELECT count(*) FROM orders").int64Value
    }

    @Test func commitWritesEverythingAndReturnsTheBodysValue() throws {
        let db = try makeDatabase()
        let inserted = try db.transaction { db in
            try db.run("INSERT INTO orders VALUES ('o1', 'PLACED')")
            try db.run("INSERT INTO orders VALUES ('o2', 'PLACED')")
            #expect(db.isInTransaction)
            return 2
        }
        #expect(inserted == 2)
        #expect(!db.isInTransaction)
        #expect(try count(db) == 2)
    }

    @Test func anErrorThrownInsideLeavesNothingWritten() throws {
        let db = try makeDatabase()
        #expect(throws: Refused()) {
            try db.transaction { db in
                try db.run("INSERT INTO orders VALUES ('o1', 'PLACED')")
                try db.run("UPDATE orders SET status = 'BREWING'")
                throw Refused()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try count(db) == 0)
    }

    @Test func aFailingStatementInsideRollsBackTheEarlierOnes() throws {
        let db = try makeDatabase()
        try db.run("INSERT INTO orders VALUES ('o1', 'PLACED')")
        let error = #expect(throws: SQLiteError.self) {
            try db.transaction { db in
                try db.run("INSERT INTO orders VALUES ('o2', 'PLACED')")
                try db.run("INSERT INTO orders VALUES ('o1', 'PLACED')")  // duplicate key
            }
        }
        #expect(error?.isConstraint == true)
        #expect(try db.query("SELECT id FROM orders").map { try $0.text("id") } == ["o1"])
    }

    @Test func nestedTransactionsUseSavepoints() throws {
        let db = try makeDatabase()
        try db.transaction { db in
            try db.run("INSERT INTO orders VALUES ('outer', 'PLACED')")
            // A failing inner block rolls back only its own writes.
            #expect(throws: Refused()) {
                try db.transaction { db in
                    try db.run("INSERT INTO orders VALUES ('inner-failed', 'PLACED')")
                    throw Refused()
                }
            }
            // A succeeding inner block (two levels deep) is kept.
            try db.transaction { db in
                try db.run("INSERT INTO orders VALUES ('inner-ok', 'PLACED')")
                try db.transaction { db in try db.run("UPDATE orders SET status = 'BREWING' WHERE id = 'inner-ok'") }
            }
            #expect(db.isInTransaction)
        }
        let rows = try db.query("SELECT id, status FROM orders ORDER BY id")
        #expect(try rows.map { "\(try $0.text("id"))=\(try $0.text("status"))" } == ["inner-ok=BREWING", "outer=PLACED"])

        // An outer failure undoes inner blocks that had succeeded.
        #expect(throws: Refused()) {
            try db.transaction { db in
                try db.transaction { db in try db.run("DELETE FROM orders") }
                throw Refused()
            }
        }
        #expect(try count(db) == 2)
    }

    /// Checks: many transactions and savepoints in a row (their BEGIN, COMMIT, SAVEPOINT and
    /// RELEASE come from the statement cache) keep their meaning, also after a failed COMMIT.
    @Test func repeatedTransactionsAndSavepointsReuseTheirStatements() throws {
        let db = try makeDatabase()
        try db.execute("CREATE TABLE parent (id TEXT PRIMARY KEY); CREATE TABLE child (p TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)")
        for n in 0..<200 {
            try db.transaction { db in
                try db.run("INSERT INTO orders VALUES (?, 'PLACED')", .text("o\(n)"))
                _ = try? db.transaction { db -> Void in
                    try db.run("INSERT INTO orders VALUES (?, 'PLACED')", .text("x\(n)"))
                    throw Refused()
                }
            }
        }
        #expect(try count(db) == 200)
        // A COMMIT that fails (a deferred foreign key) rolls everything back; the next works.
        #expect(throws: SQLiteError.self) {
            try db.transaction { db in try db.run("INSERT INTO child VALUES ('missing')") }
        }
        #expect(!db.isInTransaction)
        #expect(try db.scalar("SELECT COUNT(*) FROM child") == 0)
        try db.transaction { db in try db.run("INSERT INTO orders VALUES ('after', 'PLACED')") }
        #expect(try count(db) == 201)
    }

    @Test func aSharedDatabaseSerialisesTransactionsAcrossThreads() async throws {
        let db = try Database.inMemory()
        try db.execute("CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)")
        let tasks = 8
        let increments = 200
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    for _ in 0..<increments {
                        try db.transaction { db in
                            // Read-modify-write: lost updates would show if transactions interleaved.
                            let n = try db.scalar("SELECT n FROM counter").int64Value ?? -1
                            try db.run("UPDATE counter SET n = ?", .integer(n + 1))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try db.scalar("SELECT n FROM counter") == .integer(Int64(tasks * increments)))
    }
}
