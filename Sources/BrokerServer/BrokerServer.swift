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
    let logger: Logger
    /// Set (once) by `init`: the accept loop and connection threads, serving `serve(_:)`.
    private let acceptorSlot = Mutex<ConnectionAcceptor?>(nil)
    private let listenerPort: UInt16
    /// Compacts `cleanup.policy=compact` topics in the background.
    public let cleaner: LogCleaner

    private var acceptor: ConnectionAcceptor? { acceptorSlot.withLock { $0 } }

    /// The port actually listened on (when asked for port 0).
    public var port: UInt16 { listenerPort }

    /// Opens the data directory (recovering it), applies `--topics`, and binds the listener.
    public init(config: ServerConfig, logger: Logger) throws {
        self.config = config
        self.logger = logger
        try FileSystemCalls.createDirectories(config.dataDirectory)
        store = try LogStore.open(dataDirectory: config.dataDirectory, logger: logger.named("storage"),
                                  layers: BrokerConfigLayers(staticConfig: config.staticConfigs))
        var brokerConfig = BrokerConfig()
        let listener = try TCPListener.listen(on: config.listen)
        listenerPort = listener.port
        var advertised = config.advertisedAddress
        if advertised.port == 0 { advertised.port = listener.port }
        brokerConfig.advertisedHost = advertised.host
        brokerConfig.advertisedPort = Int32(advertised.port)
        brokerConfig.clusterId = try ClusterIdentity.load(dataDirectory: config.dataDirectory)
        brokerConfig.autoCreateTopics = config.autoCreateTopics
        brokerConfig.defaultPartitions = config.defaultPartitions
        brokerConfig.staticConfigs = config.staticConfigs
        brokerConfig.dataDirectory = config.dataDirectory
        brokerConfig.listenerText = "PLAINTEXT://\(config.listen.isWildcard ? "" : config.listen.host):\(listener.port)"
        brokerConfig.maxRequestBytes = config.maxRequestBytes
        brokerConfig.groups = config.groups
        let broker = try Broker(config: brokerConfig, store: store, logger: logger.named("broker"))
        self.broker = broker
        cleaner = LogCleaner(store: store, logger: logger.named("cleaner")) { broker.cleanerSettings }
        if let directory = config.topicsDirectory {
            try TopicDeclarations.apply(directory: directory, to: store, defaults: brokerConfig, logger: logger.named("topics"))
        }
        let acceptor = ConnectionAcceptor(listener: listener, threadName: "conn", logger: logger) { [weak self] connection in
            self?.serve(connection)
        }
        acceptorSlot.withLock { $0 = acceptor }
        logger.info("listening on \(config.listen.isWildcard ? "*" : config.listen.host):\(listener.port), advertising \(advertised), data in \(config.dataDirectory)")
    }

    /// Starts background maintenance and the accept loop (on its own thread); returns at once.
    public func start() throws {
        store.startMaintenance()
        try cleaner.start()
        try acceptor?.start()
        try SystemThread.spawn(name: "group-timers") { [self] in timerLoop() }
    }

    private var isStopping: Bool { acceptor?.isStopping ?? true }

    /// Drives the group coordinator's timers every 100 ms until shutdown.
    private func timerLoop() {
        let tick = ConditionSignal()
        while !isStopping {
            broker.tick()
            tick.wait(after: tick.generation, timeoutNanos: 100_000_000)
        }
    }

    /// One connection: read, frame, handle, answer, in order, until the peer closes, a request
    /// is refused, or shutdown begins (the acceptor closes the connection afterwards).
    private func serve(_ connection: TCPConnection) {
        logger.debug("connection from \(connection.peer)")
        defer { logger.debug("connection from \(connection.peer) closed") }
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
            if isStopping { return }
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
        // Parked fetches answer at once, so connections can finish their in-flight requests.
        broker.beginShutdown()
        acceptor?.stop(graceMillis: graceMillis)
        cleaner.stop()
        try broker.close()
        try store.close()
        logger.info("stopped cleanly")
    }
}
