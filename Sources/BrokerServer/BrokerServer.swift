public import Broker
import KafkaProtocol
public import LogStorage
import Net
public import SystemIO
import Synchronization

/// The TCP front of the broker: accepts connections and runs each on its own thread
/// (read → frame → `Broker.handle` → write), so responses on a connection go out in request
/// order, as Kafka does.
///
/// Lifecycle: `start()` opens the store and the listener; `shutdown()` stops accepting, lets
/// every connection finish the request it is on, then closes the store cleanly (flush and clean
/// checkpoint). Thread-safe.
public final class BrokerServer: Sendable {
    public let config: ServerConfig
    public let broker: Broker
    public let store: LogStore
    let listener: TCPListener
    let logger: Logger
    private let state = Mutex(State())
    private let finished = ConditionSignal()

    struct State {
        var connections: [ObjectIdentifier: TCPConnection] = [:]
        var stopping = false
        var acceptLoopDone = false
    }

    /// The port actually listened on (when asked for port 0).
    public var port: UInt16 { listener.port }

    /// Opens the data directory (recovering it), applies `--topics`, and binds the listener.
    public init(config: ServerConfig, logger: Logger) throws {
        self.config = config
        self.logger = logger
        try FileSystemCalls.createDirectories(config.dataDirectory)
        store = try LogStore.open(dataDirectory: config.dataDirectory, logger: logger.named("storage"))
        var brokerConfig = BrokerConfig()
        let listener = try TCPListener.listen(on: config.listen)
        self.listener = listener
        var advertised = config.advertisedAddress
        if advertised.port == 0 { advertised.port = listener.port }
        brokerConfig.advertisedHost = advertised.host
        brokerConfig.advertisedPort = Int32(advertised.port)
        brokerConfig.clusterId = try ClusterIdentity.load(dataDirectory: config.dataDirectory)
        brokerConfig.autoCreateTopics = config.autoCreateTopics
        brokerConfig.defaultPartitions = config.defaultPartitions
        brokerConfig.defaultLogConfig = config.logConfig
        brokerConfig.groups = config.groups
        broker = try Broker(config: brokerConfig, store: store, logger: logger.named("broker"))
        if let directory = config.topicsDirectory {
            try TopicDeclarations.apply(directory: directory, to: store, defaults: brokerConfig, logger: logger.named("topics"))
        }
        logger.info("listening on \(config.listen.isWildcard ? "*" : config.listen.host):\(listener.port), advertising \(advertised), data in \(config.dataDirectory)")
    }

    /// Starts background maintenance and the accept loop (on its own thread); returns at once.
    public func start() throws {
        store.startMaintenance()
        try SystemThread.spawn(name: "accept") { [self] in acceptLoop() }
        try SystemThread.spawn(name: "group-timers") { [self] in timerLoop() }
    }

    /// Drives the group coordinator's timers every 100 ms until shutdown.
    private func timerLoop() {
        let tick = ConditionSignal()
        while !state.withLock({ $0.stopping }) {
            broker.tick()
            tick.wait(after: tick.generation, timeoutNanos: 100_000_000)
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
                if state.withLock({ $0.stopping }) { return }
                logger.error("accept failed: \(error)")
                continue
            }
            let accepted = state.withLock { state -> Bool in
                guard !state.stopping else { return false }
                state.connections[ObjectIdentifier(connection)] = connection
                return true
            }
            guard accepted else {
                connection.close()
                return
            }
            do {
                try SystemThread.spawn(name: "conn") { [self] in serve(connection) }
            } catch {
                logger.error("cannot start a thread for \(connection.peer): \(error)")
                _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
                connection.close()
            }
        }
    }

    private func serve(_ connection: TCPConnection) {
        logger.debug("connection from \(connection.peer)")
        defer {
            _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
            connection.close()
            finished.signal()
            logger.debug("connection from \(connection.peer) closed")
        }
        var decoder = FrameDecoder(maxFrameSize: config.maxRequestBytes)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
            } catch {
                logger.debug("read from \(connection.peer) failed: \(error)")
                return
            }
            if count == 0 { return }
            decoder.append(buffer[0..<count])
            do {
                while let frame = try decoder.nextFrame() {
                    guard try respond(to: frame, on: connection) else { return }
                }
            } catch {
                logger.warning("closing connection from \(connection.peer): \(error)")
                return
            }
            if state.withLock({ $0.stopping }) { return }
        }
    }

    /// Handles one frame; returns false when the connection must be closed.
    private func respond(to frame: [UInt8], on connection: TCPConnection) throws -> Bool {
        switch broker.handle(frame: frame, clientHost: connection.peerHost) {
        case .noResponse:
            return true
        case .close(let reason):
            logger.warning("closing connection from \(connection.peer): \(reason)")
            return false
        case .respond(let segments, let files):
            for segment in segments {
                switch segment {
                case .bytes(let bytes):
                    try connection.writeAll(bytes)
                case .external(let token, let length):
                    guard token >= 0 && token < files.count else { return false }
                    let region = files[token]
                    if let descriptor = region.file.descriptor {
                        try connection.sendFile(descriptor, offset: region.position, count: length)
                    } else {
                        try connection.writeAll(try region.readBytes())
                    }
                }
            }
            return true
        }
    }

    /// Graceful stop: no new connections; each open connection finishes the request it is
    /// handling (parked fetches are woken), then the store is closed cleanly. Waits at most
    /// `graceMillis` for connections before closing the store anyway.
    public func shutdown(graceMillis: UInt64 = 10_000) throws {
        let open = state.withLock { state -> [TCPConnection] in
            state.stopping = true
            return Array(state.connections.values)
        }
        listener.close()
        broker.beginShutdown()
        // Wake readers blocked waiting for the next request; in-flight responses still go out.
        for connection in open { connection.shutdownReads() }
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + graceMillis * 1_000_000
        while true {
            let seen = finished.generation
            let done = state.withLock { $0.connections.isEmpty && $0.acceptLoopDone }
            let now = clock.monotonicNanos()
            if done || now >= deadline { break }
            finished.wait(after: seen, timeoutNanos: deadline - now)
        }
        try broker.close()
        try store.close()
        logger.info("stopped cleanly")
    }
}
