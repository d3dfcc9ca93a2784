import Synchronization

/// Set when the user pressed Ctrl-C (SIGINT) or the process got SIGTERM; long-running commands
/// poll it between steps so they can commit, leave their group and exit with 130.
public final class Interruption: Sendable {
    public static let shared = Interruption()
    private let flag = Atomic<Bool>(false)

    public var isRequested: Bool { flag.load(ordering: .acquiring) }
    public func request() { flag.store(true, ordering: .releasing) }
    /// For tests that run several commands in one process.
    public func reset() { flag.store(false, ordering: .releasing) }
}
