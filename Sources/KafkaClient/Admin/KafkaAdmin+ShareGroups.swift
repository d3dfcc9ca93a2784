import KafkaProtocol

extension KafkaAdmin {
    /// A share group's state, epochs and members with their assignments (ShareGroupDescribe v1
    /// to the group's coordinator).
    ///
    /// Throws `broker(.groupIdNotFound, ...)` for an unknown group or one that is not a share
    /// group, `unsupported(.shareGroupDescribe, ...)` for brokers without share groups.
    public func describeShareGroup(_ groupId: String) throws(KafkaClientError) -> ShareGroupDescription {
        guard !groupId.isEmpty else { throw .invalidArgument("the group id must not be empty") }
        return try cluster.withRetries("ShareGroupDescribe \(groupId)") { () throws(KafkaClientError) -> ShareGroupDescription in
            let connection = try cluster.coordinator(group: groupId, purpose: Self.purpose)
            let response = try connection.send(ShareGroupDescribeRequest(groupIds: [groupId])).0
            guard let group = response.groups.first(where: { $0.groupId == groupId }) else {
                throw .connection(address: connection.address.description, reason: "ShareGroupDescribe answer does not mention group \(groupId)")
            }
            guard group.errorCode == .none else {
                throw .broker(group.errorCode, context: Self.context("describe share group \(groupId)", group.errorMessage))
            }
            let members = group.members.map { member in
                ShareGroupDescription.Member(
                    memberId: member.memberId, memberEpoch: member.memberEpoch, clientId: member.clientId, host: member.clientHost,
                    subscribedTopics: member.subscribedTopicNames,
                    assignment: member.assignment.topicPartitions.flatMap { topic in
                        topic.partitions.map { TopicPartition(topic: topic.topicName, partition: $0) }
                    }.sorted())
            }
            return ShareGroupDescription(groupId: groupId, state: group.groupState, groupEpoch: group.groupEpoch,
                                         assignmentEpoch: group.assignmentEpoch, assignor: group.assignorName, members: members)
        }
    }

    /// The share group's start offset and lag per partition it has state for
    /// (DescribeShareGroupOffsets v1, every topic), sorted by topic and partition.
    ///
    /// Throws `broker(.groupIdNotFound, ...)` for an unknown group, `unsupported` for brokers
    /// without share groups; per-partition errors are thrown as the first one met.
    public func shareGroupOffsets(group groupId: String) throws(KafkaClientError) -> [ShareGroupPartitionOffset] {
        guard !groupId.isEmpty else { throw .invalidArgument("the group id must not be empty") }
        return try cluster.withRetries("DescribeShareGroupOffsets \(groupId)") { () throws(KafkaClientError) -> [ShareGroupPartitionOffset] in
            let connection = try cluster.coordinator(group: groupId, purpose: Self.purpose)
            let request = DescribeShareGroupOffsetsRequest(groups: [.init(groupId: groupId, topics: nil)])
            let response = try connection.send(request).0
            guard let group = response.groups.first(where: { $0.groupId == groupId }) else {
                throw .connection(address: connection.address.description, reason: "DescribeShareGroupOffsets answer does not mention group \(groupId)")
            }
            guard group.errorCode == .none else {
                throw .broker(group.errorCode, context: Self.context("share group offsets of \(groupId)", group.errorMessage))
            }
            var result: [ShareGroupPartitionOffset] = []
            for topic in group.topics {
                for partition in topic.partitions {
                    guard partition.errorCode == .none else {
                        throw .broker(partition.errorCode, context: Self.context("share group offsets of \(groupId) in \(topic.topicName)-\(partition.partitionIndex)",
                                                                                 partition.errorMessage))
                    }
                    result.append(ShareGroupPartitionOffset(topic: topic.topicName, partition: partition.partitionIndex,
                                                            startOffset: partition.startOffset, lag: partition.lag))
                }
            }
            return result.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        }
    }
}
