import KafkaProtocol

extension KafkaAdmin {
    /// Removes the group's committed offsets of some partitions (OffsetDelete, sent to the
    /// group's coordinator). The coordinator refuses partitions of topics the group's members
    /// are subscribed to; a partition without a committed offset counts as deleted.
    ///
    /// - Returns: for each partition, nil when its offset is gone, else its failure, e.g.
    ///   `.broker(.groupSubscribedToTopic, ...)` while a member consumes the topic, or
    ///   `.unknownPartition` for a partition the broker does not know.
    /// - Throws: for the whole group: `.broker(.groupIdNotFound, ...)` when the group does not
    ///   exist, `.unsupported` when the coordinator lacks OffsetDelete, `.invalidArgument` for
    ///   an empty group id or a negative partition, and unreachable or closed clients.
    public func deleteGroupOffsets(group groupId: String, partitions: [TopicPartition]) throws(KafkaClientError) -> [TopicPartition: KafkaClientError?] {
        guard !groupId.isEmpty else { throw .invalidArgument("the group id must not be empty") }
        if let negative = partitions.sorted().first(where: { $0.partition < 0 }) {
            throw .invalidArgument("partition numbers must be 0 or more, got \(negative)")
        }
        let wanted = Set(partitions)
        guard !wanted.isEmpty else { return [:] }
        let topics = Dictionary(grouping: wanted, by: \.topic).sorted { $0.key < $1.key }.map { topic, entries in
            OffsetDeleteRequest.OffsetDeleteRequestTopic(name: topic, partitions: entries.sorted().map { .init(partitionIndex: $0.partition) })
        }
        let request = OffsetDeleteRequest(groupId: groupId, topics: topics)
        return try cluster.withRetries("OffsetDelete \(groupId)") { () throws(KafkaClientError) -> [TopicPartition: KafkaClientError?] in
            let connection = try cluster.coordinator(group: groupId, purpose: Self.purpose)
            let version = try negotiatedVersion(.offsetDelete, on: connection, for: "deleting committed offsets")
            let response = try connection.send(request, version: version).0
            guard response.errorCode == .none else {
                throw .broker(response.errorCode, context: "delete committed offsets of group \(groupId)")
            }
            var outcomes: [TopicPartition: KafkaClientError?] = [:]
            for topic in response.topics {
                for answer in topic.partitions {
                    let partition = TopicPartition(topic: topic.name, partition: answer.partitionIndex)
                    guard wanted.contains(partition) else { continue }
                    outcomes.updateValue(Self.offsetDeleteError(answer.errorCode, group: groupId, partition: partition), forKey: partition)
                }
            }
            for partition in wanted.sorted() where !outcomes.keys.contains(partition) {
                outcomes.updateValue(.connection(address: connection.address.description, reason: "OffsetDelete answer lacks \(partition)"), forKey: partition)
            }
            return outcomes
        }
    }

    /// A partition's OffsetDelete error as a client error (nil for none).
    private static func offsetDeleteError(_ code: ErrorCode, group: String, partition: TopicPartition) -> KafkaClientError? {
        switch code {
        case .none:
            return nil
        case .groupSubscribedToTopic:
            return .broker(code, context: "delete committed offset of group \(group) for \(partition): the group's members are subscribed to topic \(partition.topic) (stop them or change their subscription first)")
        case .unknownTopicOrPartition:
            return .unknownPartition(topic: partition.topic, partition: partition.partition)
        default:
            return .broker(code, context: "delete committed offset of group \(group) for \(partition)")
        }
    }
}
