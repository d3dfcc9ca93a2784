import KafkaProtocol

extension KafkaAdmin {
    /// Every offset the group has committed (OffsetFetch with all topics, v2+), by partition.
    /// Partitions without a commit are absent; an unknown group yields an empty result.
    public func committedOffsets(group groupId: String) throws(KafkaClientError) -> [TopicPartition: Int64] {
        guard !groupId.isEmpty else { throw .invalidArgument("the group id must not be empty") }
        return try cluster.withRetries("OffsetFetch \(groupId)") { () throws(KafkaClientError) -> [TopicPartition: Int64] in
            let connection = try cluster.coordinator(group: groupId, purpose: Self.purpose)
            let version = try negotiatedVersion(.offsetFetch, on: connection)
            guard version >= 2 else {
                throw .unsupported(.offsetFetch, reason: "listing every committed offset needs OffsetFetch v2, the coordinator allows v\(version)")
            }
            let response = try connection.send(OffsetFetchRequest(groupId: groupId, topics: nil), version: version).0
            guard response.errorCode == .none else {
                throw .broker(response.errorCode, context: "fetch committed offsets of group \(groupId)")
            }
            var offsets: [TopicPartition: Int64] = [:]
            for topic in response.topics {
                for partition in topic.partitions {
                    let key = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                    guard partition.errorCode == .none else {
                        throw .broker(partition.errorCode, context: "fetch committed offset of group \(groupId) for \(key)")
                    }
                    if partition.committedOffset >= 0 { offsets[key] = partition.committedOffset }
                }
            }
            return offsets
        }
    }

    /// The group's lag on every partition it has committed offsets for or has assigned, sorted
    /// by topic and partition (see `PartitionLag` for how lag is defined). High watermarks and
    /// log start offsets come from ListOffsets; owners from DescribeGroups (ConsumerGroupDescribe
    /// for a group of the consumer protocol).
    public func lag(group groupId: String) throws(KafkaClientError) -> [PartitionLag] {
        var owners: [TopicPartition: (memberId: String, clientId: String, host: String)] = [:]
        switch try describeEitherProtocol(groupId) {
        case .classic(let description):
            for member in description.members {
                for partition in member.assignment { owners[partition] = (member.memberId, member.clientId, member.host) }
            }
        case .consumer(let description):
            for member in description.members {
                for partition in member.assignment { owners[partition] = (member.memberId, member.clientId, member.host) }
            }
        }
        let committed = try committedOffsets(group: groupId)
        let partitions = Set(committed.keys).union(owners.keys)
        guard !partitions.isEmpty else { return [] }
        let latest = try offsets(partitions, spec: .latest, skippingUnknown: true)
        let earliest = try offsets(partitions, spec: .earliest, skippingUnknown: true)
        return partitions.sorted().map { partition in
            let owner = owners[partition]
            return PartitionLag(topic: partition.topic, partition: partition.partition,
                                committedOffset: committed[partition] ?? -1,
                                logStartOffset: earliest[partition]?.offset ?? -1,
                                highWatermark: latest[partition]?.offset ?? -1,
                                memberId: owner?.memberId, clientId: owner?.clientId, host: owner?.host)
        }
    }

    /// Sets the group's committed offsets (OffsetCommit as a non-member: generation −1, empty
    /// member id). Only for inactive groups: the group must be Empty (or not exist yet).
    ///
    /// - Throws: `.broker(.nonEmptyGroup, ...)` when the group has members (checked with
    ///   DescribeGroups, or ConsumerGroupDescribe for a consumer-protocol group, first), `.unknownTopic` / `.unknownPartition` for partitions that do not
    ///   exist, `.invalidArgument` for a negative offset.
    public func resetOffsets(group groupId: String, to offsets: [TopicPartition: Int64]) throws(KafkaClientError) {
        guard !groupId.isEmpty else { throw .invalidArgument("the group id must not be empty") }
        guard !offsets.isEmpty else { return }
        if let (partition, offset) = offsets.first(where: { $0.value < 0 }) {
            throw .invalidArgument("the offset for \(partition) must be 0 or more, got \(offset)")
        }
        let (state, memberCount): (String, Int) = switch try describeEitherProtocol(groupId) {
        case .classic(let description): (description.state == .empty || description.state == .dead ? "" : "\(description.state)", description.members.count)
        case .consumer(let description): (description.members.isEmpty ? "" : description.state, description.members.count)
        }
        guard state.isEmpty else {
            throw .broker(.nonEmptyGroup, context: "cannot reset the offsets of group \(groupId) while it is \(state) with \(memberCount) member(s); stop its consumers first")
        }
        let topics = try cluster.withRetries("Metadata") { () throws(KafkaClientError) in
            try cluster.refreshMetadata(topics: Set(offsets.keys.map(\.topic)).sorted())
        }
        var byTopic: [String: [OffsetCommitRequest.Partition]] = [:]
        for (partition, offset) in offsets.sorted(by: { $0.key < $1.key }) {
            guard let info = topics[partition.topic] else { throw .unknownTopic(partition.topic) }
            guard partition.partition >= 0, partition.partition < info.partitionCount else {
                throw .unknownPartition(topic: partition.topic, partition: partition.partition)
            }
            byTopic[partition.topic, default: []].append(.init(partitionIndex: partition.partition, committedOffset: offset, committedMetadata: ""))
        }
        let request = OffsetCommitRequest(groupId: groupId, generationIdOrMemberEpoch: -1, memberId: "",
                                          topics: byTopic.sorted { $0.key < $1.key }.map { .init(name: $0.key, partitions: $0.value) })
        try cluster.withRetries("OffsetCommit \(groupId)") { () throws(KafkaClientError) in
            let connection = try cluster.coordinator(group: groupId, purpose: Self.purpose)
            let response = try connection.send(request).0
            var failure: KafkaClientError?
            for topic in response.topics {
                for answer in topic.partitions where answer.errorCode != .none {
                    let partition = TopicPartition(topic: topic.name, partition: answer.partitionIndex)
                    let context = switch answer.errorCode {
                    case .unknownMemberId, .illegalGeneration:
                        "reset offset of group \(groupId) for \(partition): the group got members meanwhile"
                    default:
                        "reset offset of group \(groupId) for \(partition)"
                    }
                    failure = Self.worse(failure, .broker(answer.errorCode, context: context))
                }
            }
            if let failure { throw failure }
        }
    }
}

extension KafkaAdmin {
    /// A group described by the API of its protocol.
    enum EitherGroupDescription {
        case classic(GroupDescription)
        case consumer(ConsumerGroupDescription)
    }

    /// DescribeGroups, and ConsumerGroupDescribe when the coordinator answers GROUP_ID_NOT_FOUND
    /// because the group uses the consumer protocol (KIP-848), which DescribeGroups does not
    /// describe. An unknown group comes back as a classic `.dead` one.
    func describeEitherProtocol(_ groupId: String) throws(KafkaClientError) -> EitherGroupDescription {
        do {
            return .classic(try describeGroup(groupId))
        } catch {
            guard case .broker(.groupIdNotFound, _) = error else { throw error }
            return .consumer(try describeConsumerGroup(groupId))
        }
    }
}
