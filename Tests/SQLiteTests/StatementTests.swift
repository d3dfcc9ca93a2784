import SQLite
import Testing

@Suite struct StatementTests {
    @Test func preparedStatementsAreCachedAndReusable() throws {
        let db = try Database.inMemory()
        try db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        let insert = try db.prepare("INSERT INTO t (k, v) VALUES (?, ?)")
        #expect(insert === (try db.prepare("INSERT INTO t (k, v) VALUES (?, ?)")))
        #expect(insert.parameterCount == 2)
        for k in 1...100 {
            try insert.run(SQLiteValue(k), .text("v\(k)"))
        }
        let select = try db.prepare("SELECT v FROM t WHERE k = ?")
        for k in [1, 50, 100] {
            #expect(try select.scalar(SQLiteValue(k)) == .text("v\(k)"))
        }
        #expect(try select.query(SQLiteValue(101)).isEmpty)
        #expect(try select.scalar(SQLiteValue(101)) == .null)
        // `run` through the Database uses the same cached statement.
        try db.run("INSERT INTO t (k, v) VALUES (?, ?)", 101, "v101")
        #expect(try select.scalar(101) == "v101")
    }

    @Test func aStatementSurvivesCacheEvictionAndSchemaChanges() throws {
        let db = try Database.inMemory()
        try db.execute("CREATE TABLE t (v INTEGER)")
        let insert = try db.prepare("INSERT INTO t (v) VALUES (?)")
        for index in 0..<200 {  // more distinct SQL texts than the cache holds
            _ = try db.scalar("SELECT \(index)")
        }
        try insert.run(1)
        try db.execute("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'x'")
        try insert.run(2)
        #expect(try db.query("SELECT v, w FROM t ORDER BY v").map { try $0.text("w") } == ["x", "x"])
        #expect(try db.prepare("INSERT INTO t (v) VALUES (?)") !== insert, "evicted, so a fresh one")
    }

    @Test func wrongBindingCountsAndScriptsAreRefusedClearly() throws {
        let db = try Database.inMemory()
        try db.execute("CREATE TABLE t (a, b)")
        let tooFew = #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (?, ?)", 1) }
        #expect(tooFew?.codeName == "SQLITE_RANGE")
        #expect(tooFew?.message == "the statement has 2 parameter(s), 1 value(s) given")
        #expect(tooFew?.operation == "INSERT INTO t VALUES (?, ?)")

        let script = #expect(throws: SQLiteError.self) { try db.prepare("INSERT INTO t VALUES (1, 2); DELETE FROM t") }
        #expect(script?.codeName == "SQLITE_MISUSE")
        #expect(try db.scalar("SELECT count(*) FROM t") == 0, "nothing of the refused script ran")

        // Trailing semicolons, whitespace and comments are not a second statement.
        try db.run("INSERT INTO t VALUES (1, 2);  -- done\n")
        #expect(try db.scalar("SELECT count(*) FROM t") == 1)

        let syntax = #expect(throws: SQLiteError.self) { try db.query("SELEC * FROM t") }
        #expect(syntax?.message.contains("syntax error") == true)
        #expect(syntax?.description.contains("SELEC * FROM t") == true)
        let empty = #expect(throws: SQLiteError.self) { try db.prepare("  -- nothing") }
        #expect(empty?.codeName == "SQLITE_MISUSE")
    }

    @Test func executeRunsScripts() throws {
        let db = try Database.inMemory()
        try db.execute(
            """
            CREATE TABLE a (x);
            CREATE TABLE b (y);
            INSERT INTO a VALUES (1), (2);
            INSERT INTO b SELECT x * 10 FROM a;
            """)
        #expect(try db.scalar("SELECT sum(y) FROM b") == 30)
    }
}
