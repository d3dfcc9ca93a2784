internal import CSQLite

/// The open `sqlite3*` handle and its lock; shared by a `Database` and its `Statement`s.
///
/// Invariants: `handle` is valid from `init` until `deinit`, which closes it with
/// `sqlite3_close_v2` (so statements still alive keep working until they are finalised, then
/// the connection closes). `mutex` is the connection's own recursive mutex
/// (`sqlite3_db_mutex`, present because the handle is opened with `SQLITE_OPEN_FULLMUTEX`).
///
/// Thread-safety: every use of `handle` by this module, and every read or write of Swift state
/// tied to it (the statement cache, the savepoint counter), happens inside `withLock`. The
/// mutex is recursive, so a transaction body may call back into the same `Database`; other
/// threads wait until the outermost `withLock` returns, so a transaction is never interleaved
/// with another thread's statements.
final class Connection: @unchecked Sendable {
    /// The open handle; non-nil for the whole life of the object.
    let handle: OpaquePointer
    /// The handle's recursive mutex.
    private let mutex: OpaquePointer

    /// Opens `path` with `flags` (`SQLITE_OPEN_FULLMUTEX` and extended result codes are added).
    init(path: String, flags: Int32) throws(SQLiteError) {
        let operation = "open \(path)"
        guard sqlite3_threadsafe() != 0 else {
            throw .local(SQLITE_MISUSE, "the SQLite library was built without thread support", operation: operation)
        }
        var opened: OpaquePointer?
        let rc = sqlite3_open_v2(path, &opened, flags | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE, nil)
        guard let handle = opened else {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc)), operation: operation)
        }
        guard rc == SQLITE_OK else {
            let error = Connection.error(handle: handle, code: rc, operation: operation)
            sqlite3_close_v2(handle)
            throw error
        }
        guard let mutex = sqlite3_db_mutex(handle) else {
            sqlite3_close_v2(handle)
            throw .local(
                SQLITE_MISUSE, "the connection has no mutex (single-thread SQLite build)", operation: operation)
        }
        sqlite3_extended_result_codes(handle, 1)
        self.handle = handle
        self.mutex = mutex
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs `body` holding the connection's recursive mutex.
    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        sqlite3_mutex_enter(mutex)
        defer { sqlite3_mutex_leave(mutex) }
        return try body()
    }

    /// The error for a call on this connection that returned `code`. Call inside `withLock`,
    /// right after the failing call, so the message is that call's.
    func error(_ code: Int32, operation: String) -> SQLiteError {
        Connection.error(handle: handle, code: code, operation: operation)
    }

    /// Runs one or more `;`-separated statements with `sqlite3_exec`, discarding any rows.
    func exec(_ sql: String) throws(SQLiteError) {
        try withLock { () throws(SQLiteError) in
            var message: UnsafeMutablePointer<CChar>?
            let rc = sqlite3_exec(handle, sql, nil, nil, &message)
            guard rc != SQLITE_OK else { return }
            var error = self.error(rc, operation: sql)
            if let message {
                error = SQLiteError(
                    code: error.code, extendedCode: error.extendedCode,
                    message: String(cString: message), operation: sql)
                sqlite3_free(message)
            }
            throw error
        }
    }

    private static func error(handle: OpaquePointer, code: Int32, operation: String) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        // The handle's last error normally is this call's; fall back to `code` if it is not.
        let matches = extended & 0xff == code & 0xff
        let message = matches ? String(cString: sqlite3_errmsg(handle)) : String(cString: sqlite3_errstr(code))
        return SQLiteError(
            code: code & 0xff, extendedCode: matches ? extended : code, message: message, operation: operation)
    }
}
