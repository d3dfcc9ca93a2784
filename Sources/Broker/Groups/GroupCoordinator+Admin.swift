import KafkaProtocol

extension GroupCoordinator {
    /// A snapshot of one group for ListGroups/DescribeGroups (nil when unknown).
    struct GroupSummary {
        var groupId: String
        var state: GroupState
        var protocolType: String
        var protocolName: String
        var members: [GroupMember]
    }

    func summary(of groupId: String) -> GroupSummary? {
        groups.withLock { groups in
            guard let group = groups[groupId], group.state != .dead else { return nil }
            return GroupSummary(groupId: groupId, state: group.state, protocolType: group.protocolType ?? "",
                                protocolName: group.state == .stable ? group.protocolName ?? "" : "", members: group.orderedMembers)
        }
    }

    /// Every live group (with members, or Empty holding settings).
    var summaries: [GroupSummary] {
        let ids = groups.withLock { Array($0.keys) }
        return ids.sorted().compactMap(summary)
    }

    /// Marks a group Dead and forgets it, stored membership included (a tombstone); returns
    /// NON_EMPTY_GROUP while it has members.
    func delete(groupId: String) -> ErrorCode {
        groups.withLock { groups in
            guard let group = groups[groupId] else { return .none }
            guard group.members.isEmpty else { return .nonEmptyGroup }
            persistDeletion(of: groupId)
            groups[groupId] = nil
            return .none
        }
    }

    /// The OffsetCommit check for a group (kafka-protocol.md §5.6): nil when the commit may be
    /// stored, else the error for every partition. Refreshes the member's session.
    func validateCommit(groupId: String, generationId: Int32, memberId: String, instanceId: String?) -> ErrorCode? {
        let now = nowMillis
        return groups.withLock { groups -> ErrorCode? in
            guard var group = groups[groupId] else {
                // Standalone consumers and admin tools commit without a generation.
                if generationId < 0 {
                    var created = ConsumerGroup(groupId: groupId)
                    created.protocolType = ""
                    groups[groupId] = created
                    return nil
                }
                return .unknownMemberId
            }
            if group.state == .dead { return .coordinatorNotAvailable }
            if generationId < 0 && group.members.isEmpty { return nil }
            if let instanceId, let current = group.staticMembers[instanceId], current != memberId { return .fencedInstanceId }
            guard group.members[memberId] != nil else { return .unknownMemberId }
            guard generationId == group.generationId else { return .illegalGeneration }
            if group.state == .completingRebalance { return .rebalanceInProgress }
            group.members[memberId]?.lastHeardMillis = now
            groups[groupId] = group
            return nil
        }
    }
}
