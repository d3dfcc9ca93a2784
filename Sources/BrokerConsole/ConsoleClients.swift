public import KafkaClient
public import Net
import Synchronization
public import SystemIO

/// How the console reaches its broker: a loopback address, and whether that listener needs a
/// SASL login (then each console user signs in with HTTP Basic credentials, passed on to the
/// broker, so the broker's ACLs apply to them).
public struct ConsoleBrokerTarget: Sendable, Equatable {
    public var address: HostPort
    /// The SASL mechanisms the listener enables; nil for a PLAINTEXT listener.
    public var saslMechanisms: [String]?

    public init(address: HostPort, saslMechanisms: [String]? = nil) {
        self.address = address
        self.saslMechanisms = saslMechanisms
    }

    /// Whether console users must sign in.
    public var requiresLogin: Bool { saslMechanisms != nil }

    /// The mechanism the console logs in with: PLAIN when enabled (no SCRAM rounds per
    /// connection), else SCRAM-SHA-512, else SCRAM-SHA-256; nil when none of them is enabled.
    public var mechanism: SaslConfig.Mechanism? {
        let enabled = Set((saslMechanisms ?? []).compactMap { SaslConfig.Mechanism(name: $0) })
        return [SaslConfig.Mechanism.plain, .scramSha512, .scramSha256].first { enabled.contains($0) }
    }
}

/// User name and password from an `Authorization: Basic` header.
public struct BasicCredentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// The console's Kafka clients: one shared client for a PLAINTEXT broker, else one per signed-in
/// user, kept while used and closed after `idleNanos` without use (by `sweep`, which a
/// background thread runs every 30 s once `startSweeping()` was called). A cached client is
/// reused only for the exact same user name and password. Thread-safe.
public final class ConsoleClients: Sendable {
    private struct Entry {
        var credentials: BasicCredentials
        var source: KafkaConsoleSource
        var lastUsed: UInt64
    }

    private struct State {
        var shared: KafkaConsoleSource?
        var byUser: [String: Entry] = [:]
        var stopped = false
    }

    public let target: ConsoleBrokerTarget
    private let clientId: String
    private let idleNanos: UInt64
    private let maxUsers: Int
    private let clock: any TimeSource
    private let logger: Logger
    private let state = Mutex(State())
    private let wake = ConditionSignal()

    public init(target: ConsoleBrokerTarget, clientId: String = "kaffee-console", idleNanos: UInt64 = 300 * 1_000_000_000,
                maxUsers: Int = 32, clock: any TimeSource = SystemTimeSource(), logger: Logger) {
        self.target = target
        self.clientId = clientId
        self.idleNanos = idleNanos
        self.maxUsers = maxUsers
        self.clock = clock
        self.logger = logger
    }

    /// The client settings for `credentials` (nil on a PLAINTEXT broker).
    func clientConfig(_ credentials: BasicCredentials?) throws(ConsoleFailure) -> ClientConfig {
        var config = ClientConfig(bootstrapServers: [target.address], clientId: clientId)
        config.requestTimeoutMs = 10_000
        config.retries = 2
        guard target.requiresLogin else { return config }
        guard let credentials else { throw ConsoleFailure(status: 401, "sign in with a user of the broker's SASL listener") }
        guard let mechanism = target.mechanism else {
            throw ConsoleFailure(status: 502, "the broker's SASL listener enables none of PLAIN, SCRAM-SHA-512, SCRAM-SHA-256")
        }
        config.sasl = SaslConfig(mechanism: mechanism, username: credentials.username, password: credentials.password)
        return config
    }

    /// The data source for a request: the shared one, or the signed-in user's (created and
    /// its login checked on first use; a refused login is a 401 failure).
    public func source(for credentials: BasicCredentials?) throws(ConsoleFailure) -> any ConsoleDataSource {
        let now = clock.monotonicNanos()
        sweep(now: now)
        if !target.requiresLogin {
            let config = try clientConfig(nil)
            return state.withLock { state in
                if let shared = state.shared { return shared }
                let shared = KafkaConsoleSource(clientConfig: config, clock: clock)
                state.shared = shared
                return shared
            }
        }
        guard let credentials else { throw ConsoleFailure(status: 401, "sign in with a user of the broker's SASL listener") }
        let cached = state.withLock { state -> KafkaConsoleSource? in
            guard var entry = state.byUser[credentials.username], entry.credentials == credentials else { return nil }
            entry.lastUsed = now
            state.byUser[credentials.username] = entry
            return entry.source
        }
        if let cached { return cached }
        let source = KafkaConsoleSource(clientConfig: try clientConfig(credentials), clock: clock)
        do {
            try source.verify()
        } catch {
            source.close()
            throw error
        }
        let evicted = state.withLock { state -> [KafkaConsoleSource] in
            var evicted: [KafkaConsoleSource] = []
            if let old = state.byUser[credentials.username] { evicted.append(old.source) }
            state.byUser[credentials.username] = Entry(credentials: credentials, source: source, lastUsed: now)
            while state.byUser.count > maxUsers, let oldest = state.byUser.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                evicted.append(oldest.value.source)
                state.byUser[oldest.key] = nil
            }
            return evicted
        }
        for old in evicted { old.close() }
        return source
    }

    /// Closes the per-user clients unused for `idleNanos`.
    public func sweep(now: UInt64) {
        let idle = state.withLock { state -> [KafkaConsoleSource] in
            let expired = state.byUser.filter { now > $0.value.lastUsed && now - $0.value.lastUsed >= idleNanos }
            for key in expired.keys { state.byUser[key] = nil }
            return expired.values.map(\.source)
        }
        for source in idle { source.close() }
        if !idle.isEmpty { logger.debug("closed \(idle.count) idle console client(s)") }
    }

    /// How many per-user clients are open (for tests and logs).
    public var userClientCount: Int { state.withLock { $0.byUser.count } }

    /// Starts a background thread that sweeps every 30 s until `close()`.
    public func startSweeping() throws(SystemError) {
        guard target.requiresLogin else { return }
        try SystemThread.spawn(name: "console-sweep") { [self] in
            var seen = wake.generation
            while !state.withLock({ $0.stopped }) {
                seen = wake.wait(after: seen, timeoutNanos: 30_000_000_000)
                sweep(now: clock.monotonicNanos())
            }
        }
    }

    /// Closes every client and stops the sweeper.
    public func close() {
        let all = state.withLock { state -> [KafkaConsoleSource] in
            state.stopped = true
            let all = (state.shared.map { [$0] } ?? []) + state.byUser.values.map(\.source)
            state.shared = nil
            state.byUser = [:]
            return all
        }
        wake.signal()
        for source in all { source.close() }
    }
}
