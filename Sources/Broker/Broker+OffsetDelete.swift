import KafkaProtocol
import LogStorage

extension Broker {
    /// OffsetDelete v0 (Kafka's `KafkaApis.handleOffsetDeleteRequest` and the group
    /// coordinator's `deleteOffsets`): removes a group's committed offsets, durably.
    ///
    /// Partitions of unknown topics, or unknown partitions of known topics, answer
    /// UNKNOWN_TOPIC_OR_PARTITION. Then the group is checked, and a group-level error replaces
    /// the whole answer (no topics): empty group id → INVALID_GROUP_ID; no such group (neither
    /// live nor holding offsets) → GROUP_ID_NOT_FOUND; a group with members whose protocol type
    /// is not `consumer` → NON_EMPTY_GROUP. Otherwise every partition of a topic the group is
    /// subscribed to answers GROUP_SUBSCRIBED_TO_TOPIC (an empty group is subscribed to
    /// nothing) and the others answer 0, with a tombstone written for each committed offset
    /// among them. Results keep Kafka's merge order: topics with unknown partitions first.
    ///
    /// Authorization as Kafka's: DELETE on the group (else GROUP_AUTHORIZATION_FAILED for the
    /// request); topics the principal may not READ answer TOPIC_AUTHORIZATION_FAILED per
    /// partition, first, and their offsets stay.
    func handleOffsetDelete(_ request: OffsetDeleteRequest, version: Int16, context: RequestContext) -> OffsetDeleteResponse {
        func failed(_ code: ErrorCode) -> OffsetDeleteResponse {
            OffsetDeleteResponse(errorCode: code, throttleTimeMs: 0, topics: [])
        }
        guard isAuthorized(context, .delete, .group, request.groupId) else { return failed(.groupAuthorizationFailed) }
        let readable = Set(authorizedNames(context, .read, .topic, request.topics.map(\.name)))
        var answered: [OffsetDeleteResponse.OffsetDeleteResponseTopic] = []
        var valid: [(topic: String, partitions: [Int32])] = []
        for topic in request.topics {
            guard readable.contains(topic.name) else {
                Self.add(topic.partitions.map { .init(partitionIndex: $0.partitionIndex, errorCode: .topicAuthorizationFailed) },
                         to: topic.name, in: &answered)
                continue
            }
            let partitionCount = store.topic(topic.name)?.config.partitionCount ?? 0
            let indexes = topic.partitions.map(\.partitionIndex)
            let unknown = indexes.filter { $0 < 0 || $0 >= partitionCount }
            let known = indexes.filter { $0 >= 0 && $0 < partitionCount }
            if !unknown.isEmpty {
                Self.add(unknown.map { .init(partitionIndex: $0, errorCode: .unknownTopicOrPartition) }, to: topic.name, in: &answered)
            }
            if !known.isEmpty { valid.append((topic.name, known)) }
        }
        guard !request.groupId.isEmpty else { return failed(.invalidGroupId) }
        let subscribed: Set<String>
        switch coordinator.offsetDeleteVerdict(groupId: request.groupId, topics: valid.map(\.topic)) {
        case .refused(let code):
            return failed(code)
        case .unknown:
            // A group known only by its committed offsets is Empty: subscribed to nothing.
            guard offsets.groupIds.contains(request.groupId) else { return failed(.groupIdNotFound) }
            subscribed = []
        case .allowed(let topics):
            subscribed = topics
        }
        var doomed = Set<OffsetStore.Key>()
        for (topic, partitions) in valid {
            let code: ErrorCode = subscribed.contains(topic) ? .groupSubscribedToTopic : .none
            if code == .none {
                for partition in partitions { doomed.insert(OffsetStore.Key(group: request.groupId, topic: topic, partition: partition)) }
            }
            Self.add(partitions.map { .init(partitionIndex: $0, errorCode: code) }, to: topic, in: &answered)
        }
        do {
            try offsets.delete(at: time.wallMillis()) { doomed.contains($0) }
        } catch {
            // Kafka answers a failed write to its offsets log with NOT_COORDINATOR.
            logger.error("deleting offsets of group \(request.groupId) failed: \(error)")
            return failed(.notCoordinator)
        }
        return OffsetDeleteResponse(errorCode: .none, throttleTimeMs: 0, topics: answered)
    }

    /// Appends partition results to the topic's entry, adding the entry if it is new (Kafka's
    /// `OffsetDeleteResponse.Builder`).
    private static func add(_ partitions: [OffsetDeleteResponse.OffsetDeleteResponsePartition], to topic: String,
                            in topics: inout [OffsetDeleteResponse.OffsetDeleteResponseTopic]) {
        if let index = topics.firstIndex(where: { $0.name == topic }) {
            topics[index].partitions += partitions
        } else {
            topics.append(.init(name: topic, partitions: partitions))
        }
    }
}
