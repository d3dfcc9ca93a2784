import KafkaProtocol

extension Broker {
    /// DeleteShareGroupOffsets v0: forgets an empty share group's state of whole topics (it
    /// starts there again by `share.auto.offset.reset`). NON_EMPTY_GROUP while it has members;
    /// GROUP_ID_NOT_FOUND for an unknown group; UNKNOWN_TOPIC_OR_PARTITION per unknown topic.
    /// As Kafka 4.1: DELETE on the group first (else GROUP_AUTHORIZATION_FAILED), READ on each
    /// topic (else TOPIC_AUTHORIZATION_FAILED for it).
    func handleDeleteShareGroupOffsets(_ request: DeleteShareGroupOffsetsRequest, version: Int16,
                                       context: RequestContext) -> DeleteShareGroupOffsetsResponse {
        guard isAuthorized(context, .delete, .group, request.groupId) else {
            return DeleteShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .groupAuthorizationFailed, errorMessage: "Group authorization failed.")
        }
        guard isShareGroup(request.groupId) else {
            return DeleteShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .groupIdNotFound, errorMessage: "Group \(request.groupId) not found.")
        }
        if let group = shareGroups.describe(request.groupId), !group.members.isEmpty {
            return DeleteShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .nonEmptyGroup,
                                                   errorMessage: "The share group \(request.groupId) has active members.")
        }
        let responses = request.topics.map { topic -> DeleteShareGroupOffsetsResponse.DeleteShareGroupOffsetsResponseTopic in
            guard isAuthorized(context, .read, .topic, topic.topicName) else {
                return .init(topicName: topic.topicName, topicId: Array(repeating: 0, count: 16), errorCode: .topicAuthorizationFailed, errorMessage: "Topic authorization failed.")
            }
            guard let metadata = store.topic(topic.topicName) else {
                return .init(topicName: topic.topicName, topicId: Array(repeating: 0, count: 16), errorCode: .unknownTopicOrPartition,
                             errorMessage: "unknown topic \(topic.topicName)")
            }
            let keys = sharePartitions.keys.filter { $0.group == request.groupId && $0.topic == topic.topicName }
            do throws(ShareError) {
                try sharePartitions.delete(keys)
            } catch {
                return .init(topicName: topic.topicName, topicId: metadata.id, errorCode: .kafkaStorageError, errorMessage: "\(error)")
            }
            return .init(topicName: topic.topicName, topicId: metadata.id, errorCode: .none)
        }
        return DeleteShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .none, responses: responses)
    }
}
