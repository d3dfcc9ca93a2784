import KafkaProtocol

extension Broker {
    /// AlterShareGroupOffsets v0: moves share partitions of an empty share group to new start
    /// offsets (a new state epoch; records in flight are forgotten). The group must have no
    /// members (NON_EMPTY_GROUP); an offset outside [log start, log end] answers
    /// OFFSET_OUT_OF_RANGE; unknown partitions UNKNOWN_TOPIC_OR_PARTITION. As Kafka 4.1: READ on
    /// the group first (else GROUP_AUTHORIZATION_FAILED), READ on each topic (else its partitions
    /// answer TOPIC_AUTHORIZATION_FAILED).
    func handleAlterShareGroupOffsets(_ request: AlterShareGroupOffsetsRequest, version: Int16,
                                      context: RequestContext) -> AlterShareGroupOffsetsResponse {
        guard isAuthorized(context, .read, .group, request.groupId) else {
            return AlterShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .groupAuthorizationFailed, errorMessage: "Group authorization failed.")
        }
        if request.groupId.isEmpty {
            return AlterShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .invalidGroupId, errorMessage: "GroupId can't be empty.")
        }
        if let group = shareGroups.describe(request.groupId), !group.members.isEmpty {
            return AlterShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .nonEmptyGroup,
                                                  errorMessage: "The share group \(request.groupId) has active members.")
        }
        if isConsumerGroup(request.groupId) {
            return AlterShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .groupIdNotFound, errorMessage: "Group \(request.groupId) is not a share group.")
        }
        let settings = shareGroupSettings(request.groupId)
        let responses = request.topics.map { topic in
            AlterShareGroupOffsetsResponse.AlterShareGroupOffsetsResponseTopic(
                topicName: topic.topicName, topicId: store.topic(topic.topicName)?.id ?? Array(repeating: 0, count: 16),
                partitions: topic.partitions.map { partition in
                    let index = partition.partitionIndex
                    guard isAuthorized(context, .read, .topic, topic.topicName) else {
                        return .init(partitionIndex: index, errorCode: .topicAuthorizationFailed, errorMessage: "Topic authorization failed.")
                    }
                    guard let log = try? store.partition(topic.topicName, index) else {
                        return .init(partitionIndex: index, errorCode: .unknownTopicOrPartition, errorMessage: "unknown partition \(topic.topicName)-\(index)")
                    }
                    let offsets = log.offsets
                    guard partition.startOffset >= offsets.logStartOffset, partition.startOffset <= offsets.logEndOffset else {
                        return .init(partitionIndex: index, errorCode: .offsetOutOfRange,
                                     errorMessage: "offset \(partition.startOffset) is outside [\(offsets.logStartOffset), \(offsets.logEndOffset)]")
                    }
                    let key = SharePartitionKey(group: request.groupId, topic: topic.topicName, partition: index)
                    do throws(ShareError) {
                        if sharePartitions.partition(key) == nil {
                            _ = try sharePartitions.initialize(key, settings: settings, startOffset: partition.startOffset)
                        } else {
                            try sharePartitions.reset(key, startOffset: partition.startOffset)
                        }
                    } catch {
                        return .init(partitionIndex: index, errorCode: ErrorCode(code: error.rawValue), errorMessage: "\(error)")
                    }
                    return .init(partitionIndex: index, errorCode: .none)
                })
        }
        return AlterShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .none, responses: responses)
    }
}
