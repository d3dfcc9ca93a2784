import SQLite
import Testing

@Suite struct FileDatabaseTests {
    @Test func aFileDatabaseIsOpenedInWALModeWithDurableSettings() throws {
        let dir = try TestDirectory()
        defer { dir.remove() }
        let path = dir.file("wal.sqlite")
        let db = try Database(path: path)
        #expect(try db.scalar("PRAGMA journal_mode") == "wal")
        #expect(try db.scalar("PRAGMA synchronous") == 2, "FULL")
        #expect(try db.scalar("PRAGMA foreign_keys") == 1)
        #expect(try db.scalar("PRAGMA busy_timeout") == 5000)
        #expect(try db.scalar("PRAGMA temp_store") == 2, "MEMORY: savepoint journals stay off the disk")
        try db.execute("CREATE TABLE t (v)")
        #expect(fileExists(path + "-wal"))
        #expect(!db.isReadOnly)

        let normal = try Database(path: dir.file("normal.sqlite"), busyTimeout: .milliseconds(250), synchronous: .normal)
        #expect(try normal.scalar("PRAGMA synchronous") == 1, "NORMAL")
        #expect(try normal.scalar("PRAGMA busy_timeout") == 250)

        let memory = try Database.inMemory()
        #expect(try memory.scalar("PRAGMA journal_mode") == "memory")
        #expect(try memory.scalar("PRAGMA foreign_keys") == 1)
    }

    @Test func foreignKeysAreEnforcedWithSQLitesMessage() throws {
        let db = try Database.inMemory()
        try db.execute(
            """
            CREATE TABLE members (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE);
            CREATE TABLE orders (id TEXT PRIMARY KEY, member_id TEXT NOT NULL REFERENCES members(id));
            INSERT INTO members VALUES ('m1', 'a@example.com');
            """)
        let unique = #expect(throws: SQLiteError.self) {
            try db.run("INSERT INTO members VALUES (?, ?)", "m2", "a@example.com")
        }
        #expect(unique?.isConstraint == true)
        #expect(unique?.extendedCode == 2067, "SQLITE_CONSTRAINT_UNIQUE")
        #expect(unique?.message == "UNIQUE constraint failed: members.email")
        #expect(unique?.operation == "INSERT INTO members VALUES (?, ?)")
        #expect(unique?.description.contains("SQLITE_CONSTRAINT") == true)
        #expect(unique?.description.contains("UNIQUE constraint failed: members.email") == true)

        let foreign = #expect(throws: SQLiteError.self) { try db.run("INSERT INTO orders VALUES ('o1', 'nobody')") }
        #expect(foreign?.isConstraint == true)
        #expect(foreign?.message == "FOREIGN KEY constraint failed")
        let notNull = #expect(throws: SQLiteError.self) { try db.run("INSERT INTO members (id) VALUES ('m3')") }
        #expect(notNull?.message == "NOT NULL constraint failed: members.email")
        #expect(try db.scalar("SELECT count(*) FROM members") == 1)
        #expect(try db.scalar("SELECT count(*) FROM orders") == 0)
    }

    @Test func aReadOnlyDatabaseRefusesWritesClearlyAndKeepsItsData() throws {
        let dir = try TestDirectory()
        defer { dir.remove() }
        let path = dir.file("ro.sqlite")
        do {
            let db = try Database(path: path)
            try db.migrate([Migration(version: 1, name: "t", sql: "CREATE TABLE t (v TEXT)")])
            try db.run("INSERT INTO t VALUES ('kept')")
        }

        let readOnly = try Database(path: path, options: .readOnly)
        #expect(readOnly.isReadOnly)
        #expect(try readOnly.scalar("SELECT v FROM t") == "kept")
        let insert = #expect(throws: SQLiteError.self) { try readOnly.run("INSERT INTO t VALUES ('lost')") }
        #expect(insert?.isReadOnly == true)
        #expect(insert?.message == "attempt to write a readonly database")
        #expect(insert?.description.contains("read-only") == true)
        let inTransaction = #expect(throws: SQLiteError.self) {
            try readOnly.transaction { db in
                try db.run("DELETE FROM t")
                try db.run("INSERT INTO t VALUES ('lost')")
            }
        }
        #expect(inTransaction?.isReadOnly == true)
        #expect(!readOnly.isInTransaction)
        // An up-to-date schema needs no write, so migrating a read-only database is fine.
        #expect(try readOnly.migrate([Migration(version: 1, name: "t", sql: "CREATE TABLE t (v TEXT)")]) == 0)

        let reopened = try Database(path: path)
        #expect(try reopened.query("SELECT v FROM t").map { try $0.text("v") } == ["kept"])

        let createReadOnly = #expect(throws: SQLiteError.self) {
            try Database(path: dir.file("new.sqlite"), options: [.readOnly, .create])
        }
        #expect(createReadOnly?.codeName == "SQLITE_MISUSE")
        #expect(!fileExists(dir.file("new.sqlite")))
    }

    @Test(.enabled(if: !runningAsRoot, "root ignores file permissions"))
    func aWriteProtectedFileIsRefusedAtOpenForReadWrite() throws {
        let dir = try TestDirectory()
        defer { dir.remove() }
        let path = dir.file("protected.sqlite")
        do {
            let db = try Database(path: path)
            try db.execute("CREATE TABLE t (v); INSERT INTO t VALUES (1)")
        }
        let before = try readFile(path)
        try makeReadOnly(path)
        let error = #expect(throws: SQLiteError.self) { try Database(path: path) }
        #expect(error?.isReadOnly == true)
        #expect(error?.description.contains(path) == true)
        #expect(try readFile(path) == before)
    }

    @Test func aLockedDatabaseGivesBusyAfterTheTimeoutAndLosesNothing() throws {
        let dir = try TestDirectory()
        defer { dir.remove() }
        let path = dir.file("busy.sqlite")
        let writer = try Database(path: path)
        try writer.execute("CREATE TABLE t (v TEXT)")
        let other = try Database(path: path, busyTimeout: .milliseconds(150))

        try writer.execute("BEGIN IMMEDIATE; INSERT INTO t VALUES ('writer')")
        let clock = ContinuousClock()
        let start = clock.now
        let busy = #expect(throws: SQLiteError.self) { try other.run("INSERT INTO t VALUES ('other')") }
        #expect(clock.now - start >= .milliseconds(100), "waited for the busy timeout")
        #expect(busy?.isBusy == true)
        #expect(busy?.message == "database is locked")
        #expect(busy?.description.contains("busy timeout") == true)

        let busyTransaction = #expect(throws: SQLiteError.self) {
            try other.transaction { db in try db.run("INSERT INTO t VALUES ('other')") }
        }
        #expect(busyTransaction?.isBusy == true)
        #expect(!other.isInTransaction)
        // WAL: the other connection still reads, and does not see the uncommitted row.
        #expect(try other.scalar("SELECT count(*) FROM t") == 0)

        try writer.execute("COMMIT")
        try other.run("INSERT INTO t VALUES ('other')")
        #expect(try writer.query("SELECT v FROM t ORDER BY v").map { try $0.text("v") } == ["other", "writer"])
    }

    @Test func randomBytesAreRefusedAtOpenWithoutACrashOrAWrite() throws {
        let dir = try TestDirectory()
        defer { dir.remove() }
        let path = dir.file("random.sqlite")
        let garbage = randomBytes(16384)
        try writeFile(path, garbage)
        for options: OpenOptions in [[.readWrite, .create], .readOnly] {
            let error = #expect(throws: SQLiteError.self) { try Database(path: path, options: options) }
            #expect(error?.isCorrupt == true)
            #expect(error?.codeName == "SQLITE_NOTADB")
            #expect(error?.message == "file is not a database")
            #expect(error?.description.contains(path) == true)
        }
        #expect(try readFile(path) == garbage, "the file is left as it was")
    }

    @Test func aDamagedPageIsReportedAsCorruptOnQuery() throws {
        let dir = try TestDirectory()
        defer { dir.remove() }
        let path = dir.file("damaged.sqlite")
        do {
            let db = try Database(path: path)
            try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
            let insert = try db.prepare("INSERT INTO t (v) VALUES (?)")
            try db.transaction { _ in
                for index in 0..<2000 { try insert.run(.text(String(repeating: "x", count: 100) + "\(index)")) }
            }
        }
        #expect(try fileSize(path) > 8 * 4096)
        try patchFile(path, at: 4096, randomBytes(6 * 4096))  // pages 2...7; the schema on page 1 is intact

        let db = try Database(path: path)
        let error = #expect(throws: SQLiteError.self) { try db.query("SELECT id, v FROM t") }
        #expect(error?.isCorrupt == true)
        #expect(error?.message.contains("malformed") == true)
    }

    @Test func aMissingDirectoryGivesCantOpen() throws {
        let path = "/nonexistent-kaffee-dir/orders.sqlite"
        let error = #expect(throws: SQLiteError.self) { try Database(path: path) }
        #expect(error?.codeName == "SQLITE_CANTOPEN")
        #expect(error?.message == "unable to open database file")
        #expect(error?.description.contains(path) == true)
    }
}
