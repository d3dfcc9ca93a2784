internal import CSQLite

/// How `Database(path:options:)` opens the file.
///
/// Exactly one of `.readOnly` and `.readWrite` must be present; `.create` needs `.readWrite`.
/// Any other combination is refused at open with `SQLITE_MISUSE`. Value type, `Sendable`.
public struct OpenOptions: OptionSet, Sendable, Hashable {
    /// The raw `SQLITE_OPEN_*` flags.
    public let rawValue: Int32

    /// Creates options from raw `SQLITE_OPEN_*` flags.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Open for reading only; every write fails with `SQLITE_READONLY`.
    public static let readOnly = OpenOptions(rawValue: SQLITE_OPEN_READONLY)
    /// Open for reading and writing; opening a write-protected file fails with `SQLITE_READONLY`.
    public static let readWrite = OpenOptions(rawValue: SQLITE_OPEN_READWRITE)
    /// Create the file when it does not exist (its directory must exist).
    public static let create = OpenOptions(rawValue: SQLITE_OPEN_CREATE)
}

/// `PRAGMA synchronous` for a database in WAL mode.
///
/// `.full` (the default) fsyncs the WAL on every commit: a committed transaction survives a
/// power loss or OS crash. `.normal` fsyncs only at checkpoints: commits are faster, the
/// database stays consistent, but the last transactions before a power loss may be rolled back
/// (a process crash alone loses nothing).
public enum Synchronous: String, Sendable, Hashable {
    /// Durable commits (`PRAGMA synchronous=FULL`).
    case full = "FULL"
    /// Consistent but not durable across power loss (`PRAGMA synchronous=NORMAL`).
    case normal = "NORMAL"
}
