public import Broker
import HTTPServer
import KafkaProtocol
public import LogStorage
import Net
public import SystemIO
import Dispatch
import Synchronization

/// The TCP front of the broker: a few epoll loops move bytes (`FramedServer`), a fixed pool of
/// handler threads runs `Broker.process`, and requests that must wait (long polls, group joins,
/// produce syncs) wait in the broker's purgatory without a thread, answered when they complete
/// — Kafka's network threads, request handlers and purgatory. A connection takes its next
/// request only once the previous answer is written, so responses go out in request order.
///
/// Lifecycle: `start()` starts maintenance, the cleaner, the loops and the timer thread;
/// `shutdown()` stops accepting, answers waiting requests at once, lets every connection finish
/// the request it is on, then closes the store cleanly (flush and clean checkpoint).
/// Thread-safe.
public final class BrokerServer: Sendable {
    public let config: ServerConfig
    public let broker: Broker
    public let store: LogStore
    let logger: Logger
    private let server: FramedServer
    private let handlers: WorkerPool
    private let listenerPort: UInt16
    /// Compacts `cleanup.policy=compact` topics in the background.
    public let cleaner: LogCleaner
    private let stopping = Mutex(false)
    /// Wakes the timer thread early (shutdown, or a request with an earlier deadline).
    private let timerWake = ConditionSignal()

    /// The port actually listened on by the first listener (when asked for port 0).
    public var port: UInt16 { listenerPort }
    /// Every listener's bound port, by listener name.
    public let listenerPorts: [String: UInt16]
    /// The listeners as clients see them, in `--listeners` order.
    public let endpoints: [ListenerEndpoint]

    /// The HTTP port (`/metrics`, `/healthz`, `/readyz`, the console), unless turned off or,
    /// by default, its port was taken.
    public let http: BrokerHTTP?

    /// Open client connections (a metric).
    public var connectionCount: Int { server.connectionCount }
    /// Per listener (in `endpoints` order): connections open now and accepted since the start.
    var listenerConnections: [(open: Int, accepted: UInt64)] { server.listenerConnections }

    /// Request and traffic counters (nil with `--metrics false`).
    public var metrics: BrokerMetrics? { broker.metrics }
    /// Sync counts and latencies of the data directory (nil with `--metrics false`).
    public let fsyncs: FsyncMetrics?
    /// Wall-clock milliseconds when the server was created (`kaffee_start_time_seconds`).
    let startMillis: Int64

    /// Opens the data directory (recovering it), applies `--topics`, and binds the listener.
    public init(config: ServerConfig, logger: Logger) throws {
        self.config = config
        self.logger = logger
        startMillis = SystemTimeSource().wallMillis()
        let specs: [ListenerSpec]
        switch config.listenerSpecs {
        case .success(let resolved): specs = resolved
        case .failure(let error): throw error
        }
        // The HTTP port comes up first: /healthz answers and /readyz says "recovering" while a
        // big data directory is being recovered.
        var http: BrokerHTTP?
        if let (address, explicit) = config.httpAddress(listeners: specs) {
            do {
                let endpoint = try BrokerHTTP(address: address, logger: logger.named("http"))
                endpoint.markNotReady("recovering the data directory")
                try endpoint.start()
                http = endpoint
            } catch {
                // A port given explicitly must be there; the default one is a convenience.
                if explicit { throw error }
                logger.warning("no HTTP port: cannot listen on \(address): \(error) (set --http-listen)")
            }
        }
        self.http = http
        try FileSystemCalls.createDirectories(config.dataDirectory)
        let fsyncs = config.metrics ? FsyncMetrics() : nil
        self.fsyncs = fsyncs
        let brokerMetrics = config.metrics ? BrokerMetrics() : nil
        store = try LogStore.open(dataDirectory: config.dataDirectory, fileSystem: PosixFileSystem(fsyncs: fsyncs), logger: logger.named("storage"),
                                  layers: BrokerConfigLayers(staticConfig: config.staticConfigs), maxOpenFiles: config.maxOpenSegmentFiles)
        var brokerConfig = BrokerConfig()
        var sockets: [TCPListener] = []
        var endpoints: [ListenerEndpoint] = []
        for spec in specs {
            let socket = try TCPListener.listen(on: spec.bind)
            sockets.append(socket)
            var advertised = spec.advertisedAddress
            if advertised.port == 0 { advertised.port = socket.port }
            endpoints.append(ListenerEndpoint(name: spec.name, securityProtocol: spec.securityProtocol,
                                              advertisedHost: advertised.host, advertisedPort: Int32(advertised.port)))
        }
        listenerPort = sockets[0].port
        listenerPorts = Dictionary(uniqueKeysWithValues: zip(specs.map(\.name), sockets.map(\.port)))
        self.endpoints = endpoints
        brokerConfig.advertisedHost = endpoints[0].advertisedHost
        brokerConfig.advertisedPort = endpoints[0].advertisedPort
        brokerConfig.listeners = endpoints
        brokerConfig.clusterId = try ClusterIdentity.load(dataDirectory: config.dataDirectory)
        brokerConfig.autoCreateTopics = config.autoCreateTopics
        brokerConfig.shareGroups = config.shareGroups
        brokerConfig.consumerGroupProtocol = config.consumerGroupProtocol
        brokerConfig.defaultPartitions = config.defaultPartitions
        brokerConfig.staticConfigs = config.staticConfigs
        brokerConfig.dataDirectory = config.dataDirectory
        brokerConfig.listenerText = zip(specs, sockets).map { spec, socket in
            "\(spec.name)://\(spec.bind.isWildcard ? "" : spec.bind.host):\(socket.port)"
        }.joined(separator: ",")
        brokerConfig.maxRequestBytes = config.maxRequestBytes
        brokerConfig.groups = config.groups
        brokerConfig.transactions = config.transactions
        brokerConfig.saslMechanisms = config.saslMechanisms
        brokerConfig.failedAuthenticationDelayMs = config.failedAuthenticationDelayMs
        brokerConfig.aclAuthorizer = config.aclAuthorizer
        brokerConfig.superUsers = config.superUsers
        brokerConfig.allowEveryoneIfNoAclFound = config.allowEveryoneIfNoAclFound
        let broker = try Broker(config: brokerConfig, store: store, logger: logger.named("broker"), metrics: brokerMetrics)
        self.broker = broker
        if let path = config.saslUsersFile {
            let users = try Broker.parseSaslUsers(try Self.readSmallFile(path))
            let written = try broker.bootstrapSaslUsers(users)
            logger.info("SASL users from \(path): \(users.count) (\(written) stored anew)")
        }
        cleaner = LogCleaner(store: store, logger: logger.named("cleaner")) { broker.cleanerSettings }
        if let directory = config.topicsDirectory {
            try TopicDeclarations.apply(directory: directory, to: store, defaults: brokerConfig, logger: logger.named("topics"))
            if config.serviceAcls, let authorizer = broker.authorizer {
                let granted = try ServiceAclGrants.apply(directory: directory, to: authorizer.acls)
                logger.info("service ACLs from \(directory): \(granted) (created where missing)")
            }
        }
        let handlers = try WorkerPool(threads: config.handlerThreads, name: "handler")
        self.handlers = handlers
        let serveLogger = logger
        let saslLimit = min(config.saslMaxReceiveBytes, config.maxRequestBytes)
        let maxRequestBytes = config.maxRequestBytes
        let requestMetrics = brokerMetrics?.requests
        server = try FramedServer(listeners: sockets, maxFrameSize: config.maxRequestBytes, loops: config.networkThreads,
                                  logger: logger.named("net"), maxConnectionsPerHost: config.maxConnectionsPerIp,
                                  firstFrameLimit: { [endpoints] index in
                                      // Before a login only small frames: a stranger cannot make the broker buffer 100 MiB.
                                      endpoints[index].securityProtocol == .saslPlaintext ? saslLimit : maxRequestBytes
                                  }) { [endpoints] connection, frame in
            let listener = endpoints[connection.listenerIndex]
            let received = requestMetrics == nil ? 0 : RequestTimer.now()
            handlers.submit {
                let timer = requestMetrics.map { RequestTimer(metrics: $0, frame: frame, received: received) }
                Self.serve(frame, on: connection, listener: listener, broker: broker, maxRequestBytes: maxRequestBytes, logger: serveLogger,
                           timer: timer)
            }
        }
        for (spec, endpoint) in zip(specs, endpoints) {
            logger.info("listening on \(spec.name)://\(spec.bind.isWildcard ? "*" : spec.bind.host):\(listenerPorts[spec.name] ?? 0), advertising \(endpoint.advertisedHost):\(endpoint.advertisedPort)")
        }
        logger.info("data in \(config.dataDirectory)")
        http?.setMetrics { [weak self] in self?.renderMetrics() ?? "" }
        http?.markNotReady("starting")
    }

    /// The text of a small configuration file (at most 1 MiB), or a clear error.
    static func readSmallFile(_ path: String) throws -> String {
        guard let text = SmallFile.read(path) else { throw ServerConfigError("cannot read \(path) (missing, larger than 1 MiB or not UTF-8)") }
        return text
    }

    /// Starts background maintenance, the cleaner, the network loops and the timer thread;
    /// returns at once.
    public func start() throws {
        store.startMaintenance()
        try cleaner.start()
        try server.start()
        try SystemThread.spawn(name: "broker-timers") { [self] in timerLoop() }
        http?.markReady()
    }

    private var isStopping: Bool { stopping.withLock { $0 } }

    /// Drives the group coordinator's timers every 100 ms, and answers waiting requests as
    /// their deadlines pass (waking at the earliest one), until shutdown.
    private func timerLoop() {
        let clock = SystemTimeSource()
        var nextTick = clock.monotonicNanos()
        var nextIdleSweep = nextTick
        while !isStopping {
            let seen = timerWake.generation
            let now = clock.monotonicNanos()
            if now >= nextTick {
                broker.tick()
                nextTick = now &+ 100_000_000
                if now >= nextIdleSweep {
                    server.closeIdleConnections(idleMillis: config.connectionsMaxIdleMs)
                    nextIdleSweep = now &+ 1_000_000_000
                }
            } else {
                broker.expireDelayed()
            }
            var until = nextTick
            if let deadline = broker.nextDelayedDeadline { until = min(until, deadline) }
            let after = clock.monotonicNanos()
            // Wake at the next deadline, but at least every 10 ms: requests parked meanwhile
            // may carry earlier deadlines.
            if until > after { timerWake.wait(after: seen, timeoutNanos: min(until - after, 10_000_000)) }
        }
    }

    /// Runs one request on a handler thread and hands its answer to the connection (now, or
    /// when a waiting request completes).
    private static func serve(_ frame: [UInt8], on connection: FramedConnection, listener: ListenerEndpoint, broker: Broker,
                              maxRequestBytes: Int, logger: Logger, timer: RequestTimer?) {
        var timer = timer
        var context = RequestContext(clientHost: connection.peerHost, listener: listener)
        if listener.securityProtocol == .saslPlaintext {
            // The connection's login state goes with the connection (its attachment).
            let authenticator = connection.attachment as? SaslAuthenticator ?? {
                let created = broker.saslAuthenticator(context: context)
                connection.attachment = created
                return created
            }()
            switch authenticator.handle(frame: frame) {
            case .process(let authenticated):
                context = authenticated
            case .reply(let bytes):
                // Logged in: full-size requests from the next frame on.
                if authenticator.principal != nil { connection.setMaxFrameSize(maxRequestBytes) }
                timer?.markHandled()
                connection.respond([.bytes(bytes)], whenWritten: Self.recorder(timer))
                return
            case .replyThenClose(let bytes, let delayMillis, let reason):
                logger.warning("closing connection from \(connection.peer): \(reason)")
                // The delay (a failed login) holds no thread: the answer is sent later.
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delayMillis)) {
                    connection.respondThenClose(bytes.map { [.bytes($0)] } ?? [])
                }
                return
            }
        }
        let reply = broker.process(frame: frame, context: context)
        timer?.markHandled()
        switch reply {
        case .pending(let pending):
            let waited = timer
            pending.whenReady { reply in
                var ready = waited
                ready?.markReady()
                deliver(reply, to: connection, logger: logger, timer: ready)
            }
        case let reply:
            deliver(reply, to: connection, logger: logger, timer: timer)
        }
    }

    /// The connection's write completion recording `timer`'s request, or nil without metrics.
    private static func recorder(_ timer: RequestTimer?) -> (@Sendable (Bool) -> Void)? {
        guard let timer else { return nil }
        return { _ in timer.written() }
    }

    private static func deliver(_ reply: BrokerReply, to connection: FramedConnection, logger: Logger, timer: RequestTimer?) {
        switch reply {
        case .noResponse, .pending:
            connection.respond([], whenWritten: recorder(timer))
        case .close(let reason):
            logger.warning("closing connection from \(connection.peer): \(reason)")
            timer?.closed()
            connection.close()
        case .respond(let segments, let files):
            var chunks: [OutboundChunk] = []
            for segment in segments {
                switch segment {
                case .bytes(let bytes):
                    chunks.append(.bytes(bytes))
                case .external(let token, let length):
                    guard token >= 0 && token < files.count else {
                        logger.error("reply refers to file region \(token) of \(files.count); closing \(connection.peer)")
                        connection.close()
                        return
                    }
                    let region = files[token]
                    if let descriptor = region.file.descriptor {
                        chunks.append(.file(descriptor: descriptor, offset: region.position, count: length, owner: region))
                    } else {
                        do { chunks.append(.bytes(try region.readBytes())) } catch {
                            logger.error("reading a reply's records for \(connection.peer) failed: \(error); closing")
                            connection.close()
                            return
                        }
                    }
                }
            }
            connection.respond(chunks, whenWritten: recorder(timer))
        }
    }

    /// Graceful stop: no new connections; waiting requests answer at once; each open connection
    /// finishes the request it is on, then the store is closed cleanly. Waits at most
    /// `graceMillis` for connections before closing the store anyway.
    public func shutdown(graceMillis: UInt64 = 10_000) throws {
        stopping.withLock { $0 = true }
        http?.markNotReady("shutting down")
        timerWake.signal()
        broker.beginShutdown()
        server.stop(graceMillis: graceMillis)
        handlers.stop()
        cleaner.stop()
        try broker.close()
        try store.close()
        http?.stop()
        logger.info("stopped cleanly")
    }
}
