/// Async versions of the admin calls. Each runs the blocking call of the same name on the
/// process's shared bounded worker pool (a few OS threads, started lazily and reused; never a
/// new thread per awaiting task) and awaits it without blocking the caller's thread.
///
/// Errors: the blocking call's `KafkaClientError` (e.g. `.closed` after `close()`,
/// `.notReachable`/`.timedOut` when the broker is down — bounded by `requestTimeoutMs` and
/// `retries`), or `CancellationError` when the awaiting task is cancelled: the await ends at
/// once; a call not started yet is skipped, a running one finishes in the background and its
/// result is dropped (so a cancelled create/delete/alter may still take effect).
///
/// Thread-safety: like the blocking calls, from any task, concurrently.
extension KafkaAdmin {
    /// Runs `body` (any blocking calls on this admin client) on the shared worker pool and
    /// awaits its result; the building block of the async calls below.
    public func perform<T: Sendable>(_ body: @escaping @Sendable (KafkaAdmin) throws(KafkaClientError) -> T) async throws -> T {
        try await AsyncWorkers.run { [self] () throws(KafkaClientError) -> T in try body(self) }
    }

    /// Async ``createTopic(name:partitions:replicationFactor:configs:)``.
    public func createTopic(name: String, partitions: Int32, replicationFactor: Int16 = 1,
                            configs: [String: String] = [:]) async throws {
        try await perform { admin throws(KafkaClientError) in
            try admin.createTopic(name: name, partitions: partitions, replicationFactor: replicationFactor, configs: configs)
        }
    }

    /// Async ``deleteTopic(name:)``.
    public func deleteTopic(name: String) async throws {
        try await perform { admin throws(KafkaClientError) in try admin.deleteTopic(name: name) }
    }

    /// Async ``listTopics()``.
    public func listTopics() async throws -> [String] {
        try await perform { admin throws(KafkaClientError) in try admin.listTopics() }
    }

    /// Async ``describeTopic(name:)``.
    public func describeTopic(name: String) async throws -> TopicDescription {
        try await perform { admin throws(KafkaClientError) in try admin.describeTopic(name: name) }
    }

    /// Async ``describeCluster()``.
    public func describeCluster() async throws -> ClusterDescription {
        try await perform { admin throws(KafkaClientError) in try admin.describeCluster() }
    }

    /// Async ``describeConfigs(_:keys:includeSynonyms:includeDocumentation:)``.
    public func describeConfigs(_ resource: ConfigResource, keys: [String]? = nil, includeSynonyms: Bool = true,
                                includeDocumentation: Bool = false) async throws -> [ConfigEntry] {
        try await perform { admin throws(KafkaClientError) in
            try admin.describeConfigs(resource, keys: keys, includeSynonyms: includeSynonyms, includeDocumentation: includeDocumentation)
        }
    }

    /// Async ``incrementalAlterConfigs(_:_:validateOnly:)`` (one resource; throws its failure).
    public func incrementalAlterConfigs(_ resource: ConfigResource, _ changes: [ConfigAlteration], validateOnly: Bool = false) async throws {
        try await perform { admin throws(KafkaClientError) in
            try admin.incrementalAlterConfigs(resource, changes, validateOnly: validateOnly)
        }
    }

    /// Async ``alterConfigs(_:_:validateOnly:)`` (one resource, whole config; throws its failure).
    public func alterConfigs(_ resource: ConfigResource, _ configs: [String: String], validateOnly: Bool = false) async throws {
        try await perform { admin throws(KafkaClientError) in try admin.alterConfigs(resource, configs, validateOnly: validateOnly) }
    }

    /// Async ``listGroups()``.
    public func listGroups() async throws -> [GroupListing] {
        try await perform { admin throws(KafkaClientError) in try admin.listGroups() }
    }

    /// Async ``describeGroup(_:)``.
    public func describeGroup(_ groupId: String) async throws -> GroupDescription {
        try await perform { admin throws(KafkaClientError) in try admin.describeGroup(groupId) }
    }

    /// Async ``describeConsumerGroup(_:)``.
    public func describeConsumerGroup(_ groupId: String) async throws -> ConsumerGroupDescription {
        try await perform { admin throws(KafkaClientError) in try admin.describeConsumerGroup(groupId) }
    }

    /// Async ``deleteGroups(_:)``.
    public func deleteGroups(_ groupIds: [String]) async throws -> [String: KafkaClientError?] {
        try await perform { admin throws(KafkaClientError) in try admin.deleteGroups(groupIds) }
    }

    /// Async ``committedOffsets(group:)``.
    public func committedOffsets(group groupId: String) async throws -> [TopicPartition: Int64] {
        try await perform { admin throws(KafkaClientError) in try admin.committedOffsets(group: groupId) }
    }

    /// Async ``lag(group:)``.
    public func lag(group groupId: String) async throws -> [PartitionLag] {
        try await perform { admin throws(KafkaClientError) in try admin.lag(group: groupId) }
    }

    /// Async ``resetOffsets(group:to:)``.
    public func resetOffsets(group groupId: String, to offsets: [TopicPartition: Int64]) async throws {
        try await perform { admin throws(KafkaClientError) in try admin.resetOffsets(group: groupId, to: offsets) }
    }
}
