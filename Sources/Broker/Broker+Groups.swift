import KafkaProtocol
import LogStorage

extension Broker {
    /// Kafka's default text of INVALID_REQUEST (`Errors.INVALID_REQUEST.message()`), which its
    /// FindCoordinator error responses carry.
    static let invalidRequestMessage = "This most likely occurs because of a request being malformed by the client library or the message "
        + "was sent to an incompatible broker. See the broker logs for more details."

    /// Kafka's default text of the errors FindCoordinator answers before v4.
    private static func defaultMessage(_ code: ErrorCode) -> String {
        switch code {
        case .groupAuthorizationFailed: "Group authorization failed."
        case .transactionalIdAuthorizationFailed: "Transactional Id authorization failed."
        default: invalidRequestMessage
        }
    }

    /// FindCoordinator v0–6 (v4+ batched: one answer per `CoordinatorKeys` entry, KIP-699): this
    /// broker coordinates every group (key type 0) and every transactional id (key type 1).
    /// As Kafka's `KafkaApis.getCoordinator`: key type 2 (share, KIP-932) before v6 is
    /// INVALID_REQUEST; from v6 it is INVALID_REQUEST too, as on a Kafka broker without a share
    /// coordinator — kaffeed keeps share-group state itself and serves none of the share-state
    /// RPCs. Such per-key errors carry no node (-1, "", -1) and, from v4, no message. A key type
    /// Kafka does not know (its `CoordinatorType.forId` throws) fails the whole request:
    /// INVALID_REQUEST with Kafka's default message for the key (v0–3) or for every key (v4+).
    /// A group key needs DESCRIBE on the group (else GROUP_AUTHORIZATION_FAILED), a transaction
    /// key DESCRIBE on the transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED), per key.
    func handleFindCoordinator(_ request: FindCoordinatorRequest, version: Int16, context: RequestContext) -> FindCoordinatorResponse {
        let listener = context.listener
        let keys = request.requestedKeys(version: version)
        func failure(_ key: String, _ code: ErrorCode, _ message: String?) -> FindCoordinatorResponse.Coordinator {
            FindCoordinatorResponse.Coordinator(key: key, nodeId: -1, host: "", port: -1, errorCode: code, errorMessage: message)
        }
        func answer(_ key: String) -> FindCoordinatorResponse.Coordinator {
            switch request.keyType {
            case FindCoordinatorRequest.groupKeyType where !isAuthorized(context, .describe, .group, key):
                return failure(key, .groupAuthorizationFailed, nil)
            case FindCoordinatorRequest.transactionKeyType where !isAuthorized(context, .describe, .transactionalId, key):
                return failure(key, .transactionalIdAuthorizationFailed, nil)
            case FindCoordinatorRequest.groupKeyType, FindCoordinatorRequest.transactionKeyType:
                return FindCoordinatorResponse.Coordinator(key: key, nodeId: config.nodeId, host: listener.advertisedHost,
                                                           port: listener.advertisedPort, errorCode: .none, errorMessage: nil)
            case FindCoordinatorRequest.shareKeyType:
                return failure(key, .invalidRequest, nil)
            default:
                return failure(key, .invalidRequest, Self.invalidRequestMessage)
            }
        }
        if version >= 4 {
            return FindCoordinatorResponse(throttleTimeMs: 0, coordinators: keys.map(answer))
        }
        let single = answer(request.key)
        guard single.errorCode == .none else {
            // Kafka answers an error before v4 with the error's default message.
            return FindCoordinatorResponse(throttleTimeMs: 0, errorCode: single.errorCode, errorMessage: Self.defaultMessage(single.errorCode),
                                           nodeId: -1, host: "", port: -1)
        }
        return FindCoordinatorResponse(throttleTimeMs: 0, errorCode: .none, errorMessage: nil,
                                       nodeId: single.nodeId, host: single.host, port: single.port)
    }

    /// JoinGroup v0–9; waits (in the purgatory, not on a thread) while the join phase is open.
    /// READ on the group is checked first (GROUP_AUTHORIZATION_FAILED), before anything parks.
    func handleJoinGroup(_ request: JoinGroupRequest, version: Int16, clientId: String, context: RequestContext, encode: @escaping Encoder) -> BrokerReply {
        guard isAuthorized(context, .read, .group, request.groupId) else {
            return encode(JoinGroupResponse(errorCode: .groupAuthorizationFailed, generationId: -1, leader: "", memberId: ""), [])
        }
        let clientHost = context.clientHost
        // A consumer-protocol group with members keeps its id (kaffeed runs no mixed groups).
        if consumerGroups.hasMembers(request.groupId) || shareGroups.describe(request.groupId) != nil {
            return encode(JoinGroupResponse(errorCode: .inconsistentGroupProtocol, generationId: -1, leader: "", memberId: request.memberId), [])
        }
        switch coordinator.join(request, version: version, clientId: clientId, clientHost: "/" + clientHost) {
        case .now(let response):
            return encode(response, [])
        case .parked(let slot, let timeoutMillis):
            let fallback = JoinGroupResponse(errorCode: .rebalanceInProgress, generationId: -1, leader: "", memberId: request.memberId)
            return awaitSlot(slot, kind: .join, timeoutMillis: timeoutMillis, fallback: fallback, encode: encode)
        }
    }

    /// SyncGroup v0–5; waits (in the purgatory) until the leader's assignment arrives.
    /// READ on the group is checked first (GROUP_AUTHORIZATION_FAILED), before anything parks.
    func handleSyncGroup(_ request: SyncGroupRequest, version: Int16, context: RequestContext, encode: @escaping Encoder) -> BrokerReply {
        guard isAuthorized(context, .read, .group, request.groupId) else {
            return encode(SyncGroupResponse(errorCode: .groupAuthorizationFailed), [])
        }
        switch coordinator.sync(request, version: version) {
        case .now(let response):
            return encode(response, [])
        case .parked(let slot, let timeoutMillis):
            return awaitSlot(slot, kind: .sync, timeoutMillis: timeoutMillis, fallback: SyncGroupResponse(errorCode: .rebalanceInProgress), encode: encode)
        }
    }

    /// A request answered when the coordinator fills `slot`, or with `fallback` after
    /// `timeoutMillis` (or at shutdown).
    private func awaitSlot<Response: ProtocolMessage>(_ slot: ReplySlot<Response>, kind: DelayedOperation.Kind, timeoutMillis: Int64,
                                                      fallback: Response, encode: @escaping Encoder) -> BrokerReply {
        let deadline = time.monotonicNanos() &+ UInt64(max(0, timeoutMillis)) * 1_000_000
        let operation = DelayedOperation(kind: kind, keys: [], deadline: deadline) { force in
            if let answer = slot.value { return encode(answer, []) }
            return force ? encode(fallback, []) : nil
        }
        if purgatory.watch(operation) { return .pending(operation.pending) }
        let purgatory = purgatory
        slot.onFill { _ in
            if operation.tryComplete(force: false) { purgatory.remove(operation) }
        }
        return .pending(operation.pending)
    }

    /// Heartbeat: READ on the group (else GROUP_AUTHORIZATION_FAILED).
    func handleHeartbeat(_ request: HeartbeatRequest, version: Int16, context: RequestContext) -> HeartbeatResponse {
        guard isAuthorized(context, .read, .group, request.groupId) else {
            return HeartbeatResponse(throttleTimeMs: 0, errorCode: .groupAuthorizationFailed)
        }
        return HeartbeatResponse(throttleTimeMs: 0, errorCode: coordinator.heartbeat(request))
    }

    /// LeaveGroup v0–2 (one member id) and v3+ (a list, by member or instance id). READ on the
    /// group (else GROUP_AUTHORIZATION_FAILED for the whole request).
    func handleLeaveGroup(_ request: LeaveGroupRequest, version: Int16, context: RequestContext) -> LeaveGroupResponse {
        guard isAuthorized(context, .read, .group, request.groupId) else {
            return LeaveGroupResponse(throttleTimeMs: 0, errorCode: .groupAuthorizationFailed)
        }
        if version < 3 {
            let result = coordinator.leave(groupId: request.groupId, members: [(request.memberId, nil)])
            return LeaveGroupResponse(throttleTimeMs: 0, errorCode: result.first ?? .unknownMemberId)
        }
        let results = coordinator.leave(groupId: request.groupId, members: request.members.map { ($0.memberId, $0.groupInstanceId) })
        let members = zip(request.members, results).map {
            LeaveGroupResponse.MemberResponse(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, errorCode: $1)
        }
        return LeaveGroupResponse(throttleTimeMs: 0, errorCode: .none, members: members)
    }

    /// OffsetCommit v2–9: validated against the group (§5.6; a consumer-protocol group by
    /// member id and epoch, as Kafka's `ConsumerGroup.validateOffsetCommit`), stored durably
    /// before answering. Without READ on the group every partition answers
    /// GROUP_AUTHORIZATION_FAILED; without READ on a topic its partitions answer
    /// TOPIC_AUTHORIZATION_FAILED (as Kafka's `KafkaApis`).
    func handleOffsetCommit(_ request: OffsetCommitRequest, version: Int16, context: RequestContext) -> OffsetCommitResponse {
        guard isAuthorized(context, .read, .group, request.groupId) else {
            return OffsetCommitResponse(throttleTimeMs: 0, topics: request.topics.map { topic in
                OffsetCommitResponse.Topic(name: topic.name, partitions: topic.partitions.map {
                    OffsetCommitResponse.Partition(partitionIndex: $0.partitionIndex, errorCode: .groupAuthorizationFailed)
                })
            })
        }
        let readable = Set(authorizedNames(context, .read, .topic, request.topics.map(\.name)))
        let groupError: ErrorCode?
        if request.groupId.isEmpty {
            groupError = .invalidGroupId
        } else if let group = consumerGroups.describe(request.groupId) {
            groupError = ConsumerGroupCoordinator.validateCommit(group, memberId: request.memberId,
                                                                 memberEpoch: request.generationIdOrMemberEpoch, version: version)
        } else {
            groupError = coordinator.validateCommit(groupId: request.groupId, generationId: request.generationIdOrMemberEpoch,
                                                    memberId: request.memberId, instanceId: version >= 7 ? request.groupInstanceId : nil)
        }
        let now = time.wallMillis()
        var entries: [(OffsetStore.Key, OffsetStore.Committed)] = []
        var topics = request.topics.map { topic in
            OffsetCommitResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                var code = readable.contains(topic.name) ? groupError ?? .none : .topicAuthorizationFailed
                if code == .none {
                    if (partition.committedMetadata?.utf8.count ?? 0) > 4096 {
                        code = .offsetMetadataTooLarge
                    } else if (try? store.partition(topic.name, partition.partitionIndex)) == nil {
                        code = .unknownTopicOrPartition
                    } else {
                        entries.append((OffsetStore.Key(group: request.groupId, topic: topic.name, partition: partition.partitionIndex),
                                        OffsetStore.Committed(offset: partition.committedOffset,
                                                              leaderEpoch: version >= 6 ? partition.committedLeaderEpoch : -1,
                                                              metadata: partition.committedMetadata, commitTimestamp: now)))
                    }
                }
                return OffsetCommitResponse.Partition(partitionIndex: partition.partitionIndex, errorCode: code)
            })
        }
        do {
            try offsets.commit(entries)
        } catch {
            logger.error("storing offsets of group \(request.groupId) failed: \(error)")
            let stored = Set(entries.map { "\($0.0.topic)\u{0}\($0.0.partition)" })
            for t in topics.indices {
                for p in topics[t].partitions.indices where stored.contains("\(topics[t].name)\u{0}\(topics[t].partitions[p].partitionIndex)") {
                    topics[t].partitions[p].errorCode = .kafkaStorageError
                }
            }
        }
        return OffsetCommitResponse(throttleTimeMs: 0, topics: topics)
    }

    /// OffsetFetch v1–7: committed offsets (−1 where none); `topics == nil` means every
    /// committed partition of the group. Unknown groups are not an error. With `RequireStable`
    /// (v7), a partition with a transactional commit not yet decided answers
    /// UNSTABLE_OFFSET_COMMIT (retriable) instead of an offset that may be about to change.
    /// As Kafka: DESCRIBE on the group (else GROUP_AUTHORIZATION_FAILED, no topics); requested
    /// topics the principal may not DESCRIBE answer TOPIC_AUTHORIZATION_FAILED (after the
    /// others), and a fetch of every partition leaves such topics out.
    func handleOffsetFetch(_ request: OffsetFetchRequest, version: Int16, context: RequestContext) -> OffsetFetchResponse {
        guard isAuthorized(context, .describe, .group, request.groupId) else {
            return OffsetFetchResponse(throttleTimeMs: 0, topics: [], errorCode: .groupAuthorizationFailed)
        }
        func partition(_ topic: String, _ index: Int32) -> OffsetFetchResponse.Partition {
            let key = OffsetStore.Key(group: request.groupId, topic: topic, partition: index)
            if version >= 7 && request.requireStable && offsets.hasStaged(key) {
                return OffsetFetchResponse.Partition(partitionIndex: index, committedOffset: -1, committedLeaderEpoch: -1, metadata: "",
                                                     errorCode: .unstableOffsetCommit)
            }
            let committed = offsets.committed(key)
            return OffsetFetchResponse.Partition(partitionIndex: index, committedOffset: committed?.offset ?? -1,
                                                 committedLeaderEpoch: committed?.leaderEpoch ?? -1,
                                                 metadata: committed?.metadata ?? "", errorCode: .none)
        }
        let topics: [OffsetFetchResponse.Topic]
        if let requested = request.topics {
            let describable = Set(authorizedNames(context, .describe, .topic, requested.map(\.name)))
            let allowed = requested.filter { describable.contains($0.name) }
            let refused = requested.filter { !describable.contains($0.name) }
            topics = allowed.map { topic in
                OffsetFetchResponse.Topic(name: topic.name, partitions: topic.partitionIndexes.map { partition(topic.name, $0) })
            } + refused.map { topic in
                OffsetFetchResponse.Topic(name: topic.name, partitions: topic.partitionIndexes.map {
                    OffsetFetchResponse.Partition(partitionIndex: $0, committedOffset: -1, committedLeaderEpoch: -1, metadata: "",
                                                  errorCode: .topicAuthorizationFailed)
                })
            }
        } else {
            var byTopic: [String: [Int32]] = [:]
            for (key, _) in offsets.all(group: request.groupId) { byTopic[key.topic, default: []].append(key.partition) }
            topics = authorizedNames(context, .describe, .topic, byTopic.keys.sorted()).map { name in
                OffsetFetchResponse.Topic(name: name, partitions: (byTopic[name] ?? []).sorted().map { partition(name, $0) })
            }
        }
        return OffsetFetchResponse(throttleTimeMs: 0, topics: topics, errorCode: request.groupId.isEmpty ? .invalidGroupId : .none)
    }

    /// ListGroups v0–5: live groups plus groups that only hold committed offsets (Empty),
    /// consumer-protocol groups (type "consumer") and share groups (type "share"); v5 filters
    /// by group type. As Kafka: DESCRIBE on the cluster lists every group, else only the groups
    /// the principal may DESCRIBE.
    func handleListGroups(_ request: ListGroupsRequest, version: Int16, context: RequestContext) -> ListGroupsResponse {
        var listed: [String: ListGroupsResponse.ListedGroup] = [:]
        for id in offsets.groupIds {
            listed[id] = ListGroupsResponse.ListedGroup(groupId: id, protocolType: "consumer", groupState: GroupState.empty.rawValue, groupType: "classic")
        }
        for summary in coordinator.summaries {
            listed[summary.groupId] = ListGroupsResponse.ListedGroup(groupId: summary.groupId, protocolType: summary.protocolType,
                                                                     groupState: summary.state.rawValue, groupType: "classic")
        }
        for id in consumerGroups.groupIds {
            guard let group = consumerGroups.describe(id) else { continue }
            listed[id] = ListGroupsResponse.ListedGroup(groupId: id, protocolType: "consumer", groupState: group.state.rawValue, groupType: "consumer")
        }
        for id in shareGroups.groupIds {
            guard let group = shareGroups.describe(id) else { continue }
            listed[id] = ListGroupsResponse.ListedGroup(groupId: id, protocolType: "share", groupState: group.state.rawValue, groupType: "share")
        }
        let states = Set(request.statesFilter.map { $0.lowercased() })
        let types = Set(request.typesFilter.map { $0.lowercased() })
        let everyGroup = isAuthorizedOnCluster(context, .describe)
        let groups = listed.values.filter { group in
            (everyGroup || isAuthorized(context, .describe, .group, group.groupId))
                && (version < 4 || states.isEmpty || states.contains(group.groupState.lowercased()))
                && (version < 5 || types.isEmpty || types.contains(group.groupType.lowercased()))
        }.sorted { $0.groupId < $1.groupId }
        return ListGroupsResponse(throttleTimeMs: 0, errorCode: .none, groups: groups)
    }

    /// DescribeGroups v0–5: state, protocol and members; bytes only when Stable. Unknown → Dead.
    /// DESCRIBE on each group (else GROUP_AUTHORIZATION_FAILED for it, as Kafka).
    func handleDescribeGroups(_ request: DescribeGroupsRequest, version: Int16, context: RequestContext) -> DescribeGroupsResponse {
        var response = describeGroups(request, version: version, context: context)
        // KIP-430 (v3+): the principal's operations on the group (without an authorizer, every
        // group operation: READ, DELETE, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS).
        if request.includeAuthorizedOperations {
            for index in response.groups.indices where response.groups[index].errorCode == .none {
                response.groups[index].authorizedOperations = authorizedOperationBits(context, .group, response.groups[index].groupId)
            }
        }
        return response
    }

    private func describeGroups(_ request: DescribeGroupsRequest, version: Int16, context: RequestContext) -> DescribeGroupsResponse {
        let groups = request.groups.map { id -> DescribeGroupsResponse.DescribedGroup in
            guard isAuthorized(context, .describe, .group, id) else {
                return DescribeGroupsResponse.DescribedGroup(errorCode: .groupAuthorizationFailed, groupId: id, groupState: "",
                                                             protocolType: "", protocolData: "", members: [], authorizedOperations: Int32.min)
            }
            if consumerGroups.describe(id) != nil {
                // As Kafka: the classic API does not describe a consumer-protocol group.
                return DescribeGroupsResponse.DescribedGroup(errorCode: .groupIdNotFound,
                                                             groupId: id, groupState: GroupState.dead.rawValue, protocolType: "",
                                                             protocolData: "", members: [], authorizedOperations: Int32.min)
            }
            guard let summary = coordinator.summary(of: id) else {
                let state = offsets.groupIds.contains(id) ? GroupState.empty : GroupState.dead
                return DescribeGroupsResponse.DescribedGroup(errorCode: .none, groupId: id, groupState: state.rawValue,
                                                             protocolType: state == .empty ? "consumer" : "", protocolData: "", members: [],
                                                             authorizedOperations: Int32.min)
            }
            let stable = summary.state == .stable
            let members = summary.members.map { member in
                DescribeGroupsResponse.DescribedGroupMember(
                    memberId: member.memberId, groupInstanceId: member.groupInstanceId, clientId: member.clientId,
                    clientHost: member.clientHost, memberMetadata: stable ? member.metadata(for: summary.protocolName) : [],
                    memberAssignment: stable ? member.assignment : [])
            }
            return DescribeGroupsResponse.DescribedGroup(errorCode: .none, groupId: id, groupState: summary.state.rawValue,
                                                         protocolType: summary.protocolType, protocolData: summary.protocolName,
                                                         members: members, authorizedOperations: Int32.min)
        }
        return DescribeGroupsResponse(throttleTimeMs: 0, groups: groups)
    }

    /// DeleteGroups v0–2: only groups without members; their offsets go too (a share group: its
    /// share-partition state). DELETE on each group (else GROUP_AUTHORIZATION_FAILED for it).
    func handleDeleteGroups(_ request: DeleteGroupsRequest, version: Int16, context: RequestContext) -> DeleteGroupsResponse {
        let results = request.groupsNames.map { id -> DeleteGroupsResponse.DeletableGroupResult in
            guard isAuthorized(context, .delete, .group, id) else {
                return DeleteGroupsResponse.DeletableGroupResult(groupId: id, errorCode: .groupAuthorizationFailed)
            }
            if shareGroups.describe(id) != nil { return DeleteGroupsResponse.DeletableGroupResult(groupId: id, errorCode: deleteShareGroup(id)) }
            let modern = consumerGroups.describe(id) != nil
            guard modern || isConsumerGroup(id) else { return DeleteGroupsResponse.DeletableGroupResult(groupId: id, errorCode: .groupIdNotFound) }
            let code = modern ? consumerGroups.delete(id, now: time.wallMillis()) : coordinator.delete(groupId: id)
            guard code == .none else { return DeleteGroupsResponse.DeletableGroupResult(groupId: id, errorCode: code) }
            do { try offsets.delete(at: time.wallMillis()) { $0.group == id } } catch {
                logger.error("deleting offsets of group \(id) failed: \(error)")
                return DeleteGroupsResponse.DeletableGroupResult(groupId: id, errorCode: .kafkaStorageError)
            }
            return DeleteGroupsResponse.DeletableGroupResult(groupId: id, errorCode: .none)
        }
        // As Kafka: the refused groups after the others.
        let refused = results.filter { $0.errorCode == .groupAuthorizationFailed }
        return DeleteGroupsResponse(throttleTimeMs: 0, results: results.filter { $0.errorCode != .groupAuthorizationFailed } + refused)
    }

    /// Deletes an empty share group and its share-partition state (tombstones, so a group of
    /// the same name starts afresh). NON_EMPTY_GROUP while it has members.
    private func deleteShareGroup(_ id: String) -> ErrorCode {
        guard shareGroups.describe(id)?.members.isEmpty == true else { return .nonEmptyGroup }
        do throws(ShareError) {
            try sharePartitions.delete(sharePartitions.keys.filter { $0.group == id })
        } catch {
            logger.error("deleting the share state of group \(id) failed: \(error)")
            return .kafkaStorageError
        }
        return shareGroups.delete(id)
    }
}
