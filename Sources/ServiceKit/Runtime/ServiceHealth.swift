internal import Synchronization

/// What a service's `/healthz` reports: ready only when the database is migrated and usable
/// and the broker has answered. Reference type; thread-safe (one lock).
public final class ServiceHealth: Sendable {
    /// The conditions readiness needs, with the reason each is not met yet.
    private struct State {
        var migrated = false
        var brokerProblem: String? = "not connected to the broker yet"
        var databaseProblem: String?
        var stopping = false
    }

    private let state = Mutex(State())

    /// A health record that is not ready (nothing migrated, broker not connected).
    public init() {}

    /// Records that migrations ran.
    public func markMigrated() { state.withLock { $0.migrated = true } }
    /// Records that the broker answered (nil) or why it did not.
    public func setBrokerProblem(_ problem: String?) { state.withLock { $0.brokerProblem = problem } }
    /// Records that the database works (nil) or why it does not (locked, read-only, full).
    public func setDatabaseProblem(_ problem: String?) { state.withLock { $0.databaseProblem = problem } }
    /// Records that shutdown began (no longer ready).
    public func markStopping() { state.withLock { $0.stopping = true } }

    /// Nil when ready, otherwise every reason it is not, joined with "; ".
    public var notReadyReason: String? {
        state.withLock { s in
            var reasons: [String] = []
            if s.stopping { reasons.append("shutting down") }
            if !s.migrated { reasons.append("database not migrated yet") }
            if let p = s.databaseProblem { reasons.append("database: \(p)") }
            if let p = s.brokerProblem { reasons.append("broker: \(p)") }
            return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
        }
    }

    /// Whether the broker answered and the needed topics exist.
    public var brokerReachable: Bool { state.withLock { $0.brokerProblem == nil } }

    /// Whether the service is ready.
    public var isReady: Bool { notReadyReason == nil }
}
