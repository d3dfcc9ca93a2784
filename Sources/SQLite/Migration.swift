/// One numbered schema change, applied at most once per database by `Database.migrate(_:)`.
///
/// `version` is ≥ 1 and unique within a service's list; once shipped, a migration's version,
/// name and SQL never change (add a new migration instead). `sql` is a script of one or more
/// statements; it runs inside a transaction, so it must not contain `BEGIN`, `COMMIT`,
/// `ROLLBACK` or `PRAGMA foreign_keys` (which is a no-op inside a transaction). Value type.
public struct Migration: Sendable, Equatable {
    /// The migration's number; migrations apply in increasing order.
    public let version: Int
    /// A short name (`"create_orders"`), recorded with the version and checked on later runs.
    public let name: String
    /// The schema change script.
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Why `Database.migrate(_:)` refused to run or stopped. Value type, `Sendable`.
public enum MigrationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The list is not strictly increasing from 1: `next` follows `previous` (0 for the first).
    case versionsNotIncreasing(previous: Int, next: Int)
    /// The database has a migration this code does not know: it was migrated by a newer build
    /// (or belongs to another service). Nothing was applied.
    case unknownAppliedVersion(version: Int, name: String, latestKnown: Int)
    /// The database recorded `version` under another name than the code's: the two disagree
    /// about what the schema is. Nothing was applied.
    case nameMismatch(version: Int, applied: String, known: String)
    /// Migration `version`'s SQL ended the surrounding transaction (`COMMIT`/`ROLLBACK` in the
    /// script); what it did before that may be committed without its bookkeeping row.
    case endedTransaction(version: Int, name: String)
    /// Migration `version` failed; it was rolled back, and so was nothing else (earlier
    /// migrations stay applied).
    case failed(version: Int, name: String, error: SQLiteError)

    /// One line naming the versions involved and what to do about it.
    public var description: String {
        switch self {
        case .versionsNotIncreasing(let previous, let next):
            "migration versions must be unique, ≥ 1 and increasing: \(next) follows \(previous)"
        case .unknownAppliedVersion(let version, let name, let latestKnown):
            "the database has migration \(version) '\(name)' that this code does not know "
                + "(it knows up to \(latestKnown)); the schema is newer than this build — refusing to run"
        case .nameMismatch(let version, let applied, let known):
            "migration \(version) was applied as '\(applied)' but this code calls it '\(known)'; "
                + "the database and the code disagree about the schema"
        case .endedTransaction(let version, let name):
            "migration \(version) '\(name)' ended its own transaction; remove BEGIN/COMMIT/ROLLBACK from its SQL"
        case .failed(let version, let name, let error):
            "migration \(version) '\(name)' failed and was rolled back: \(error)"
        }
    }
}
