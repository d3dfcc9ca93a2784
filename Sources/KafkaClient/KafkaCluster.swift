import KafkaProtocol
public import Net
import SystemIO
import Synchronization

/// What the client knows about the cluster: brokers, topics and partition leaders (from
/// Metadata), and open connections by broker and purpose.
///
/// Connections are keyed by (node, purpose) so that, for example, a consumer's long-polling
/// fetches never delay its heartbeats. Thread-safe.
public final class KafkaCluster: Sendable {
    /// A topic as the cluster described it. A value type; `Sendable`.
    public struct TopicInfo: Sendable, Equatable {
        /// The topic's name.
        public var name: String
        /// The topic id (16 bytes; all zero from brokers that have none).
        public var id: [UInt8]
        /// Partition index → leader node id, for every partition.
        public var leaders: [Int32]
        /// The number of partitions (`leaders.count`).
        public var partitionCount: Int32 { Int32(leaders.count) }
    }

    /// A broker as Metadata described it. A value type; `Sendable`.
    public struct BrokerInfo: Sendable, Equatable {
        /// The broker's node id.
        public var nodeId: Int32
        /// Where clients reach it (the broker's advertised listener).
        public var address: HostPort
    }

    /// The settings every connection of this cluster view uses.
    public let config: ClientConfig

    private struct State: @unchecked Sendable {
        var brokers: [Int32: HostPort] = [:]
        var topics: [String: TopicInfo] = [:]
        var controllerId: Int32 = -1
        var clusterId: String?
        var connections: [String: BrokerConnection] = [:]
        var closed = false
    }

    private let state = Mutex(State())

    /// A cluster view of `config.bootstrapServers`; it connects lazily, on the first request.
    public init(config: ClientConfig) {
        self.config = config
    }

    /// Closes every connection; later calls fail with `closed`.
    public func close() {
        let connections = state.withLock { state -> [BrokerConnection] in
            state.closed = true
            defer { state.connections.removeAll() }
            return Array(state.connections.values)
        }
        for connection in connections { connection.close() }
    }

    /// The brokers of the last Metadata answer, sorted by node id; empty before the first one.
    public var brokers: [BrokerInfo] {
        state.withLock { $0.brokers.map { BrokerInfo(nodeId: $0.key, address: $0.value) }.sorted { $0.nodeId < $1.nodeId } }
    }

    /// The cluster id of the last Metadata answer; nil before it (or from brokers without one).
    public var clusterId: String? { state.withLock { $0.clusterId } }
    /// The controller's node id from the last Metadata answer; -1 before it.
    public var controllerId: Int32 { state.withLock { $0.controllerId } }

    // MARK: connections

    private func pooled(_ key: String, _ address: HostPort) throws(KafkaClientError) -> BrokerConnection {
        try state.withLock { state throws(KafkaClientError) -> BrokerConnection in
            guard !state.closed else { throw .closed }
            if let existing = state.connections[key] { return existing }
            let connection = BrokerConnection(address: address, clientId: config.clientId, requestTimeoutMs: config.requestTimeoutMs, sasl: config.sasl)
            state.connections[key] = connection
            return connection
        }
    }

    /// A connection to a bootstrap server (the first one that answers ApiVersions).
    public func bootstrapConnection(purpose: String = "metadata") throws(KafkaClientError) -> BrokerConnection {
        var lastError = KafkaClientError.notReachable(address: "(no bootstrap servers)", reason: "none configured")
        let known = state.withLock { $0.brokers.sorted { $0.key < $1.key }.map(\.value) }
        for address in known + config.bootstrapServers {
            let connection = try pooled("bootstrap|\(purpose)|\(address)", address)
            do {
                _ = try connection.apiVersions()
                return connection
            } catch {
                lastError = error
            }
        }
        if config.bootstrapServers.count > 1, case .notReachable = lastError {
            throw .notReachable(address: config.bootstrapServers.map(\.description).joined(separator: ","), reason: "no broker answered")
        }
        throw lastError
    }

    /// The connection for `purpose` to broker `nodeId` (refreshing metadata if the node is unknown).
    public func connection(node nodeId: Int32, purpose: String) throws(KafkaClientError) -> BrokerConnection {
        var address = state.withLock { $0.brokers[nodeId] }
        if address == nil {
            _ = try refreshMetadata(topics: [])
            address = state.withLock { $0.brokers[nodeId] }
        }
        guard let address else { throw .broker(.brokerNotAvailable, context: "broker \(nodeId) is not in the cluster metadata") }
        return try pooled("\(nodeId)|\(purpose)", address)
    }

    /// Forgets a connection that failed so the next use reconnects.
    public func discard(_ connection: BrokerConnection) {
        connection.close()
    }

    // MARK: metadata

    /// Asks the cluster about `topics` (nil = all topics) and updates the cache. Unknown topics
    /// are absent from the result (or auto-created when `allowAutoCreate` and the broker allows).
    @discardableResult
    public func refreshMetadata(topics: [String]?, allowAutoCreate: Bool = false) throws(KafkaClientError) -> [String: TopicInfo] {
        let connection = try bootstrapConnection()
        let request = MetadataRequest(topics: topics.map { $0.map { MetadataRequest.Topic(name: $0) } }, allowAutoTopicCreation: allowAutoCreate)
        let response: MetadataResponse
        do {
            response = try connection.send(request).0
        } catch {
            connection.close()
            throw error
        }
        var found: [String: TopicInfo] = [:]
        for topic in response.topics {
            guard let name = topic.name, topic.errorCode == .none else { continue }
            var leaders = [Int32](repeating: -1, count: topic.partitions.count)
            for partition in topic.partitions where partition.partitionIndex >= 0 && Int(partition.partitionIndex) < leaders.count {
                leaders[Int(partition.partitionIndex)] = partition.leaderId
            }
            found[name] = TopicInfo(name: name, id: topic.topicId, leaders: leaders)
        }
        let invalid = response.topics.first { $0.errorCode == .invalidTopicException }
        state.withLock { state in
            for broker in response.brokers { state.brokers[broker.nodeId] = HostPort(host: broker.host, port: UInt16(clamping: broker.port)) }
            state.controllerId = response.controllerId
            state.clusterId = response.clusterId
            for name in topics ?? [] where found[name] == nil { state.topics[name] = nil }
            for (name, info) in found { state.topics[name] = info }
        }
        if let invalid { throw .broker(.invalidTopicException, context: "topic \(invalid.name ?? "?")") }
        return found
    }

    /// The topic's partitions and leaders, from the cache or a refresh; `unknownTopic` if absent.
    public func topic(_ name: String, allowAutoCreate: Bool = false, refresh: Bool = false) throws(KafkaClientError) -> TopicInfo {
        if !refresh, let cached = state.withLock({ $0.topics[name] }) { return cached }
        let found = try refreshMetadata(topics: [name], allowAutoCreate: allowAutoCreate)
        guard let info = found[name] else { throw .unknownTopic(name) }
        return info
    }

    /// The connection to the leader of a partition.
    public func leader(topic: String, partition: Int32, purpose: String) throws(KafkaClientError) -> BrokerConnection {
        let info = try self.topic(topic)
        guard partition >= 0 && partition < info.partitionCount else { throw .unknownPartition(topic: topic, partition: partition) }
        return try connection(node: info.leaders[Int(partition)], purpose: purpose)
    }

    /// The connection to a group's coordinator (FindCoordinator).
    public func coordinator(group: String, purpose: String = "coordinator") throws(KafkaClientError) -> BrokerConnection {
        try coordinator(key: group, keyType: FindCoordinatorRequest.groupKeyType, purpose: purpose)
    }

    /// FindCoordinator key type of a transactional id.
    public static let transactionKeyType: Int8 = 1

    /// The connection to the coordinator of `key` (FindCoordinator with `keyType`: 0 a group,
    /// 1 a transactional id — see ``transactionKeyType``).
    public func coordinator(key: String, keyType: Int8, purpose: String = "coordinator") throws(KafkaClientError) -> BrokerConnection {
        let connection = try bootstrapConnection()
        let response = try connection.send(FindCoordinatorRequest(key: key, keyType: keyType)).0
        let what = keyType == Self.transactionKeyType ? "transactional id" : "group"
        guard response.errorCode == .none else { throw .broker(response.errorCode, context: "FindCoordinator for \(what) \(key)") }
        state.withLock { $0.brokers[response.nodeId] = HostPort(host: response.host, port: UInt16(clamping: response.port)) }
        return try pooled("\(response.nodeId)|\(purpose)|\(keyType)|\(key)", HostPort(host: response.host, port: UInt16(clamping: response.port)))
    }

    // MARK: retries

    /// Runs `body`, retrying retriable failures with exponential backoff (refreshing metadata in
    /// between, since the usual cause is a moved leader or a restarting broker).
    public func withRetries<T>(_ operation: String, attempts: Int? = nil, _ body: () throws(KafkaClientError) -> T) throws(KafkaClientError) -> T {
        var backoff = config.retryBackoffMs
        // `retries` may be Int.max ("retry forever", Kafka's default): the + 1 must not overflow.
        let retries = attempts ?? config.retries
        let limit = retries >= Int.max - 1 ? Int.max : max(1, retries + 1)
        var attempt = 1
        while true {
            do {
                return try body()
            } catch {
                guard error.isRetriable, attempt < limit else { throw error }
                Self.sleep(milliseconds: backoff)
                backoff = min(backoff > Int.max / 2 ? Int.max : backoff * 2, config.maxRetryBackoffMs)
                attempt += 1
                _ = try? refreshMetadata(topics: [])
            }
        }
    }

    static func sleep(milliseconds: Int) {
        let signal = ConditionSignal()
        signal.wait(after: signal.generation, timeoutNanos: UInt64(max(0, milliseconds)) * 1_000_000)
    }
}
