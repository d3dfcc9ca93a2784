import KafkaProtocol
import LogStorage

extension Broker {
    /// The share-group settings of `groupId` now: its group configs over the broker's
    /// `group.share.*` defaults (`groupConfig`).
    func shareGroupLimits(_ groupId: String) -> ShareGroupCoordinator.Limits {
        let configs = groupConfig(groupId)
        var limits = ShareGroupCoordinator.Limits()
        if let value = configs["share.session.timeout.ms"].flatMap({ Int32($0) }) { limits.sessionTimeoutMs = value }
        if let value = configs["share.heartbeat.interval.ms"].flatMap({ Int32($0) }) { limits.heartbeatIntervalMs = value }
        return limits
    }

    /// How share partitions of `groupId` deliver records now: `share.record.lock.duration.ms`
    /// and `share.auto.offset.reset` (group configs over the broker's defaults), and the
    /// broker's `group.share.delivery.count.limit` and `group.share.partition.max.record.locks`.
    func shareGroupSettings(_ groupId: String) -> ShareGroupSettings {
        let configs = groupConfig(groupId)
        let layers = layers(for: currentDynamicConfigs)
        var settings = ShareGroupSettings()
        if let value = configs["share.record.lock.duration.ms"].flatMap({ Int64($0) }) { settings.recordLockDurationMs = value }
        if let value = brokerConfigValue("group.share.delivery.count.limit", layers: layers).flatMap({ Int16($0) }) { settings.deliveryCountLimit = value }
        if let value = brokerConfigValue("group.share.partition.max.record.locks", layers: layers).flatMap({ Int($0) }) { settings.maxRecordLocks = value }
        switch configs["share.auto.offset.reset"] ?? "latest" {
        case "earliest": settings.autoOffsetReset = .earliest
        case let text where text.hasPrefix("by_duration:"):
            if let ms = ISODuration.milliseconds(String(text.dropFirst("by_duration:".count))) { settings.autoOffsetReset = .byDuration(milliseconds: ms) }
        default: settings.autoOffsetReset = .latest
        }
        return settings
    }

    /// ShareGroupHeartbeat v1 (KIP-932): join (epoch 0), heartbeat, leave (epoch -1); the
    /// answer carries the member's epoch and, when it changed, its assignment (topic ids and
    /// partitions). A group id already used by a consumer group answers GROUP_ID_NOT_FOUND
    /// ("Group X is not a share group."), as Kafka does. Leaving drops the member's share session.
    /// READ on the group first (else GROUP_AUTHORIZATION_FAILED), as Kafka.
    func handleShareGroupHeartbeat(_ request: ShareGroupHeartbeatRequest, version: Int16, clientId: String,
                                   context: RequestContext) -> ShareGroupHeartbeatResponse {
        let clientHost = context.clientHost
        guard isAuthorized(context, .read, .group, request.groupId) else {
            return ShareGroupHeartbeatResponse(errorCode: .groupAuthorizationFailed, errorMessage: nil, memberEpoch: 0, heartbeatIntervalMs: 0)
        }
        if !request.groupId.isEmpty, isConsumerGroup(request.groupId) {
            return ShareGroupHeartbeatResponse(errorCode: .groupIdNotFound, errorMessage: "Group \(request.groupId) is not a share group.",
                                               memberEpoch: -1, heartbeatIntervalMs: 0)
        }
        let result = shareGroups.heartbeat(.init(groupId: request.groupId, memberId: request.memberId, memberEpoch: request.memberEpoch,
                                                 rackId: request.rackId, subscribedTopicNames: request.subscribedTopicNames,
                                                 clientId: clientId, clientHost: "/" + clientHost),
                                           limits: shareGroupLimits(request.groupId))
        if result.error == .none && result.memberEpoch == -1 {
            // A member that leaves gives back the records it holds.
            shareSessions.remove(groupId: request.groupId, memberId: request.memberId)
            _ = sharePartitions.releaseAll(group: request.groupId, memberId: request.memberId)
        }
        let assignment = result.assignment.map { topics in
            ShareGroupHeartbeatResponse.Assignment(topicPartitions: topics.keys.sorted().compactMap { name in
                guard let id = store.topic(name)?.id else { return nil }
                return ShareGroupHeartbeatResponse.TopicPartitions(topicId: id, partitions: topics[name] ?? [])
            })
        }
        return ShareGroupHeartbeatResponse(errorCode: result.error, errorMessage: result.message, memberId: result.memberId,
                                           memberEpoch: result.memberEpoch, heartbeatIntervalMs: result.heartbeatIntervalMs, assignment: assignment)
    }

    /// ShareGroupDescribe v1: each group's state, epochs, assignor and members with their
    /// subscriptions and assignments. Unknown ids answer GROUP_ID_NOT_FOUND; a consumer group's
    /// id answers GROUP_ID_NOT_FOUND "Group X is not a share group." As Kafka: DESCRIBE on each
    /// group (else GROUP_AUTHORIZATION_FAILED, answered first), and the principal's operations on
    /// the group when asked (KIP-430).
    func handleShareGroupDescribe(_ request: ShareGroupDescribeRequest, version: Int16, context: RequestContext) -> ShareGroupDescribeResponse {
        let allowed = Set(authorizedNames(context, .describe, .group, request.groupIds))
        let refused = request.groupIds.filter { !allowed.contains($0) }.map {
            ShareGroupDescribeResponse.DescribedGroup(errorCode: .groupAuthorizationFailed, groupId: $0)
        }
        var groups = request.groupIds.filter(allowed.contains).map { id -> ShareGroupDescribeResponse.DescribedGroup in
            guard let group = shareGroups.describe(id) else {
                let classic = isConsumerGroup(id)
                return ShareGroupDescribeResponse.DescribedGroup(
                    errorCode: .groupIdNotFound, errorMessage: classic ? "Group \(id) is not a share group." : "Group \(id) not found.",
                    groupId: id, groupState: ShareGroup.State.dead.rawValue)
            }
            func described(_ assignment: [String: [Int32]]) -> ShareGroupDescribeResponse.Assignment {
                ShareGroupDescribeResponse.Assignment(topicPartitions: assignment.keys.sorted().compactMap { name in
                    guard let topicId = store.topic(name)?.id else { return nil }
                    return ShareGroupDescribeResponse.TopicPartitions(topicId: topicId, topicName: name, partitions: assignment[name] ?? [])
                })
            }
            let members = group.members.values.sorted { $0.memberId < $1.memberId }.map { member in
                ShareGroupDescribeResponse.Member(memberId: member.memberId, rackId: member.rackId, memberEpoch: member.memberEpoch,
                                                  clientId: member.clientId, clientHost: member.clientHost,
                                                  subscribedTopicNames: member.subscribedTopics.sorted(), assignment: described(member.assignment))
            }
            return ShareGroupDescribeResponse.DescribedGroup(
                errorCode: .none, groupId: id, groupState: group.state.rawValue, groupEpoch: group.groupEpoch,
                assignmentEpoch: group.assignmentEpoch, assignorName: "simple", members: members)
        }
        if request.includeAuthorizedOperations {
            for index in groups.indices where groups[index].errorCode == .none {
                groups[index].authorizedOperations = authorizedOperationBits(context, .group, groups[index].groupId)
            }
        }
        return ShareGroupDescribeResponse(throttleTimeMs: 0, groups: refused + groups)
    }
}
