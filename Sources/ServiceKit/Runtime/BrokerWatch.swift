internal import KafkaClient
internal import SystemIO
internal import Synchronization

/// Watches the broker for the health endpoint and the lag gauge: every few seconds (every
/// half second while unreachable) checks that the needed topics exist and reads the group's
/// lag per topic. Reference type; `run` on one thread, `stop` from any.
final class BrokerWatch: Sendable {
    private let admin: KafkaAdmin
    private let topics: [String]
    private let groupId: String
    private let health: ServiceHealth
    private let metrics: Metrics
    private let logger: Logger
    private let stopFlag = StopFlag()
    private let checked = ConditionSignal()

    init(clientConfig: ClientConfig, topics: [String], groupId: String, health: ServiceHealth, metrics: Metrics, logger: Logger) {
        self.admin = KafkaAdmin(config: clientConfig)
        self.topics = topics
        self.groupId = groupId
        self.health = health
        self.metrics = metrics
        self.logger = logger
    }

    /// Checks until `stop()`.
    func run() {
        var lastProblem: String?
        while !stopFlag.isSet {
            let problem = check()
            health.setBrokerProblem(problem)
            if problem != lastProblem {
                if let problem { logger.warning("not ready: \(problem)") } else { logger.info("broker reachable, topics present") }
                lastProblem = problem
            }
            checked.signal()
            if problem == nil { updateLag() }
            _ = stopFlag.sleep(problem == nil ? .seconds(3) : .milliseconds(500))
        }
        admin.close()
    }

    /// Nil when every topic exists, otherwise what is wrong. One Metadata request: it needs only
    /// DESCRIBE on the topics (a least-privileged service may not read their configs), and a
    /// topic the service may not see is as missing to it.
    private func check() -> String? {
        do {
            let visible = Set(try admin.listTopics())
            if let missing = topics.first(where: { !visible.contains($0) }) {
                return "topic \(missing) does not exist (or this user may not DESCRIBE it)"
            }
            return nil
        } catch {
            return "cannot list topics: \(error)"
        }
    }

    private func updateLag() {
        do {
            var byTopic: [String: Int64] = [:]
            for lag in try admin.lag(group: groupId) where topics.contains(lag.topic) {
                byTopic[lag.topic, default: 0] += max(0, lag.lag)
            }
            for (topic, lag) in byTopic {
                metrics.set(ServiceMetricNames.consumerLag, labels: ["topic": topic], to: Double(lag))
            }
        } catch {
            logger.debug("cannot read consumer lag: \(error)")
        }
    }

    /// Waits until the next check finished or `timeoutNanos` pass.
    func waitForChange(timeoutNanos: UInt64) {
        _ = checked.wait(after: checked.generation, timeoutNanos: timeoutNanos)
    }

    /// Makes `run` return.
    func stop() { stopFlag.set() }
}
