import KafkaProtocol

extension Broker {
    /// Whether `groupId` is a consumer (classic) group here: it has members or committed offsets.
    func isConsumerGroup(_ groupId: String) -> Bool {
        coordinator.summary(of: groupId) != nil || consumerGroups.describe(groupId) != nil || offsets.groupIds.contains(groupId)
    }

    /// Whether `groupId` is a share group here: it has members now, or stored share state
    /// (membership is not kept across restarts; record states are).
    func isShareGroup(_ groupId: String) -> Bool {
        shareGroups.describe(groupId) != nil || sharePartitions.keys.contains { $0.group == groupId }
    }

    /// DescribeShareGroupOffsets v0–1: per partition the share-partition start offset (-1 when
    /// the group has no state there yet) and (v1) the lag: records from the start offset to the
    /// high watermark not yet acknowledged or archived. No topic list = every partition with
    /// state. An unknown group answers GROUP_ID_NOT_FOUND. As Kafka 4.1: DESCRIBE on the group
    /// (else GROUP_AUTHORIZATION_FAILED); requested topics the principal may not DESCRIBE answer
    /// TOPIC_AUTHORIZATION_FAILED per partition, and are left out of an all-topics answer.
    func handleDescribeShareGroupOffsets(_ request: DescribeShareGroupOffsetsRequest, version: Int16,
                                         context: RequestContext) -> DescribeShareGroupOffsetsResponse {
        let groups = request.groups.map { group -> DescribeShareGroupOffsetsResponse.DescribeShareGroupOffsetsResponseGroup in
            guard isAuthorized(context, .describe, .group, group.groupId) else {
                return .init(groupId: group.groupId, topics: [], errorCode: .groupAuthorizationFailed, errorMessage: "Group authorization failed.")
            }
            guard isShareGroup(group.groupId) else {
                return .init(groupId: group.groupId, topics: [], errorCode: .groupIdNotFound, errorMessage: "Group \(group.groupId) not found.")
            }
            let requested: [(String, [Int32])]
            if let topics = group.topics {
                requested = topics.map { ($0.topicName, $0.partitions) }
            } else {
                let keys = sharePartitions.keys.filter { $0.group == group.groupId }
                let byTopic = Dictionary(grouping: keys, by: \.topic)
                requested = authorizedNames(context, .describe, .topic, byTopic.keys.sorted()).map { ($0, (byTopic[$0] ?? []).map(\.partition).sorted()) }
            }
            let topics = requested.map { name, partitions in
                DescribeShareGroupOffsetsResponse.DescribeShareGroupOffsetsResponseTopic(
                    topicName: name,
                    topicId: (isAuthorized(context, .describe, .topic, name) ? store.topic(name)?.id : nil) ?? Array(repeating: 0, count: 16),
                    partitions: partitions.map { index in
                        guard isAuthorized(context, .describe, .topic, name) else {
                            return .init(partitionIndex: index, startOffset: -1, leaderEpoch: -1, errorCode: .topicAuthorizationFailed,
                                         errorMessage: "Topic authorization failed.")
                        }
                        guard let log = try? store.partition(name, index) else {
                            return .init(partitionIndex: index, startOffset: -1, leaderEpoch: -1, errorCode: .unknownTopicOrPartition,
                                         errorMessage: "unknown partition \(name)-\(index)")
                        }
                        guard let state = sharePartitions.partition(SharePartitionKey(group: group.groupId, topic: name, partition: index)) else {
                            return .init(partitionIndex: index, startOffset: -1, leaderEpoch: -1, errorCode: .none)
                        }
                        let done = state.count(of: .acknowledged) + state.count(of: .archived)
                        let lag = max(0, log.offsets.highWatermark - state.startOffset - done)
                        return .init(partitionIndex: index, startOffset: state.startOffset, leaderEpoch: 0, lag: lag, errorCode: .none)
                    })
            }
            return .init(groupId: group.groupId, topics: topics, errorCode: .none)
        }
        return DescribeShareGroupOffsetsResponse(throttleTimeMs: 0, groups: groups)
    }
}
