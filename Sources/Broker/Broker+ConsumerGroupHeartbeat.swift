import KafkaProtocol
import LogStorage

extension Broker {
    /// The session and heartbeat settings of consumer-protocol group `groupId` now: its group
    /// configs `consumer.session.timeout.ms` / `consumer.heartbeat.interval.ms` over the
    /// broker's `group.consumer.*` defaults (`groupConfig`), and `group.consumer.max.size`.
    func consumerGroupLimits(_ groupId: String) -> ConsumerGroupCoordinator.Limits {
        let configs = groupConfig(groupId)
        var limits = ConsumerGroupCoordinator.Limits()
        if let value = configs["consumer.session.timeout.ms"].flatMap({ Int32($0) }) { limits.sessionTimeoutMs = value }
        if let value = configs["consumer.heartbeat.interval.ms"].flatMap({ Int32($0) }) { limits.heartbeatIntervalMs = value }
        if let value = brokerConfigValue("group.consumer.max.size", layers: layers(for: currentDynamicConfigs)).flatMap({ Int($0) }) {
            limits.maxSize = value
        }
        return limits
    }

    /// Whether `groupId` is a classic group with members (its id cannot be used by a
    /// consumer-protocol group then, as in Kafka).
    func isClassicGroupWithMembers(_ groupId: String) -> Bool {
        (coordinator.summary(of: groupId)?.members.count ?? 0) > 0
    }

    /// ConsumerGroupHeartbeat v0–1 (KIP-848): join (epoch 0), heartbeat with the owned
    /// partitions, leave (-1, or -2 for a static member that will come back). The answer
    /// carries the member's epoch and, when it changed, the partitions it may own now, by topic
    /// id. A classic group's id with members answers GROUP_ID_NOT_FOUND ("Group X is not a
    /// consumer group."), a share group's too; owned partitions of unknown topic ids are
    /// ignored (the topic is gone). v1 requires the client to choose its member id.
    /// As Kafka 4: READ on the group (else GROUP_AUTHORIZATION_FAILED), and every subscribed
    /// topic name must be one the principal may DESCRIBE (else TOPIC_AUTHORIZATION_FAILED).
    func handleConsumerGroupHeartbeat(_ request: ConsumerGroupHeartbeatRequest, version: Int16, clientId: String,
                                      context: RequestContext) -> ConsumerGroupHeartbeatResponse {
        let clientHost = context.clientHost
        func failure(_ code: ErrorCode, _ message: String) -> ConsumerGroupHeartbeatResponse {
            ConsumerGroupHeartbeatResponse(throttleTimeMs: 0, errorCode: code, errorMessage: message, memberEpoch: -1, heartbeatIntervalMs: 0)
        }
        guard isAuthorized(context, .read, .group, request.groupId) else {
            return ConsumerGroupHeartbeatResponse(throttleTimeMs: 0, errorCode: .groupAuthorizationFailed, errorMessage: nil,
                                                  memberEpoch: 0, heartbeatIntervalMs: 0)
        }
        if let subscribed = request.subscribedTopicNames, !subscribed.isEmpty,
           authorizedNames(context, .describe, .topic, Set(subscribed)).count < Set(subscribed).count {
            return ConsumerGroupHeartbeatResponse(throttleTimeMs: 0, errorCode: .topicAuthorizationFailed, errorMessage: nil,
                                                  memberEpoch: 0, heartbeatIntervalMs: 0)
        }
        if !request.groupId.isEmpty, isClassicGroupWithMembers(request.groupId) || isShareGroup(request.groupId) {
            return failure(.groupIdNotFound, "Group \(request.groupId) is not a consumer group.")
        }
        if version >= 1, request.memberId.isEmpty {
            return failure(.invalidRequest, "MemberId can't be empty.")
        }
        let owned = request.topicPartitions.map { topics -> ConsumerAssignment in
            var owned: ConsumerAssignment = [:]
            for topic in topics {
                guard let name = topicName(id: topic.topicId) else { continue }
                owned[name, default: []].formUnion(topic.partitions)
            }
            return owned
        }
        let result = consumerGroups.heartbeat(
            .init(groupId: request.groupId, memberId: request.memberId, memberEpoch: request.memberEpoch,
                  instanceId: request.instanceId, rackId: request.rackId, rebalanceTimeoutMs: request.rebalanceTimeoutMs,
                  subscribedTopicNames: request.subscribedTopicNames, subscribedTopicRegex: request.subscribedTopicRegex,
                  serverAssignor: request.serverAssignor, ownedPartitions: owned, clientId: clientId, clientHost: "/" + clientHost),
            limits: consumerGroupLimits(request.groupId), now: time.wallMillis())
        if result.error != .none {
            logger.debug("ConsumerGroupHeartbeat of \(request.memberId) in \(request.groupId) (epoch \(request.memberEpoch)): "
                + "\(result.error.summary) \(result.message ?? "") (topics \(request.subscribedTopicNames ?? []), regex \(String(describing: request.subscribedTopicRegex)))")
        }
        let assignment = result.assignment.map { topics in
            ConsumerGroupHeartbeatResponse.Assignment(topicPartitions: topics.keys.sorted().compactMap { name in
                guard let id = store.topic(name)?.id else { return nil }
                return ConsumerGroupHeartbeatResponse.TopicPartitions(topicId: id, partitions: (topics[name] ?? []).sorted())
            })
        }
        return ConsumerGroupHeartbeatResponse(throttleTimeMs: 0, errorCode: result.error, errorMessage: result.message, memberId: result.memberId,
                                              memberEpoch: result.memberEpoch, heartbeatIntervalMs: result.heartbeatIntervalMs,
                                              assignment: assignment)
    }

    /// ConsumerGroupDescribe v0–1: each consumer-protocol group's state, epochs, assignor and
    /// members with their subscriptions, current and target assignments. Unknown ids answer
    /// GROUP_ID_NOT_FOUND; a classic or share group's id answers GROUP_ID_NOT_FOUND "Group X is
    /// not a consumer group." (Kafka describes classic members of mixed groups; kaffeed has none.)
    /// As Kafka: DESCRIBE on each group (else GROUP_AUTHORIZATION_FAILED, answered first), and
    /// the principal's operations on the group when asked (KIP-430).
    func handleConsumerGroupDescribe(_ request: ConsumerGroupDescribeRequest, version: Int16,
                                     context: RequestContext) -> ConsumerGroupDescribeResponse {
        let allowed = Set(authorizedNames(context, .describe, .group, request.groupIds))
        let refused = request.groupIds.filter { !allowed.contains($0) }.map {
            ConsumerGroupDescribeResponse.DescribedGroup(errorCode: .groupAuthorizationFailed, groupId: $0)
        }
        var groups = request.groupIds.filter(allowed.contains).map { id -> ConsumerGroupDescribeResponse.DescribedGroup in
            guard let group = consumerGroups.describe(id) else {
                let other = coordinator.summary(of: id) != nil || isShareGroup(id)
                return ConsumerGroupDescribeResponse.DescribedGroup(
                    errorCode: .groupIdNotFound, errorMessage: other ? "Group \(id) is not a consumer group." : "Group \(id) not found.",
                    groupId: id, groupState: "Dead", groupEpoch: -1, assignmentEpoch: -1, assignorName: "", members: [])
            }
            func described(_ assignment: ConsumerAssignment) -> ConsumerGroupDescribeResponse.Assignment {
                ConsumerGroupDescribeResponse.Assignment(topicPartitions: assignment.keys.sorted().compactMap { name in
                    guard let topicId = store.topic(name)?.id else { return nil }
                    return ConsumerGroupDescribeResponse.TopicPartitions(topicId: topicId, topicName: name,
                                                                         partitions: (assignment[name] ?? []).sorted())
                })
            }
            let members = group.members.values.sorted { $0.memberId < $1.memberId }.map { member in
                ConsumerGroupDescribeResponse.Member(
                    memberId: member.memberId, instanceId: member.instanceId, rackId: member.rackId, memberEpoch: member.memberEpoch,
                    clientId: member.clientId, clientHost: member.clientHost, subscribedTopicNames: member.subscribedTopicNames.sorted(),
                    subscribedTopicRegex: member.subscribedTopicRegex, assignment: described(member.assigned),
                    targetAssignment: described(group.targetAssignment[member.memberId] ?? [:]), memberType: 1)
            }
            return ConsumerGroupDescribeResponse.DescribedGroup(
                errorCode: .none, groupId: id, groupState: group.state.rawValue, groupEpoch: group.groupEpoch,
                assignmentEpoch: group.assignmentEpoch, assignorName: group.assignorName, members: members)
        }
        if request.includeAuthorizedOperations {
            for index in groups.indices where groups[index].errorCode == .none {
                groups[index].authorizedOperations = authorizedOperationBits(context, .group, groups[index].groupId)
            }
        }
        return ConsumerGroupDescribeResponse(throttleTimeMs: 0, groups: refused + groups)
    }
}
