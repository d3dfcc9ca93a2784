import KafkaProtocol

extension KafkaAdmin {
    /// Describes a consumer group of the consumer protocol (KIP-848, ConsumerGroupDescribe):
    /// state, epochs, assignor, members with their current and target assignments.
    ///
    /// Throws `broker(.groupIdNotFound, ...)` for an unknown group or one of another kind (a
    /// classic or share group: the broker says which), `unsupported(.consumerGroupDescribe, ...)`
    /// for brokers without the protocol, `invalidArgument` for an empty id.
    public func describeConsumerGroup(_ groupId: String) throws(KafkaClientError) -> ConsumerGroupDescription {
        guard !groupId.isEmpty else { throw .invalidArgument("the group id must not be empty") }
        return try cluster.withRetries("ConsumerGroupDescribe \(groupId)") { () throws(KafkaClientError) -> ConsumerGroupDescription in
            let connection = try cluster.coordinator(group: groupId, purpose: Self.purpose)
            let response = try connection.send(ConsumerGroupDescribeRequest(groupIds: [groupId], includeAuthorizedOperations: false)).0
            guard let group = response.groups.first(where: { $0.groupId == groupId }) else {
                throw .connection(address: connection.address.description, reason: "ConsumerGroupDescribe answer does not mention group \(groupId)")
            }
            guard group.errorCode == .none else {
                throw .broker(group.errorCode, context: Self.context("describe consumer group \(groupId)", group.errorMessage))
            }
            func partitions(_ assignment: ConsumerGroupDescribeResponse.Assignment) -> [TopicPartition] {
                assignment.topicPartitions.flatMap { topic in topic.partitions.map { TopicPartition(topic: topic.topicName, partition: $0) } }.sorted()
            }
            let members = group.members.map { member in
                ConsumerGroupDescription.Member(
                    memberId: member.memberId, instanceId: member.instanceId, memberEpoch: member.memberEpoch, clientId: member.clientId,
                    host: member.clientHost, subscribedTopics: member.subscribedTopicNames, subscribedTopicRegex: member.subscribedTopicRegex,
                    assignment: partitions(member.assignment), targetAssignment: partitions(member.targetAssignment))
            }
            return ConsumerGroupDescription(groupId: groupId, state: group.groupState, groupEpoch: group.groupEpoch,
                                            assignmentEpoch: group.assignmentEpoch, assignor: group.assignorName, members: members)
        }
    }
}
