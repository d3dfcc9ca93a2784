internal import CSQLite

/// One SQLite database connection: statements, a statement cache, transactions, migrations.
///
/// Opening a file read-write sets `PRAGMA journal_mode=WAL` (readers never block the writer),
/// `PRAGMA synchronous=FULL` by default (a committed transaction survives power loss; see
/// `Synchronous`), `PRAGMA foreign_keys=ON`, `PRAGMA temp_store=MEMORY` (statement and
/// savepoint journals, which never outlive the transaction, stay off the disk), and a busy
/// timeout (default 5 s): a statement that needs a lock another connection holds waits up to
/// that long, then fails with an `SQLiteError` whose `isBusy` is true. Every failure is an
/// `SQLiteError` carrying SQLite's message; a failed statement leaves nothing half-written
/// (SQLite undoes it), and a failed `transaction` leaves nothing of its body written.
///
/// Thread-safety: a `Database` may be shared between threads. Every call holds the
/// connection's recursive lock for its whole duration, and `transaction` holds it from `BEGIN`
/// to `COMMIT`, so other threads' calls wait and never land inside someone else's transaction.
/// Calls are therefore serialised: for parallel readers open more connections (WAL allows many
/// readers beside one writer). Do not block inside a transaction body on work done by another
/// thread that uses the same `Database`: that thread waits for the lock, so both stop.
///
/// The connection closes when the `Database` and every `Statement` from it are released.
public final class Database: @unchecked Sendable {
    /// The most statements `prepare` keeps; when full the cache is emptied and refilled.
    static let statementCacheCapacity = 64

    /// The path given at open (`":memory:"` for `inMemory()`).
    public let path: String
    /// The open handle and its lock, shared with this database's statements.
    let connection: Connection
    /// Statements by SQL text. Guarded by `connection.withLock`.
    private var statementCache: [String: Statement] = [:]
    /// How many savepoints the running transaction has open. Guarded by `connection.withLock`.
    var savepointDepth = 0

    /// Opens (or with `.create`, creates) the database file at `path` and configures the
    /// connection (WAL for read-write files, `synchronous`, foreign keys, busy timeout).
    ///
    /// Throws `SQLiteError`: `SQLITE_CANTOPEN` for a missing file or directory,
    /// `SQLITE_READONLY` when `.readWrite` is asked for a file that is not writable,
    /// `SQLITE_NOTADB`/`SQLITE_CORRUPT` for a file that is not a sound database, `SQLITE_BUSY`
    /// when another connection holds a lock for longer than `busyTimeout`, `SQLITE_MISUSE` for
    /// invalid `options`. Nothing is written to a file that fails to open.
    public init(
        path: String,
        options: OpenOptions = [.readWrite, .create],
        busyTimeout: Duration = .seconds(5),
        synchronous: Synchronous = .full
    ) throws(SQLiteError) {
        let operation = "open \(path)"
        let writable = options.contains(.readWrite)
        guard writable != options.contains(.readOnly), writable || !options.contains(.create) else {
            throw .local(
                SQLITE_MISUSE, "open options need exactly one of .readOnly and .readWrite; .create needs .readWrite",
                operation: operation)
        }
        self.path = path
        self.connection = try Connection(path: path, flags: options.rawValue)
        let handle = connection.handle
        sqlite3_busy_timeout(handle, Self.milliseconds(busyTimeout))
        if writable, sqlite3_db_readonly(handle, "main") == 1 {
            throw .local(
                SQLITE_READONLY, "the database file is not writable (opened for read-write)", operation: operation)
        }
        // Reading the schema reads the file header: a damaged file or not-a-database fails here.
        try scalarUncached("SELECT count(*) FROM sqlite_schema", operation: operation)
        let isMemory = path == ":memory:" || path.isEmpty
        if writable && !isMemory {
            let mode = try scalarUncached("PRAGMA journal_mode=WAL", operation: operation)
            guard mode.textValue?.lowercased() == "wal" else {
                throw .local(
                    SQLITE_ERROR, "could not switch to WAL journal mode (still \(mode))", operation: operation)
            }
        }
        if writable {
            try connection.exec("PRAGMA synchronous=\(synchronous.rawValue)")
        }
        try connection.exec("PRAGMA foreign_keys=ON")
        // Statement and savepoint journals in memory: they only ever undo part of an open
        // transaction (crash recovery is the WAL's job), and on disk every savepoint costs a
        // write system call per page it touches.
        try connection.exec("PRAGMA temp_store=MEMORY")
    }

    /// A new, empty, private in-memory database (no WAL; gone when released).
    public static func inMemory() throws(SQLiteError) -> Database {
        try Database(path: ":memory:")
    }

    /// Runs a script of one or more `;`-separated statements (no parameters, rows discarded).
    /// Stops at the first failing statement; earlier ones stay applied unless the call is
    /// inside a `transaction` that then fails.
    public func execute(_ sql: String) throws(SQLiteError) {
        try connection.exec(sql)
    }

    /// The compiled statement for `sql` (exactly one statement), from the cache when this SQL
    /// was prepared before. The same SQL text gives the same `Statement` object while cached.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try connection.withLock { () throws(SQLiteError) in
            if let cached = statementCache[sql] { return cached }
            let statement = try Statement(connection: connection, sql: sql, persistent: true)
            if statementCache.count >= Self.statementCacheCapacity { statementCache.removeAll(keepingCapacity: true) }
            statementCache[sql] = statement
            return statement
        }
    }

    /// Runs one statement with `bindings` (cached by SQL) and returns how many rows it changed.
    @discardableResult
    public func run(_ sql: String, _ bindings: SQLiteValue...) throws(SQLiteError) -> Int {
        try prepare(sql).run(bindings: bindings)
    }

    /// Runs one query with `bindings` (cached by SQL) and returns all its rows.
    public func query(_ sql: String, _ bindings: SQLiteValue...) throws(SQLiteError) -> [Row] {
        try prepare(sql).query(bindings: bindings)
    }

    /// Runs one query with `bindings` (cached by SQL) and returns the first column of the
    /// first row, or `.null` when there is no row.
    public func scalar(_ sql: String, _ bindings: SQLiteValue...) throws(SQLiteError) -> SQLiteValue {
        try prepare(sql).scalar(bindings: bindings)
    }

    /// The rowid of the most recent successful `INSERT` on this connection (0 if none).
    /// Read it inside the same `transaction` as the insert when the `Database` is shared, or
    /// use `INSERT ... RETURNING id` with `scalar`.
    public var lastInsertRowId: Int64 {
        connection.withLock { sqlite3_last_insert_rowid(connection.handle) }
    }

    /// The rows changed by the most recent `INSERT`/`UPDATE`/`DELETE` on this connection. When
    /// shared, prefer the count `run` returns.
    public var changes: Int {
        connection.withLock { Int(sqlite3_changes64(connection.handle)) }
    }

    /// True while a transaction is open on this connection (also one begun with `execute`).
    public var isInTransaction: Bool {
        connection.withLock { sqlite3_get_autocommit(connection.handle) == 0 }
    }

    /// True when this connection cannot write (opened `.readOnly`).
    public var isReadOnly: Bool {
        connection.withLock { sqlite3_db_readonly(connection.handle, "main") == 1 }
    }

    /// `duration` in whole milliseconds, clamped to `0...Int32.max`.
    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64(Int32.max / 1000) else { return Int32.max }
        return Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// Runs a one-off statement during `init`, errors reported against `operation`.
    @discardableResult
    private func scalarUncached(_ sql: String, operation: String) throws(SQLiteError) -> SQLiteValue {
        do {
            return try connection.withLock { () throws(SQLiteError) in
                try Statement(connection: connection, sql: sql, persistent: false).scalar()
            }
        } catch {
            throw SQLiteError(code: error.code, extendedCode: error.extendedCode, message: error.message,
                              operation: "\(operation): \(sql)")
        }
    }
}
