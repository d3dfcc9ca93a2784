/// Exit codes of `kaffee`, which scripts can rely on (also listed in `kaffee --help`).
public enum ExitCode: Int32, Sendable {
    /// Success.
    case ok = 0
    /// The operation failed (a broker error, a record that could not be delivered, a failed check).
    case failure = 1
    /// Bad usage: an unknown command or flag, a missing or malformed argument.
    case usage = 2
    /// No broker could be reached, or a request timed out.
    case unreachable = 3
    /// The topic, group or user does not exist.
    case notFound = 4
    /// Interrupted by SIGINT (after committing what was processed).
    case interrupted = 130

    public static let summary = """
    exit codes: 0 ok, 1 failure, 2 usage error, 3 broker unreachable or timed out,
                4 topic, group or user not found, 130 interrupted (SIGINT)
    """
}
