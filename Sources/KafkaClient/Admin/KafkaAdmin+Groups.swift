import KafkaProtocol

extension KafkaAdmin {
    /// Every group known to any broker (ListGroups to each broker), sorted by id. Offset-only
    /// groups (committed offsets, no members) are included with an empty protocol type.
    public func listGroups() throws(KafkaClientError) -> [GroupListing] {
        try cluster.withRetries("ListGroups") { () throws(KafkaClientError) -> [GroupListing] in
            try cluster.refreshMetadata(topics: [])
            var groups: [String: GroupListing] = [:]
            for broker in cluster.brokers {
                let connection = try cluster.connection(node: broker.nodeId, purpose: Self.purpose)
                let (response, version) = try connection.send(ListGroupsRequest())
                guard response.errorCode == .none else {
                    throw .broker(response.errorCode, context: "ListGroups on broker \(broker.nodeId)")
                }
                for group in response.groups {
                    groups[group.groupId] = GroupListing(groupId: group.groupId, protocolType: group.protocolType,
                                                         state: version >= 4 ? GroupState(name: group.groupState) : nil,
                                                         groupType: version >= 5 ? group.groupType : "")
                }
            }
            return groups.values.sorted { $0.groupId < $1.groupId }
        }
    }

    /// A group's state, protocol and members with their decoded assignments (DescribeGroups to
    /// the group's coordinator). A group that does not exist is reported in state `.dead` with
    /// no members, as the broker answers it.
    public func describeGroup(_ groupId: String) throws(KafkaClientError) -> GroupDescription {
        guard !groupId.isEmpty else { throw .invalidArgument("the group id must not be empty") }
        return try cluster.withRetries("DescribeGroups \(groupId)") { () throws(KafkaClientError) -> GroupDescription in
            let connection = try cluster.coordinator(group: groupId, purpose: Self.purpose)
            let response = try connection.send(DescribeGroupsRequest(groups: [groupId])).0
            guard let group = response.groups.first(where: { $0.groupId == groupId }) ?? (response.groups.count == 1 ? response.groups.first : nil) else {
                throw .connection(address: connection.address.description, reason: "DescribeGroups answer does not mention group \(groupId)")
            }
            guard group.errorCode == .none else { throw .broker(group.errorCode, context: "describe group \(groupId)") }
            let isConsumer = group.protocolType == "consumer"
            let members = group.members.map { member in
                GroupMemberDescription(
                    memberId: member.memberId, groupInstanceId: member.groupInstanceId, clientId: member.clientId, host: member.clientHost,
                    assignment: isConsumer ? GroupDescription.decodeConsumerAssignment(member.memberAssignment) ?? [] : [],
                    rawAssignment: member.memberAssignment)
            }
            return GroupDescription(groupId: groupId, state: GroupState(name: group.groupState), protocolType: group.protocolType,
                                    protocolName: group.protocolData, members: members)
        }
    }

    /// Deletes groups with their committed offsets (DeleteGroups to each group's coordinator).
    ///
    /// - Returns: for each requested id, nil on success or the failure, e.g.
    ///   `.broker(.groupIdNotFound, ...)` for an unknown group and `.broker(.nonEmptyGroup, ...)`
    ///   for one that still has members.
    /// - Throws: only `.closed` when the client is closed; every other failure is per group.
    public func deleteGroups(_ groupIds: [String]) throws(KafkaClientError) -> [String: KafkaClientError?] {
        var results: [String: KafkaClientError?] = [:]
        for groupId in Set(groupIds).sorted() {
            do {
                try deleteGroup(groupId)
                results.updateValue(KafkaClientError?.none, forKey: groupId)
            } catch {
                if error == .closed { throw error }
                results.updateValue(error, forKey: groupId)
            }
        }
        return results
    }

    private func deleteGroup(_ groupId: String) throws(KafkaClientError) {
        guard !groupId.isEmpty else { throw .invalidArgument("the group id must not be empty") }
        try cluster.withRetries("DeleteGroups \(groupId)") { () throws(KafkaClientError) in
            let connection = try cluster.coordinator(group: groupId, purpose: Self.purpose)
            let response = try connection.send(DeleteGroupsRequest(groupsNames: [groupId])).0
            guard let result = response.results.first(where: { $0.groupId == groupId }) ?? (response.results.count == 1 ? response.results.first : nil) else {
                throw .connection(address: connection.address.description, reason: "DeleteGroups answer does not mention group \(groupId)")
            }
            guard result.errorCode == .none else { throw .broker(result.errorCode, context: "delete group \(groupId)") }
        }
    }
}
