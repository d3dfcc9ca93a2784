public import SystemIO
import Synchronization

/// Accepts connections on a listener and serves each one on its own thread with `handler`,
/// keeping track of the open ones so `stop` can end them gracefully. The one accept loop both
/// the Kafka broker and the HTTP server use.
///
/// Blocking threads, not Swift concurrency: a connection blocks on its socket between requests,
/// and Swift's cooperative pool must never block. `handler` returns when it is done with the
/// connection; the acceptor then closes it. Thread-safe.
public final class ConnectionAcceptor: Sendable {
    public let listener: TCPListener
    private let threadName: String
    private let logger: Logger
    private let handler: @Sendable (TCPConnection) -> Void
    private let maxConnections: Int
    private let rejected: @Sendable (TCPConnection) -> Void
    private let state = Mutex(State())
    private let finished = ConditionSignal()

    private struct State {
        var connections: [ObjectIdentifier: TCPConnection] = [:]
        var started = false
        var stopping = false
        var acceptLoopDone = false
    }

    /// `maxConnections` bounds the connections (and so threads) served at once; one more is
    /// handed to `rejected` on the accept thread (say, to write a short refusal) and closed.
    public init(listener: TCPListener, threadName: String, logger: Logger, maxConnections: Int = Int.max,
                rejected: @escaping @Sendable (TCPConnection) -> Void = { _ in },
                handler: @escaping @Sendable (TCPConnection) -> Void) {
        self.listener = listener
        self.maxConnections = maxConnections
        self.rejected = rejected
        self.threadName = threadName
        self.logger = logger
        self.handler = handler
    }

    /// True once `stop` began: handlers should finish the request they are on and return.
    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// Starts the accept loop on its own thread; later calls do nothing.
    public func start() throws(SystemError) {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        try SystemThread.spawn(name: threadName + "-accept") { [self] in acceptLoop() }
    }

    /// Stops accepting, stops reading on every open connection (a handler blocked waiting for the
    /// next request wakes; responses being written still go out) and waits up to `graceMillis`
    /// for the handlers to return. Idempotent.
    public func stop(graceMillis: UInt64) {
        let (open, started) = state.withLock { state -> ([TCPConnection], Bool) in
            state.stopping = true
            return (Array(state.connections.values), state.started)
        }
        listener.close()
        for connection in open { connection.shutdownReads() }
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + graceMillis * 1_000_000
        while true {
            let seen = finished.generation
            let done = state.withLock { $0.connections.isEmpty && ($0.acceptLoopDone || !started) }
            let now = clock.monotonicNanos()
            if done || now >= deadline { break }
            finished.wait(after: seen, timeoutNanos: deadline - now)
        }
    }

    private func acceptLoop() {
        defer {
            state.withLock { $0.acceptLoopDone = true }
            finished.signal()
        }
        while true {
            let connection: TCPConnection
            do {
                connection = try listener.accept()
            } catch {
                if isStopping { return }
                logger.error("accept failed: \(error)")
                continue
            }
            enum Admission { case admitted, full, stopping }
            let admission = state.withLock { state -> Admission in
                guard !state.stopping else { return .stopping }
                guard state.connections.count < maxConnections else { return .full }
                state.connections[ObjectIdentifier(connection)] = connection
                return .admitted
            }
            switch admission {
            case .admitted: break
            case .full:
                rejected(connection)
                connection.close()
                continue
            case .stopping:
                connection.close()
                return
            }
            do {
                try SystemThread.spawn(name: threadName) { [self] in
                    defer {
                        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
                        connection.close()
                        finished.signal()
                    }
                    handler(connection)
                }
            } catch {
                logger.error("cannot start a thread for \(connection.peer): \(error)")
                _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
                connection.close()
            }
        }
    }
}
