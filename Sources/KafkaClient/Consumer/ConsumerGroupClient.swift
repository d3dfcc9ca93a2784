import KafkaProtocol
import Synchronization

/// The requests a consumer sends to its group coordinator, on two connections: `.group` for
/// JoinGroup/SyncGroup/OffsetCommit/OffsetFetch/LeaveGroup and `.heartbeat` for the background
/// heartbeats, so a JoinGroup parked at the coordinator or a commit never delays a heartbeat
/// (and neither ever waits behind a long-poll fetch, which uses leader connections).
///
/// The coordinator is found with FindCoordinator on first use and cached per purpose until
/// `invalidate` (after NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE or a broken connection).
/// Membership decisions are the caller's; this type only retries coordinator moves for
/// commits and offset fetches. Thread-safe.
final class ConsumerGroupClient: Sendable {
    /// Which coordinator connection a request uses.
    enum Purpose: String, Sendable {
        case group = "consumer-group"
        case heartbeat = "consumer-heartbeat"
    }

    /// Finds the coordinator and pools the connections.
    let cluster: KafkaCluster
    /// The group every request is about.
    let groupId: String
    private let connections = Mutex<[Purpose: BrokerConnection]>([:])

    /// A client for `groupId`; connects lazily.
    init(cluster: KafkaCluster, groupId: String) {
        self.cluster = cluster
        self.groupId = groupId
    }

    /// The cached coordinator connection for `purpose`, found with FindCoordinator if needed.
    func connection(_ purpose: Purpose) throws(KafkaClientError) -> BrokerConnection {
        if let cached = connections.withLock({ $0[purpose] }) { return cached }
        let found = try cluster.coordinator(group: groupId, purpose: purpose.rawValue)
        connections.withLock { $0[purpose] = found }
        return found
    }

    /// Forgets the coordinator for every purpose (the next request asks FindCoordinator again).
    /// Does not close sockets, so a request in flight on another thread is not disturbed.
    func invalidate() {
        connections.withLock { $0.removeAll() }
    }

    /// Whether `code` means "ask FindCoordinator again".
    static func isCoordinatorMoved(_ code: ErrorCode) -> Bool {
        code == .notCoordinator || code == .coordinatorNotAvailable
    }

    /// Sends `request` to the coordinator; a failed connection invalidates the coordinator.
    /// `maxVersion` caps the negotiated version.
    func send<R: KafkaRequest>(_ request: R, purpose: Purpose, timeoutMs: Int? = nil, maxVersion: Int16? = nil) throws(KafkaClientError) -> (R.Response, Int16) {
        let connection = try connection(purpose)
        do {
            var version: Int16?
            if let maxVersion, let negotiated = ClientVersions.negotiate(R.apiKey, broker: try connection.apiVersions()) {
                version = min(negotiated, maxVersion)
            }
            return try connection.send(request, version: version, timeoutMs: timeoutMs)
        } catch {
            invalidateIfBroken(error)
            throw error
        }
    }

    /// The version of `key` this client and the coordinator (its `purpose` connection) agree
    /// on; nil when the coordinator does not serve it. A failed connection invalidates the
    /// coordinator.
    func negotiatedVersion(_ key: ApiKey, purpose: Purpose) throws(KafkaClientError) -> Int16? {
        let connection = try connection(purpose)
        do {
            return ClientVersions.negotiate(key, broker: try connection.apiVersions())
        } catch {
            invalidateIfBroken(error)
            throw error
        }
    }

    /// A broken connection means "find the coordinator again".
    private func invalidateIfBroken(_ error: KafkaClientError) {
        switch error {
        case .connection, .notReachable, .timedOut: invalidate()
        default: break
        }
    }

    /// OffsetCommit of `offsets` (next offsets to read); returns each partition's error code.
    /// Coordinator moves and loading are retried (`ClientConfig.retries`); group errors such as
    /// ILLEGAL_GENERATION come back per partition, as the broker reports them. A member of a
    /// consumer-protocol group passes its member epoch as `generationId` with `memberEpoch`
    /// true (OffsetCommit v9); everyone else commits with v8 at most.
    func commit(_ offsets: [TopicPartition: Int64], generationId: Int32, memberId: String,
                groupInstanceId: String?, memberEpoch: Bool = false) throws(KafkaClientError) -> [TopicPartition: ErrorCode] {
        let byTopic = Dictionary(grouping: offsets.keys.sorted(), by: \.topic)
        let request = OffsetCommitRequest(
            groupId: groupId, generationIdOrMemberEpoch: generationId, memberId: memberId, groupInstanceId: groupInstanceId,
            topics: byTopic.keys.sorted().map { topic in
                OffsetCommitRequest.Topic(name: topic, partitions: (byTopic[topic] ?? []).map { partition in
                    OffsetCommitRequest.Partition(partitionIndex: partition.partition, committedOffset: offsets[partition] ?? 0,
                                                  commitTimestamp: -1, committedMetadata: "")
                })
            })
        return try cluster.withRetries("OffsetCommit for group \(groupId)") { () throws(KafkaClientError) -> [TopicPartition: ErrorCode] in
            let response = try send(request, purpose: .group, maxVersion: memberEpoch ? nil : 8).0
            var results: [TopicPartition: ErrorCode] = [:]
            for topic in response.topics {
                for partition in topic.partitions {
                    results[TopicPartition(topic: topic.name, partition: partition.partitionIndex)] = partition.errorCode
                }
            }
            if let retry = results.values.first(where: { Self.isCoordinatorMoved($0) || $0 == .coordinatorLoadInProgress || $0 == .requestTimedOut }) {
                if Self.isCoordinatorMoved(retry) { invalidate() }
                throw .broker(retry, context: "OffsetCommit for group \(groupId)")
            }
            for partition in offsets.keys where results[partition] == nil {
                throw .connection(address: "coordinator of \(groupId)", reason: "OffsetCommit answer does not mention \(partition)")
            }
            return results
        }
    }

    /// The committed offsets (next offset to read) of `partitions`; partitions without a
    /// commit are absent. Coordinator moves and loading are retried.
    func fetchCommitted(_ partitions: [TopicPartition]) throws(KafkaClientError) -> [TopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let byTopic = Dictionary(grouping: partitions, by: \.topic)
        let request = OffsetFetchRequest(groupId: groupId, topics: byTopic.keys.sorted().map { topic in
            OffsetFetchRequest.Topic(name: topic, partitionIndexes: (byTopic[topic] ?? []).map(\.partition).sorted())
        })
        return try cluster.withRetries("OffsetFetch for group \(groupId)") { () throws(KafkaClientError) -> [TopicPartition: Int64] in
            let response = try send(request, purpose: .group).0
            var codes = [response.errorCode]
            var found: [TopicPartition: Int64] = [:]
            for topic in response.topics {
                for partition in topic.partitions {
                    let key = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                    switch partition.errorCode {
                    case .none: if partition.committedOffset >= 0 { found[key] = partition.committedOffset }
                    case .unknownTopicOrPartition: break  // nothing committed; the fetch path reports unknown topics
                    default: codes.append(partition.errorCode)
                    }
                }
            }
            if let code = codes.first(where: { $0 != .none }) {
                if Self.isCoordinatorMoved(code) { invalidate() }
                throw .broker(code, context: "OffsetFetch for group \(groupId)")
            }
            return found
        }
    }
}
