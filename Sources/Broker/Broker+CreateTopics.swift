import KafkaProtocol
import LogStorage
import SystemIO

extension Broker {
    /// CreateTopics honouring the request's `timeoutMs`, as Kafka does: creating many
    /// partitions can take seconds on a busy disk, so the work runs on a thread of its own and,
    /// if it is not done by the deadline, the topics not answered yet get REQUEST_TIMED_OUT
    /// while their creation carries on (a client retrying then sees TOPIC_ALREADY_EXISTS, as
    /// with Kafka). A timeout of 0 or less waits for the result.
    func createTopicsWithinTimeout(_ request: CreateTopicsRequest, version: Int16, context: RequestContext, encode: @escaping Encoder) -> BrokerReply {
        let result = Locked<CreateTopicsResponse?>(nil)
        let deadline = request.timeoutMs > 0 ? time.monotonicNanos() &+ UInt64(request.timeoutMs) * 1_000_000 : .max
        let operation = DelayedOperation(kind: .admin, keys: [], deadline: deadline) { force in
            if let response = result.withLock({ $0 }) { return encode(response, []) }
            guard force else { return nil }
            let timedOut = request.topics.map {
                CreateTopicsResponse.CreatableTopicResult(name: $0.name, errorCode: .requestTimedOut,
                                                          errorMessage: "the topic was not created within the request's \(request.timeoutMs) ms; its creation goes on")
            }
            return encode(CreateTopicsResponse(throttleTimeMs: 0, topics: timedOut), [])
        }
        purgatory.watch(operation)
        let purgatory = purgatory
        do {
            try SystemThread.spawn(name: "create-topics") { [self] in
                let response = handleCreateTopics(request, version: version, context: context)
                result.withLock { $0 = response }
                if operation.tryComplete(force: false) { purgatory.remove(operation) }
            }
        } catch {
            // No thread to spare: create on this one.
            let response = handleCreateTopics(request, version: version, context: context)
            result.withLock { $0 = response }
            if operation.tryComplete(force: false) { purgatory.remove(operation) }
        }
        return .pending(operation.pending)
    }

    /// CreateTopics v0–7: one result per requested topic; -1 partitions / replication factor
    /// mean the broker's defaults; replication factor above 1 is refused (one broker). Configs
    /// are validated as Kafka validates them (names first, then values in order; the first
    /// failure is reported with Kafka's message); v5+ results carry the topic's effective configs.
    ///
    /// Authorization (Kafka's `handleCreateTopicsRequest`): CREATE on the cluster or on the
    /// topic, else TOPIC_AUTHORIZATION_FAILED; a created topic's configs are left out, with
    /// topic config error TOPIC_AUTHORIZATION_FAILED, without DESCRIBE_CONFIGS on it.
    func handleCreateTopics(_ request: CreateTopicsRequest, version: Int16, context: RequestContext) -> CreateTopicsResponse {
        var results: [CreateTopicsResponse.CreatableTopicResult] = []
        var seen = Set<String>()
        let clusterCreate = isAuthorizedOnCluster(context, .create)
        let layers = store.layers
        for topic in request.topics {
            var result = CreateTopicsResponse.CreatableTopicResult(name: topic.name)
            func fail(_ code: ErrorCode, _ message: String) {
                result.errorCode = code
                result.errorMessage = message
                results.append(result)
            }
            guard seen.insert(topic.name).inserted else {
                fail(.invalidRequest, "topic \(topic.name) appears more than once in the request")
                continue
            }
            guard clusterCreate || isAuthorized(context, .create, .topic, topic.name) else {
                fail(.topicAuthorizationFailed, "Authorization failed.")
                continue
            }
            guard TopicMetadata.isValidName(topic.name) else {
                fail(.invalidTopicException, "invalid topic name \(topic.name.debugDescription)")
                continue
            }
            let partitions = !topic.assignments.isEmpty ? Int32(topic.assignments.count)
                : (topic.numPartitions == -1 ? config.defaultPartitions : topic.numPartitions)
            guard partitions > 0 else {
                fail(.invalidPartitions, "Number of partitions was set to an invalid non-positive value.")
                continue
            }
            // Refused before anything is allocated for them, validate-only requests included.
            guard partitions <= LogStore.maxPartitionsPerTopic else {
                fail(.invalidPartitions, "Number of partitions \(partitions) is above the maximum of \(LogStore.maxPartitionsPerTopic) per topic.")
                continue
            }
            guard topic.replicationFactor == -1 || topic.replicationFactor == 1 || !topic.assignments.isEmpty else {
                fail(.invalidReplicationFactor, "replication factor must be 1 on a single broker, got \(topic.replicationFactor)")
                continue
            }
            let nulls = topic.configs.filter { $0.value == nil }.map(\.name)
            if !nulls.isEmpty {
                fail(.invalidConfig, "Null value not supported for topic configs: \(nulls.joined(separator: ","))")
                continue
            }
            if let unknown = topic.configs.first(where: { TopicConfigDefinitions.definition($0.name) == nil }) {
                fail(.invalidConfig, "Unknown topic config name: \(unknown.name)")
                continue
            }
            var topicConfig = config.topicConfig(partitions: partitions)
            var badConfig: String?
            do throws(LogStorageError) {
                // Values are checked in Kafka's definition order, so the first failure reported is Kafka's.
                let ordered = topic.configs.sorted { TopicConfigDefinitions.kafkaPosition($0.name) < TopicConfigDefinitions.kafkaPosition($1.name) }
                for entry in ordered { try topicConfig.set(entry.name, entry.value ?? "") }
                _ = try topicConfig.logConfig(layers: layers)
            } catch {
                badConfig = Self.storageMessage(error)
            }
            if let badConfig {
                fail(.invalidConfig, badConfig)
                continue
            }
            if store.topic(topic.name) != nil {
                fail(.topicAlreadyExists, "Topic '\(topic.name)' already exists.")
                continue
            }
            var metadata = TopicMetadata(name: topic.name, id: [UInt8](repeating: 0, count: 16), config: topicConfig)
            if !request.validateOnly {
                do {
                    metadata = try store.createTopic(topic.name, config: topicConfig)
                } catch {
                    fail(errorCode(for: error), "\(error)")
                    continue
                }
            }
            result.topicId = metadata.id
            if isAuthorized(context, .describeConfigs, .topic, topic.name) {
                result.numPartitions = partitions
                result.replicationFactor = 1
                result.configs = topicConfig.resolveAll(layers: layers).map { entry in
                    CreateTopicsResponse.CreatableTopicConfigs(name: entry.name, value: entry.value, readOnly: false,
                                                              configSource: entry.source.rawValue, isSensitive: false)
                }
            } else {
                result.topicConfigErrorCode = .topicAuthorizationFailed
            }
            results.append(result)
        }
        return CreateTopicsResponse(throttleTimeMs: 0, topics: results)
    }
}
