import KafkaProtocol

extension GroupCoordinator {
    /// Whether OffsetDelete may touch a group's offsets, per Kafka's
    /// `ClassicGroup.validateOffsetDelete` and `isSubscribedToTopic`.
    enum OffsetDeleteVerdict: Equatable {
        /// The coordinator holds no such group (it may still have committed offsets only).
        case unknown
        /// The whole request fails with this error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP).
        case refused(ErrorCode)
        /// Offsets may be deleted except for these (of the asked) topics' partitions, which
        /// answer GROUP_SUBSCRIBED_TO_TOPIC.
        case allowed(subscribed: Set<String>)
    }

    /// The verdict for `groupId` at this moment, for the topics in `topics`.
    func offsetDeleteVerdict(groupId: String, topics: [String]) -> OffsetDeleteVerdict {
        groups.withLock { groups in
            guard let group = groups[groupId] else { return .unknown }
            switch group.state {
            case .dead:
                return .refused(.groupIdNotFound)
            case .stable, .preparingRebalance, .completingRebalance:
                if group.protocolType != ConsumerGroup.consumerProtocolType { return .refused(.nonEmptyGroup) }
            case .empty:
                break
            }
            return .allowed(subscribed: Set(topics.filter { group.isSubscribed(to: $0) }))
        }
    }
}
