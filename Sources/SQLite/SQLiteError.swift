internal import CSQLite

/// A failed SQLite call: the result codes, SQLite's own message (`sqlite3_errmsg`), and the SQL
/// text or operation it was about.
///
/// Value type, `Sendable`, safe to pass between threads. `code` is always the primary result
/// code (`extendedCode & 0xff`); `extendedCode` equals `code` when SQLite gave no extended one.
/// Errors raised by this module itself rather than by SQLite (a bad binding count, a missing
/// column, a value of the wrong type) use the closest SQLite code (`SQLITE_RANGE`,
/// `SQLITE_MISMATCH`, `SQLITE_MISUSE`) and their own message.
public struct SQLiteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The primary result code (`SQLITE_BUSY` = 5, `SQLITE_CONSTRAINT` = 19, ...).
    public let code: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE` = 2067, ...), or `code`.
    public let extendedCode: Int32
    /// SQLite's message for the failure, e.g. `"UNIQUE constraint failed: orders.id"`.
    public let message: String
    /// The SQL text, or the operation (`"open /path/db.sqlite"`), that failed.
    public let operation: String

    /// Creates an error; `code` is normalised to the primary code of `extendedCode` when given.
    public init(code: Int32, extendedCode: Int32? = nil, message: String, operation: String) {
        let extended = extendedCode ?? code
        self.code = extended & 0xff
        self.extendedCode = extended
        self.message = message
        self.operation = operation
    }

    /// True for `SQLITE_BUSY`: another connection held a lock the operation needed for longer
    /// than the busy timeout. Nothing was written; retrying later may succeed.
    public var isBusy: Bool { code == SQLITE_BUSY }
    /// True for `SQLITE_READONLY`: a write to a database opened read-only or whose file is not
    /// writable. Nothing was written.
    public var isReadOnly: Bool { code == SQLITE_READONLY }
    /// True for `SQLITE_CONSTRAINT` (UNIQUE, NOT NULL, CHECK, FOREIGN KEY, ...): the statement
    /// was refused and its changes undone.
    public var isConstraint: Bool { code == SQLITE_CONSTRAINT }
    /// True for `SQLITE_CORRUPT` and `SQLITE_NOTADB`: the file is damaged or not a database.
    public var isCorrupt: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }

    /// The symbolic name of `code`, e.g. `"SQLITE_BUSY"`.
    public var codeName: String { Self.name(of: code) }

    /// `"<codeName> (<code>/<extendedCode>): <message> [<hint>] — in: <operation>"`, the text a
    /// log line or a 5xx body shows.
    public var description: String {
        var text = "\(codeName) (\(code)/\(extendedCode)): \(message)"
        if let hint { text += " [\(hint)]" }
        return text + " — in: \(operation)"
    }

    /// A short hint for the failures an operator can act on.
    private var hint: String? {
        switch code {
        case SQLITE_BUSY: "another connection holds the lock; gave up after the busy timeout"
        case SQLITE_READONLY: "the database is read-only (open mode or file permissions)"
        case SQLITE_CORRUPT, SQLITE_NOTADB: "the file is damaged or not an SQLite database"
        case SQLITE_CANTOPEN: "check that the path and its directory exist and are accessible"
        case SQLITE_FULL: "the disk is full"
        default: nil
        }
    }

    private static func name(of code: Int32) -> String {
        switch code {
        case SQLITE_OK: "SQLITE_OK"
        case SQLITE_ERROR: "SQLITE_ERROR"
        case SQLITE_INTERNAL: "SQLITE_INTERNAL"
        case SQLITE_PERM: "SQLITE_PERM"
        case SQLITE_ABORT: "SQLITE_ABORT"
        case SQLITE_BUSY: "SQLITE_BUSY"
        case SQLITE_LOCKED: "SQLITE_LOCKED"
        case SQLITE_NOMEM: "SQLITE_NOMEM"
        case SQLITE_READONLY: "SQLITE_READONLY"
        case SQLITE_INTERRUPT: "SQLITE_INTERRUPT"
        case SQLITE_IOERR: "SQLITE_IOERR"
        case SQLITE_CORRUPT: "SQLITE_CORRUPT"
        case SQLITE_NOTFOUND: "SQLITE_NOTFOUND"
        case SQLITE_FULL: "SQLITE_FULL"
        case SQLITE_CANTOPEN: "SQLITE_CANTOPEN"
        case SQLITE_PROTOCOL: "SQLITE_PROTOCOL"
        case SQLITE_SCHEMA: "SQLITE_SCHEMA"
        case SQLITE_TOOBIG: "SQLITE_TOOBIG"
        case SQLITE_CONSTRAINT: "SQLITE_CONSTRAINT"
        case SQLITE_MISMATCH: "SQLITE_MISMATCH"
        case SQLITE_MISUSE: "SQLITE_MISUSE"
        case SQLITE_NOLFS: "SQLITE_NOLFS"
        case SQLITE_AUTH: "SQLITE_AUTH"
        case SQLITE_RANGE: "SQLITE_RANGE"
        case SQLITE_NOTADB: "SQLITE_NOTADB"
        default: "SQLITE_\(code)"
        }
    }
}

extension SQLiteError {
    /// An error raised by this module (not by an SQLite call) with SQLite code `code`.
    static func local(_ code: Int32, _ message: String, operation: String) -> SQLiteError {
        SQLiteError(code: code, message: message, operation: operation)
    }
}
