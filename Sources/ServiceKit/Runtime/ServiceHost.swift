public import HTTPServer
internal import KafkaClient
internal import Net
internal import SQLite
public import SystemIO
internal import Foundation

/// Runs a `CoffeeService` as a process: configuration from the environment, database and
/// migrations, the HTTP server (`/healthz`, `/metrics` and the service's routes), the broker
/// connection, the consumer loop, the outbox relay and the service's workers, until SIGTERM or
/// SIGINT; then a graceful stop: stop consuming (processed records committed, group left),
/// stop workers, publish what is left in the outbox, close.
///
/// Start-up never gives up on the broker: until it answers and the consumed topics exist,
/// `/healthz` answers 503 with the reason and the service retries with backoff.
public enum ServiceHost {
    /// Builds the service from the process environment with `make` (a thrown error is bad
    /// configuration: logged, exit 2) and runs it with `run(_:)`.
    public static func run(named name: String, _ make: (@escaping @Sendable (String) -> String?) throws -> any CoffeeService) -> Never {
        let service: any CoffeeService
        do {
            service = try make { Environment.get($0) }
        } catch {
            Logger(component: name).error("bad configuration: \(error)")
            ProcessControl.exit(2)
        }
        run(service)
    }

    /// Runs `service` and exits the process: 0 after a clean stop, 1 when it cannot start
    /// (database unusable, port taken), 2 for bad configuration.
    public static func run(_ service: any CoffeeService) -> Never {
        SignalWaiter.blockInThisProcess([SignalWaiter.terminate, SignalWaiter.interrupt])
        let config: ServiceConfig
        do {
            config = try ServiceConfig.fromProcessEnvironment(serviceName: service.name)
        } catch {
            Logger(component: service.name).error("bad configuration: \(error)")
            ProcessControl.exit(2)
        }
        let logger = Logger(component: service.name, minimumLevel: LogLevel(name: config.logLevel) ?? .info)
        let stop = ConditionSignal()
        do {
            try SignalWaiter.start([SignalWaiter.terminate, SignalWaiter.interrupt]) { signal in
                logger.info("received signal \(signal), shutting down")
                stop.signal()
            }
        } catch {
            logger.error("cannot watch signals: \(error)")
            ProcessControl.exit(1)
        }
        let code = runUntilStopped(service, config: config, logger: logger, environment: { Environment.get($0) }, stop: stop)
        ProcessControl.exit(code)
    }

    /// The body of `run`, callable in-process by tests: starts everything, runs until `stop` is
    /// signalled (at any time, also during start-up), stops everything and returns the exit code.
    /// `onListening` receives the HTTP port once the server listens.
    public static func runUntilStopped(
        _ service: any CoffeeService, config: ServiceConfig, logger: Logger,
        environment: @escaping @Sendable (String) -> String?,
        onListening: (UInt16) -> Void = { _ in },
        stop: ConditionSignal
    ) -> Int32 {
        let stopRequested = StopFlag()
        do {
            try SystemThread.spawn(name: "stop-watch") {
                _ = stop.wait(after: 0, timeoutNanos: UInt64.max)
                stopRequested.set()
            }
        } catch {
            logger.error("cannot start: \(error)")
            return 1
        }
        let metrics = Metrics()
        ServiceMetricNames.declare(on: metrics)
        let health = ServiceHealth()

        // A database locked by another process is waited for; anything else (read-only,
        // corrupt, missing directory) will not fix itself: a clear error and exit 1.
        var opened: Database?
        while opened == nil {
            do {
                opened = try Database(path: config.databasePath)
            } catch where error.isBusy {
                logger.warning("database \(config.databasePath) is locked by another process, waiting: \(error)")
                guard stopRequested.sleep(.seconds(1)) else { return 0 }
            } catch {
                logger.error("cannot open database \(config.databasePath): \(error)")
                return 1
            }
        }
        guard let database = opened else { return 1 }
        let context = ServiceContext(config: config, database: database, metrics: metrics, logger: logger,
                                     environment: environment)

        var router = HTTPRouter()
        addChassisRoutes(to: &router, health: health, metrics: metrics)
        service.addRoutes(to: &router, context: context)
        let http: HTTPServer
        do {
            http = try HTTPServer(listen: HostPort(host: "0.0.0.0", port: UInt16(config.httpPort)), router: router,
                                  logger: logger.named("\(service.name).http"))
            try http.start()
        } catch {
            logger.error("cannot serve HTTP on port \(config.httpPort): \(error)")
            return 1
        }
        defer { http.stop() }
        onListening(http.port)
        logger.info("HTTP on port \(http.port); database \(config.databasePath); brokers \(config.brokers.map(\.description).joined(separator: ","))")

        // Migrations: a busy database is waited for; anything else is fatal (read-only, corrupt).
        migrate: while true {
            do {
                let applied = try database.migrate(try ServiceKitMigrations.including(service.migrations))
                if applied > 0 { logger.info("applied \(applied) migration(s)") }
                health.markMigrated()
                health.setDatabaseProblem(nil)
                break migrate
            } catch let error as SQLiteError where error.isBusy {
                health.setDatabaseProblem("locked by another process: \(error)")
                logger.warning("database is locked, retrying migrations: \(error)")
                guard stopRequested.sleep(.seconds(1)) else { return 0 }
            } catch {
                logger.error("cannot migrate database \(config.databasePath): \(error)")
                return 1
            }
        }
        do {
            metrics.set(ServiceMetricNames.outboxDepth, to: Double(try Outbox.depth(in: database)))
        } catch {
            logger.warning("cannot read the outbox depth: \(error)")
        }

        let clientConfig = config.clientConfig(clientId: config.instanceId ?? service.name)
        var producerConfig = ProducerConfig()
        producerConfig.lingerMs = 1
        let pollMs = max(1, config.pollInterval.milliseconds)
        let producer: KafkaProducer
        let consumer: KafkaConsumer
        do {
            producer = try KafkaProducer(config: clientConfig, producerConfig: producerConfig)
            var consumerConfig = ConsumerConfig(groupId: config.groupId)
            consumerConfig.groupInstanceId = config.instanceId
            consumerConfig.autoOffsetReset = .earliest
            consumerConfig.enableAutoCommit = false
            consumerConfig.sessionTimeoutMs = config.sessionTimeoutMs
            consumerConfig.groupProtocol = config.groupProtocol
            consumerConfig.heartbeatIntervalMs = max(1_000, config.sessionTimeoutMs / 3)
            consumerConfig.fetchMaxWaitMs = min(500, pollMs)
            consumer = try KafkaConsumer(config: clientConfig, consumerConfig: consumerConfig)
        } catch {
            logger.error("bad client configuration: \(error)")
            return 2
        }

        let latch = ThreadLatch()
        var threads = 0
        let consumedTopics = service.consumedTopics.map(\.name)
        let brokerWatch = BrokerWatch(clientConfig: clientConfig, topics: consumedTopics + [DeadLetter.topic],
                                      groupId: config.groupId, health: health, metrics: metrics, logger: logger)
        let processor = EventProcessor(service: service, context: context, retry: config.retry,
                                       sleep: { stopRequested.sleep($0) })
        let loop = EventConsumerLoop(consumer: consumer, processor: processor, context: context, health: health)
        let relay = OutboxRelay(context: context, producer: producer)
        var workersStarted = false

        let started: Bool = {
            do {
                try SystemThread.spawn(name: "broker-watch") {
                    brokerWatch.run()
                    latch.done()
                }
                threads += 1
                // Wait (interruptibly) until the broker answered and the topics exist.
                while !health.brokerReachable {
                    if waitForStopOrTimeout(stopRequested, brokerWatch) { return false }
                }
                if !consumedTopics.isEmpty {
                    ConsumerGroupTuning.apply(groupId: config.groupId, sessionTimeoutMs: config.sessionTimeoutMs,
                                              groupProtocol: config.groupProtocol, client: clientConfig, logger: logger)
                }
                try service.startWorkers(context: context)
                workersStarted = true
                try SystemThread.spawn(name: "outbox-relay") {
                    relay.run(interval: config.outboxInterval)
                    latch.done()
                }
                threads += 1
                if !consumedTopics.isEmpty {
                    try SystemThread.spawn(name: "consumer") {
                        loop.run(topics: consumedTopics, pollTimeoutMs: pollMs, batchSize: config.batchSize)
                        latch.done()
                    }
                    threads += 1
                }
                return true
            } catch {
                logger.error("cannot start: \(error)")
                return false
            }
        }()
        if started {
            while stopRequested.sleep(.seconds(3_600)) {}
        }
        let failed = !started && !stopRequested.isSet
        stopRequested.set()
        health.markStopping()
        logger.info("stopping")
        loop.stop()
        brokerWatch.stop()
        if workersStarted { service.stopWorkers() }
        relay.stop()
        if !latch.wait(for: threads, timeoutNanos: 20_000_000_000) {
            logger.warning("some threads did not stop within 20 s")
        }
        producer.close()
        consumer.close()
        logger.info("stopped")
        return failed ? 1 : 0
    }

    /// Waits a little for the stop request; true when stopping.
    private static func waitForStopOrTimeout(_ flag: StopFlag, _ watch: BrokerWatch) -> Bool {
        if flag.isSet { return true }
        watch.waitForChange(timeoutNanos: 200_000_000)
        return flag.isSet
    }

    /// `/healthz` (200 ready / 503 not ready, with the reason) and `/metrics`.
    public static func addChassisRoutes(to router: inout HTTPRouter, health: ServiceHealth, metrics: Metrics) {
        router.get("/healthz") { _, _ in
            if let reason = health.notReadyReason {
                return .json("{\"status\":\"not ready\",\"reason\":\(JSONText.quoted(reason))}", status: 503)
            }
            return .json("{\"status\":\"ready\"}")
        }
        router.get("/metrics") { _, _ in
            metrics.set(ServiceMetricNames.ready, to: health.isReady ? 1 : 0)
            return .text(metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
