internal import CEpoll
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
public import SystemIO
import Synchronization

/// A TCP server for length-prefixed frames (Kafka's `INT32 size` + request), serving every
/// connection from a few epoll loops instead of a thread each, so ten thousands of idle clients
/// cost only their sockets.
///
/// Each complete frame goes to `onFrame` (called on a loop thread: it must only hand the work
/// on, e.g. to a `WorkerPool`), and its connection stays muted until the answer is given with
/// `FramedConnection.respond` (see `FramedConnection`). The listeners (one per Kafka listener:
/// each connection remembers which one it came in on, `FramedConnection.listenerIndex`) live on
/// the first loop; accepted connections are spread over the loops round-robin.
///
/// `stop` stops accepting, closes idle connections at once, lets busy ones write the answer to
/// the request they are on, and closes what is left after the grace period. Thread-safe.
public final class FramedServer: @unchecked Sendable {
    /// The listening sockets, in the order given; a connection's `listenerIndex` points here.
    public let listeners: [TCPListener]
    /// The first listener (servers with one).
    public var listener: TCPListener { listeners[0] }
    let maxFrameSize: Int
    let logger: Logger
    private let loops: [EventLoop]
    private let onFrame: @Sendable (FramedConnection, [UInt8]) -> Void
    private let state = Mutex(State())
    private let changed = ConditionSignal()
    private let acceptors: [Acceptor]
    private let maxConnectionsPerHost: Int
    private let firstFrameLimit: (@Sendable (Int) -> Int)?

    private struct State {
        var connections: [ObjectIdentifier: FramedConnection] = [:]
        /// Open connections per peer host (for `maxConnectionsPerHost`).
        var perHost: [String: Int] = [:]
        /// Connections accepted per listener since the start (refused ones not counted).
        var accepted: [UInt64] = []
        var next = 0
        var started = false
        var stopping = false
    }

    /// A server on one listener.
    public convenience init(listener: TCPListener, maxFrameSize: Int, loops loopCount: Int, logger: Logger,
                            onFrame: @escaping @Sendable (FramedConnection, [UInt8]) -> Void) throws(SystemError) {
        try self.init(listeners: [listener], maxFrameSize: maxFrameSize, loops: loopCount, logger: logger, onFrame: onFrame)
    }

    /// A server on several listeners (at least one), all served by the same loops.
    /// `firstFrameLimit(listenerIndex)`: the largest frame a new connection of that listener
    /// may send until `FramedConnection.setMaxFrameSize` raises it (e.g. before a SASL login;
    /// default `maxFrameSize`). `maxConnectionsPerHost`: more connections from one peer
    /// address are closed at once (Kafka's `max.connections.per.ip`).
    public init(listeners: [TCPListener], maxFrameSize: Int, loops loopCount: Int, logger: Logger,
                maxConnectionsPerHost: Int = Int.max, firstFrameLimit: (@Sendable (Int) -> Int)? = nil,
                onFrame: @escaping @Sendable (FramedConnection, [UInt8]) -> Void) throws(SystemError) {
        precondition(!listeners.isEmpty, "a FramedServer needs a listener")
        self.listeners = listeners
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.firstFrameLimit = firstFrameLimit
        self.maxFrameSize = maxFrameSize
        self.logger = logger
        self.onFrame = onFrame
        var loops: [EventLoop] = []
        for _ in 0..<max(1, loopCount) { loops.append(try EventLoop(logger: logger)) }
        self.loops = loops
        acceptors = listeners.indices.map { Acceptor(index: $0) }
        for acceptor in acceptors { acceptor.server = self }
    }

    /// Open connections now.
    public var connectionCount: Int { state.withLock { $0.connections.count } }

    /// Per listener (in `listeners` order): connections open now and accepted since the start
    /// (for metrics; counts the open ones, so call it at scrape time, not per request).
    public var listenerConnections: [(open: Int, accepted: UInt64)] {
        state.withLock { state in
            var open = Array(repeating: 0, count: listeners.count)
            for connection in state.connections.values where connection.listenerIndex < open.count {
                open[connection.listenerIndex] += 1
            }
            return listeners.indices.map { (open[$0], $0 < state.accepted.count ? state.accepted[$0] : 0) }
        }
    }

    /// True once `stop` began.
    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// Starts the loops and accepting; later calls do nothing.
    public func start() throws(SystemError) {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        for listener in listeners {
            let flags = fcntl(listener.descriptor.rawValue, F_GETFL)
            _ = fcntl(listener.descriptor.rawValue, F_SETFL, flags | O_NONBLOCK)
        }
        for (index, loop) in loops.enumerated() { try loop.start(name: "net-\(index)") }
        loops[0].execute { [self] in
            for (listener, acceptor) in zip(listeners, acceptors) {
                loops[0].register(acceptor, descriptor: listener.descriptor.rawValue, events: EventLoop.readable)
            }
        }
    }

    /// Stops accepting and serving; see the type's documentation. Idempotent.
    public func stop(graceMillis: UInt64) {
        let (connections, started) = state.withLock { state -> ([FramedConnection], Bool) in
            state.stopping = true
            return (Array(state.connections.values), state.started)
        }
        guard started else {
            for listener in listeners { listener.close() }
            return
        }
        let done = ConditionSignal()
        loops[0].execute { [self] in
            for listener in listeners {
                loops[0].unregister(descriptor: listener.descriptor.rawValue)
                listener.close()
            }
            done.signal()
        }
        done.wait(after: 0, timeoutNanos: 1_000_000_000)
        for connection in connections {
            connection.loop.execute { if !connection.isBusy { connection.closeNow() } }
        }
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() &+ graceMillis * 1_000_000
        while true {
            let seen = changed.generation
            let open = connectionCount
            let now = clock.monotonicNanos()
            if open == 0 || now >= deadline { break }
            changed.wait(after: seen, timeoutNanos: min(deadline - now, 100_000_000))
        }
        let remaining = state.withLock { Array($0.connections.values) }
        if !remaining.isEmpty { logger.warning("closing \(remaining.count) connections still busy after \(graceMillis) ms") }
        for connection in remaining { connection.close() }
        for loop in loops { loop.stop() }
    }

    // MARK: called on loop threads

    /// Accepts every pending connection of listener `index` (listeners are non-blocking).
    fileprivate func acceptAll(_ index: Int) {
        let listener = listeners[index]
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener.descriptor.rawValue, $0, &length) }
            }
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EAGAIN, EWOULDBLOCK: return
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: stop accepting for a moment rather than spin on a
                    // listener that stays readable.
                    logger.warning("cannot accept: \(SystemError(code: errno, operation: "accept")); pausing for 100 ms")
                    pauseAccepting(index)
                    return
                default:
                    logger.error("accept failed: \(SystemError(code: errno, operation: "accept"))")
                    return
                }
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let peer = TCPListener.describe(&storage)
            let host = FramedConnection.host(of: peer)
            let (loop, stopping, fromHost) = state.withLock { state -> (EventLoop, Bool, Int) in
                defer { state.next += 1 }
                return (loops[state.next % loops.count], state.stopping, state.perHost[host, default: 0])
            }
            if stopping {
                Glibc.close(fd)
                continue
            }
            if fromHost >= maxConnectionsPerHost {
                logger.warning("refusing a connection from \(peer): \(fromHost) connections from \(host) already (max.connections.per.ip \(maxConnectionsPerHost))")
                Glibc.close(fd)
                continue
            }
            let connection = FramedConnection(descriptor: fd, peer: peer, listenerIndex: index,
                                              maxFrameSize: firstFrameLimit?(index) ?? maxFrameSize, loop: loop, server: self)
            state.withLock { state in
                state.connections[ObjectIdentifier(connection)] = connection
                state.perHost[host, default: 0] += 1
                if state.accepted.count <= index { state.accepted += Array(repeating: 0, count: index + 1 - state.accepted.count) }
                state.accepted[index] &+= 1
            }
            loop.execute { connection.opened() }
        }
    }

    private func pauseAccepting(_ index: Int) {
        let listenerFD = listeners[index].descriptor.rawValue
        loops[0].modify(descriptor: listenerFD, events: 0)
        let loop = loops[0]
        try? SystemThread.spawn(name: "accept-pause") { [self] in
            ConditionSignal().wait(after: 0, timeoutNanos: 100_000_000)
            loop.execute { [self] in
                if !isStopping { loop.modify(descriptor: listenerFD, events: EventLoop.readable) }
            }
        }
    }

    func deliver(_ frame: [UInt8], from connection: FramedConnection) {
        if isStopping {
            connection.closeNow()
            return
        }
        onFrame(connection, frame)
    }

    /// The answer to a connection's request is written.
    func answered(_ connection: FramedConnection) {
        if isStopping { connection.closeNow() }
    }

    func closed(_ connection: FramedConnection) {
        state.withLock { state in
            guard state.connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
            let host = connection.peerHost
            let left = state.perHost[host, default: 1] - 1
            state.perHost[host] = left > 0 ? left : nil
        }
        changed.signal()
    }

    /// Closes every connection idle (no request in hand, no traffic) for more than
    /// `idleMillis` (Kafka's `connections.max.idle.ms`); the work runs on each connection's loop.
    public func closeIdleConnections(idleMillis: Int) {
        let connections = state.withLock { Array($0.connections.values) }
        let idleNanos = UInt64(max(0, idleMillis)) &* 1_000_000
        for connection in connections {
            connection.loop.execute {
                _ = connection.closeIfIdle(now: SystemTimeSource().monotonicNanos(), idleNanos: idleNanos)
            }
        }
    }

    /// A listener's event source.
    private final class Acceptor: EventSource {
        let index: Int
        weak var server: FramedServer?
        init(index: Int) { self.index = index }
        func handle(events: UInt32) { server?.acceptAll(index) }
    }
}
