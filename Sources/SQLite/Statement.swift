internal import CSQLite

/// One compiled SQL statement with `?` (or `?NNN`) parameters, reusable any number of times.
///
/// Get one from `Database.prepare(_:)`, which caches statements by SQL text. Each `run`,
/// `query` or `scalar` call is one self-contained execution: it resets the statement, binds
/// exactly `parameterCount` values, steps to completion and resets again (releasing its read
/// snapshot), all while holding the connection's lock. So a `Statement` has no state between
/// calls, and may be shared between threads and with the cache.
///
/// Lifetime: the statement keeps its connection alive; it is finalised when the last reference
/// goes away. If the schema changes, SQLite recompiles it transparently.
public final class Statement: @unchecked Sendable {
    /// The SQL text this statement was compiled from.
    public let sql: String
    /// The number of parameters the SQL declares (the largest `?NNN` index).
    public let parameterCount: Int
    private let connection: Connection
    private let handle: OpaquePointer

    /// Compiles `sql`, which must hold exactly one statement. Call inside `connection.withLock`.
    init(connection: Connection, sql: String, persistent: Bool) throws(SQLiteError) {
        var compiled: OpaquePointer?
        var hasMoreStatements = false
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(connection.handle, text, -1, flags, &compiled, &tail)
            // What follows the first statement must compile to nothing (whitespace, `;`,
            // comments); anything else is a second statement that would be silently ignored.
            if rc == SQLITE_OK, compiled != nil, let tail, tail.pointee != 0 {
                var extra: OpaquePointer?
                let rest = sqlite3_prepare_v2(connection.handle, tail, -1, &extra, nil)
                hasMoreStatements = rest != SQLITE_OK || extra != nil
                sqlite3_finalize(extra)
            }
            return rc
        }
        guard rc == SQLITE_OK else {
            sqlite3_finalize(compiled)
            throw connection.error(rc, operation: sql)
        }
        guard let compiled else {
            throw .local(SQLITE_MISUSE, "no SQL statement in the text", operation: sql)
        }
        guard !hasMoreStatements else {
            sqlite3_finalize(compiled)
            throw .local(
                SQLITE_MISUSE, "more than one statement; use Database.execute(_:) for scripts", operation: sql)
        }
        self.sql = sql
        self.connection = connection
        self.handle = compiled
        self.parameterCount = Int(sqlite3_bind_parameter_count(compiled))
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Runs the statement with `bindings` and returns the number of rows it inserted, updated
    /// or deleted (`sqlite3_changes64`; 0 for statements that change nothing). Rows the
    /// statement returns are discarded.
    @discardableResult
    public func run(_ bindings: SQLiteValue...) throws(SQLiteError) -> Int {
        try run(bindings: bindings)
    }

    /// `run(_:)` with the bindings in an array.
    @discardableResult
    public func run(bindings: [SQLiteValue]) throws(SQLiteError) -> Int {
        try connection.withLock { () throws(SQLiteError) in
            try execute(bindings) { _ in }
            return Int(sqlite3_changes64(connection.handle))
        }
    }

    /// Runs the statement with `bindings` and returns every result row.
    public func query(_ bindings: SQLiteValue...) throws(SQLiteError) -> [Row] {
        try query(bindings: bindings)
    }

    /// `query(_:)` with the bindings in an array.
    public func query(bindings: [SQLiteValue]) throws(SQLiteError) -> [Row] {
        try connection.withLock { () throws(SQLiteError) in
            let columns = columnNames()
            var rows: [Row] = []
            try execute(bindings) { handle in
                rows.append(Row(columns: columns, values: Statement.values(of: handle, count: columns.count)))
            }
            return rows
        }
    }

    /// Runs the statement with `bindings` and returns the first column of the first row, or
    /// `.null` when there is no row. Later rows are still stepped through (so writes finish).
    public func scalar(_ bindings: SQLiteValue...) throws(SQLiteError) -> SQLiteValue {
        try scalar(bindings: bindings)
    }

    /// `scalar(_:)` with the bindings in an array.
    public func scalar(bindings: [SQLiteValue]) throws(SQLiteError) -> SQLiteValue {
        try connection.withLock { () throws(SQLiteError) in
            var first: SQLiteValue?
            try execute(bindings) { handle in
                if first == nil { first = Statement.values(of: handle, count: 1).first ?? .null }
            }
            return first ?? .null
        }
    }

    /// Reset, bind, step to `SQLITE_DONE` calling `onRow` per row, reset. Inside the lock.
    private func execute(_ bindings: [SQLiteValue], onRow: (OpaquePointer) -> Void) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        defer { sqlite3_reset(handle) }
        try bind(bindings)
        while true {
            let rc = sqlite3_step(handle)
            switch rc {
            case SQLITE_ROW: onRow(handle)
            case SQLITE_DONE: return
            default: throw connection.error(rc, operation: sql)
            }
        }
    }

    private func bind(_ bindings: [SQLiteValue]) throws(SQLiteError) {
        guard bindings.count == parameterCount else {
            throw .local(
                SQLITE_RANGE, "the statement has \(parameterCount) parameter(s), \(bindings.count) value(s) given",
                operation: sql)
        }
        for (offset, value) in bindings.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null:
                rc = sqlite3_bind_null(handle, index)
            case .integer(let int):
                rc = sqlite3_bind_int64(handle, index, int)
            case .real(let double):
                rc = sqlite3_bind_double(handle, index, double)
            case .text(let text):
                var text = text
                rc = text.withUTF8 { bytes in
                    // An empty buffer may have no base address; bind "" rather than NULL.
                    guard let base = bytes.baseAddress, !bytes.isEmpty else {
                        return sqlite3_bind_text64(handle, index, "", 0, csqlite_transient(), UInt8(SQLITE_UTF8))
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                        sqlite3_bind_text64(
                            handle, index, chars, UInt64(bytes.count), csqlite_transient(), UInt8(SQLITE_UTF8))
                    }
                }
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { raw in
                    // A NULL pointer would bind SQL NULL; an empty blob must stay a blob.
                    guard let base = raw.baseAddress, !raw.isEmpty else {
                        return sqlite3_bind_zeroblob(handle, index, 0)
                    }
                    return sqlite3_bind_blob64(handle, index, base, UInt64(raw.count), csqlite_transient())
                }
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, operation: sql) }
        }
    }

    private func columnNames() -> [String] {
        (0..<sqlite3_column_count(handle)).map { index in
            sqlite3_column_name(handle, index).map { String(cString: $0) } ?? "column\(index)"
        }
    }

    private static func values(of handle: OpaquePointer, count: Int) -> [SQLiteValue] {
        (0..<Int32(count)).map { index in
            switch sqlite3_column_type(handle, index) {
            case SQLITE_INTEGER:
                return .integer(sqlite3_column_int64(handle, index))
            case SQLITE_FLOAT:
                return .real(sqlite3_column_double(handle, index))
            case SQLITE_TEXT:
                // Pointer first, then length (the order SQLite documents).
                guard let text = sqlite3_column_text(handle, index) else { return .text("") }
                let length = Int(sqlite3_column_bytes(handle, index))
                return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
            case SQLITE_BLOB:
                guard let blob = sqlite3_column_blob(handle, index) else { return .blob([]) }
                let length = Int(sqlite3_column_bytes(handle, index))
                return .blob(Array(UnsafeRawBufferPointer(start: blob, count: length)))
            default:
                return .null
            }
        }
    }
}
