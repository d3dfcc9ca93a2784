import EventContracts
import Foundation
import HTTPServer
import KafkaClient
import KafkaProtocol
import Net
import ServiceKit
import SystemIO

/// Runs one barista worker as a process: settings from the environment, `/healthz` and
/// `/metrics` on `SERVICE_HTTP_PORT`, the group's share configs, the queue, and the
/// `BaristaWorker` loop until SIGTERM or SIGINT (the drink being brewed is released, the group
/// left). Stateless: no database, nothing on disk.
///
/// In share mode the worker first sets the group configs the shop relies on
/// (`share.auto.offset.reset=earliest`, so drinks requested before any worker joined are
/// brewed, and `share.record.lock.duration.ms` from `BARISTA_LOCK_MS` when set), retrying
/// until the broker accepts them; `/healthz` answers 503 until then.
public enum BaristaWorkerHost {
    /// The queue topic.
    static let queueTopic = CoffeeTopic.brewQueue.name

    /// Runs the worker and exits: 0 after a clean stop, 1 when it cannot start, 2 for bad
    /// configuration.
    public static func run() -> Never {
        SignalWaiter.blockInThisProcess([SignalWaiter.terminate, SignalWaiter.interrupt])
        let environment: @Sendable (String) -> String? = { Environment.get($0) }
        let config: ServiceConfig
        let settings: BaristaWorkerSettings
        do {
            config = try ServiceConfig(serviceName: "barista-worker", environment: environment)
            let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "worker"
            settings = try BaristaWorkerSettings.fromEnvironment(environment, defaultName: "\(host)-\(getpid())")
        } catch {
            Logger(component: "barista-worker").error("bad configuration: \(error)")
            ProcessControl.exit(2)
        }
        let logger = Logger(component: "barista-worker", minimumLevel: LogLevel(name: config.logLevel) ?? .info)
        let metrics = Metrics()
        let health = ServiceHealth()
        health.markMigrated()
        let clientConfig = config.clientConfig(clientId: settings.name)
        var producerConfig = ProducerConfig()
        producerConfig.lingerMs = 1
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(config: clientConfig, producerConfig: producerConfig)
        } catch {
            logger.error("bad client configuration: \(error)")
            ProcessControl.exit(2)
        }
        let worker = BaristaWorker(settings: settings, publisher: KafkaResultPublisher(producer: producer, logger: logger),
                                   metrics: metrics, logger: logger)
        do {
            try SignalWaiter.start([SignalWaiter.terminate, SignalWaiter.interrupt]) { signal in
                logger.info("received signal \(signal), stopping after the current drink")
                worker.stop()
            }
        } catch {
            logger.error("cannot watch signals: \(error)")
            ProcessControl.exit(1)
        }
        var router = HTTPRouter()
        ServiceHost.addChassisRoutes(to: &router, health: health, metrics: metrics)
        let http: HTTPServer
        do {
            http = try HTTPServer(listen: HostPort(host: "0.0.0.0", port: UInt16(config.httpPort)), router: router,
                                  logger: logger.named("http"))
            try http.start()
        } catch {
            logger.error("cannot serve HTTP on port \(config.httpPort): \(error)")
            ProcessControl.exit(1)
        }
        logger.info("worker \(settings.name): HTTP on port \(http.port); brokers \(config.brokers.map(\.description).joined(separator: ",")); "
            + "group \(settings.groupId), speed ×\(settings.speedFactor), fail rate \(settings.failRate), up to \(settings.maxAttempts) attempts")

        guard let queue = openQueue(settings: settings, config: config, client: clientConfig, health: health, worker: worker, logger: logger) else {
            http.stop()
            producer.close()
            ProcessControl.exit(0)
        }
        logger.info("taking drinks from \(queueTopic) through a \(queue.mode == "share" ? "share group" : "consumer group")")
        worker.run(queue: queue) { problem in health.setBrokerProblem(problem) }
        health.markStopping()
        queue.close()
        producer.close()
        http.stop()
        logger.info("stopped")
        ProcessControl.exit(0)
    }

    /// Decides the mode, prepares the group and opens the queue, retrying until it works or
    /// the worker is stopped (nil then).
    static func openQueue(settings: BaristaWorkerSettings, config: ServiceConfig, client: ClientConfig, health: ServiceHealth,
                          worker: BaristaWorker, logger: Logger) -> (any DrinkQueue)? {
        while !worker.isStopping {
            do {
                var mode = settings.queueMode
                if mode == .auto { mode = try BrokerFeatures.advertises(.shareGroupHeartbeat, client: client) ? .share : .group }
                if mode == .group {
                    return try GroupDrinkQueue(client: client, groupId: settings.groupId, topic: queueTopic,
                                               sessionTimeoutMs: config.sessionTimeoutMs)
                }
                try configureShareGroup(settings, client: client)
                return try ShareDrinkQueue(client: client, groupId: settings.groupId, topic: queueTopic)
            } catch {
                health.setBrokerProblem("\(error)")
                logger.warning("cannot open the brewing queue yet, retrying: \(error)")
                let until = SystemTimeSource().monotonicNanos() + 1_000_000_000
                while !worker.isStopping && SystemTimeSource().monotonicNanos() < until { usleep(50_000) }
            }
        }
        return nil
    }

    /// Sets `share.auto.offset.reset=earliest` (and the lock duration when configured) on the group.
    static func configureShareGroup(_ settings: BaristaWorkerSettings, client: ClientConfig) throws {
        var changes: [ConfigAlteration] = [.set("share.auto.offset.reset", "earliest")]
        if let lock = settings.lockDurationMs { changes.append(.set("share.record.lock.duration.ms", String(lock))) }
        let admin = KafkaAdmin(config: client)
        defer { admin.close() }
        try admin.incrementalAlterConfigs(.group(settings.groupId), changes)
    }
}
