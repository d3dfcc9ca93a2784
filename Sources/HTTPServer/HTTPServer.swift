public import Net
public import SystemIO
import Synchronization

/// A small blocking HTTP/1.1 server: one accept thread plus one thread per connection, so it
/// never blocks Swift's cooperative pool.
///
/// Per connection: requests are read, routed and answered strictly in order (pipelined requests
/// get their responses in request order); keep-alive per HTTP/1.x rules. Limits (see
/// `HTTPServer.Limits`): request line + headers, body size, and an idle read timeout after which
/// a connection is closed. A malformed or over-limit request gets its error response (`400`,
/// `411`, `413`, `431`, `505`) with `Connection: close`, then the connection is closed. At most
/// `Limits.maxConnections` connections are served at once (more get `503`), and a client that
/// stops reading its response is dropped after `Limits.sendTimeoutMillis`; one that takes
/// longer than `Limits.requestTimeoutMillis` to send a request gets `408` (no slowloris).
///
/// A handler may answer with a Server-Sent Events stream (`HTTPResponse.eventStream`): its
/// producer then runs on the connection's thread until it returns, the client goes away or the
/// server stops, and the connection closes after it. At most `Limits.maxEventStreams` run at
/// once (more get 503), so streams cannot take every thread.
///
/// Lifecycle: `init` binds (port 0 picks a free port, see `port`); `start()` launches the accept
/// loop; `stop()` closes the listener and every connection and waits briefly for their threads.
/// Thread-safe: every method may be called from any thread.
public final class HTTPServer: Sendable {
    /// Size and time limits applied to every connection.
    public struct Limits: Sendable {
        /// Most bytes for the request line plus headers, blank line included (default 16 KiB → 431).
        public var maxHeaderBytes: Int = 16 * 1024
        /// Largest request body (default 1 MiB → 413).
        public var maxBodyBytes: Int = 1024 * 1024
        /// A connection that receives nothing for this long is closed (default 30 s; 0 = never).
        public var idleTimeoutMillis: Int = 30_000
        /// A request must arrive whole (headers and body) within this long of its first byte,
        /// however slowly it trickles in, else `408` and the connection is closed: a client
        /// cannot hold a connection by sending a byte now and then (default 10 s; 0 = no limit).
        public var requestTimeoutMillis: Int = 10_000
        /// A response write blocked this long (a client that stopped reading) ends the
        /// connection (default 10 s; 0 = never).
        public var sendTimeoutMillis: Int = 10_000
        /// Connections served at once (one thread each); one more gets `503` and is closed
        /// (default 64).
        public var maxConnections: Int = 64
        /// Most Server-Sent Events streams open at once (default 32); each holds a thread for
        /// as long as its client stays, so more get 503 instead of exhausting threads.
        public var maxEventStreams: Int = 32
        /// An event stream with nothing written for this long gets a `: ping` comment (default
        /// 15 s), so proxies keep it and a vanished client is noticed by the failed write.
        public var eventStreamPingMillis: Int = 15_000

        /// The defaults.
        public init() {}
    }

    /// The router answering every request.
    public let router: HTTPRouter
    /// The limits applied to each connection.
    public let limits: Limits
    private let logger: Logger
    private let listenerPort: UInt16
    /// Set (once) by `init`: the accept loop and connection threads, serving `serve(_:)`.
    private let acceptorSlot = Mutex<ConnectionAcceptor?>(nil)
    private let stopped = Mutex(false)
    /// How many event streams are running now (bounded by `limits.maxEventStreams`).
    private let eventStreams = Mutex(0)

    private var acceptor: ConnectionAcceptor? { acceptorSlot.withLock { $0 } }

    /// The port actually bound (the chosen one when asked for port 0).
    public var port: UInt16 { listenerPort }

    /// Binds `listen` (not yet accepting; call `start()`).
    public init(listen: HostPort, router: HTTPRouter, logger: Logger, limits: Limits = Limits()) throws(SystemError) {
        self.router = router
        self.limits = limits
        self.logger = logger
        let listener = try TCPListener.listen(on: listen)
        listenerPort = listener.port
        let refusal = HTTPResponse.error("too many connections", status: 503).serialized(keepAlive: false)
        let acceptor = ConnectionAcceptor(listener: listener, threadName: "http-conn", logger: logger, maxConnections: limits.maxConnections,
                                          rejected: { connection in
                                              // A short answer on the accept thread; a client that does not read loses it.
                                              connection.setSendTimeout(milliseconds: 100)
                                              try? connection.writeAll(refusal)
                                          }) { [weak self] connection in
            self?.serve(connection)
        }
        acceptorSlot.withLock { $0 = acceptor }
    }

    /// Starts the accept loop on its own thread and returns at once. Calling it again does nothing.
    public func start() throws(SystemError) {
        guard !stopped.withLock({ $0 }) else { return }
        try acceptor?.start()
        logger.info("HTTP listening on port \(port)")
    }

    /// Closes the listener (new connections are refused) and every open connection (a request
    /// being handled still gets its response written if possible), then waits up to
    /// `graceMillis` for the connection threads to end. Idempotent.
    public func stop(graceMillis: UInt64 = 5_000) {
        guard stopped.withLock({ done in defer { done = true }; return !done }) else { return }
        acceptor?.stop(graceMillis: graceMillis)
        logger.info("HTTP server on port \(port) stopped")
    }

    /// One connection's requests, in order, until it closes (the acceptor closes the socket).
    private func serve(_ connection: TCPConnection) {
        if limits.idleTimeoutMillis > 0 { connection.setReceiveTimeout(milliseconds: limits.idleTimeoutMillis) }
        if limits.sendTimeoutMillis > 0 { connection.setSendTimeout(milliseconds: limits.sendTimeoutMillis) }
        let parser = HTTPRequestParser(maxHeaderBytes: limits.maxHeaderBytes, maxBodyBytes: limits.maxBodyBytes)
        var pending: [UInt8] = []
        var start = 0
        var continueSent = false
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let clock = SystemTimeSource()
        var requestStarted: UInt64?
        do {
            while true {
                parsing: while true {
                    switch parser.parse(pending[start...]) {
                    case .needMore(let expectsContinue):
                        if expectsContinue && !continueSent {
                            continueSent = true
                            try connection.writeAll(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                        }
                        break parsing
                    case .request(let request, let consumed):
                        start += consumed
                        continueSent = false
                        let response = router.handle(request)
                        if let stream = response.eventStream {
                            try runEventStream(stream, on: connection)
                            return
                        }
                        let keepAlive = request.wantsKeepAlive && !(acceptor?.isStopping ?? true)
                        try connection.writeAll(response.serialized(keepAlive: keepAlive))
                        if !keepAlive { return }
                    case .failure(let status, let message):
                        logger.debug("bad request from \(connection.peer): \(status) \(message)")
                        try connection.writeAll(HTTPResponse.error(message, status: status).serialized(keepAlive: false))
                        drain(connection)
                        return
                    }
                }
                if start > 0 {
                    pending.removeFirst(start)
                    start = 0
                }
                if limits.requestTimeoutMillis > 0 {
                    // Mid-request: the wait for more bytes is bounded by what is left of the
                    // request's time; between requests, by the idle timeout.
                    if pending.isEmpty {
                        requestStarted = nil
                        if limits.idleTimeoutMillis > 0 { connection.setReceiveTimeout(milliseconds: limits.idleTimeoutMillis) }
                    } else {
                        let now = clock.monotonicNanos()
                        let began = requestStarted ?? now
                        requestStarted = began
                        let left = limits.requestTimeoutMillis - Int((now - began) / 1_000_000)
                        guard left > 0 else {
                            logger.debug("request from \(connection.peer) not complete within \(limits.requestTimeoutMillis) ms")
                            try connection.writeAll(HTTPResponse.error("request not complete in time", status: 408).serialized(keepAlive: false))
                            return
                        }
                        let idle = limits.idleTimeoutMillis > 0 ? limits.idleTimeoutMillis : Int.max
                        connection.setReceiveTimeout(milliseconds: min(idle, left))
                    }
                }
                let count: Int
                do {
                    count = try chunk.withUnsafeMutableBytes { try connection.read(into: $0) }
                } catch let error as SystemError where error.isTimeout && !pending.isEmpty && limits.requestTimeoutMillis > 0 {
                    try connection.writeAll(HTTPResponse.error("request not complete in time", status: 408).serialized(keepAlive: false))
                    return
                }
                if count == 0 { return }
                pending.append(contentsOf: chunk[0..<count])
            }
        } catch {
            logger.debug("connection from \(connection.peer) ended: \(error)")
        }
    }

    /// Sends the head of `stream` and runs its producer on this thread, unless the server is
    /// stopping or `maxEventStreams` run already (then 503). The connection closes afterwards:
    /// the body has no length, its end is the end of the connection.
    private func runEventStream(_ stream: HTTPEventStream, on connection: TCPConnection) throws(SystemError) {
        let admitted = eventStreams.withLock { count -> Bool in
            guard count < limits.maxEventStreams else { return false }
            count += 1
            return true
        }
        guard admitted, !(acceptor?.isStopping ?? true) else {
            if admitted { eventStreams.withLock { $0 -= 1 } }
            var busy = HTTPResponse.error("too many event streams; retry later", status: 503)
            busy.headers.set("Retry-After", "5")
            try connection.writeAll(busy.serialized(keepAlive: false))
            return
        }
        defer { eventStreams.withLock { $0 -= 1 } }
        try connection.writeAll(stream.head())
        let writer = HTTPEventStreamWriter(connection: connection, pingMillis: limits.eventStreamPingMillis) { [weak self] in
            self?.acceptor?.isStopping ?? true
        }
        stream.produce(writer)
    }

    /// How many event streams are open now.
    public var openEventStreams: Int { eventStreams.withLock { $0 } }

    /// Reads and discards what the client is still sending (briefly, bounded) so that closing
    /// does not reset the connection before the client has read the error response.
    private func drain(_ connection: TCPConnection) {
        connection.setReceiveTimeout(milliseconds: 200)
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        var total = 0
        while total < 4 * 1024 * 1024 {
            guard let count = try? scratch.withUnsafeMutableBytes({ try connection.read(into: $0) }), count > 0 else { return }
            total += count
        }
    }
}
