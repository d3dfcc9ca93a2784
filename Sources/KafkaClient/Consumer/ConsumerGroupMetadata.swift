/// A consumer's group membership as a transactional producer needs it for
/// `KafkaProducer.sendOffsetsToTransaction(_:groupMetadata:)` (KIP-447): the group coordinator
/// rejects the offsets of a member that has been fenced by a rebalance. A value type.
public struct ConsumerGroupMetadata: Sendable, Equatable {
    /// The consumer group.
    public var groupId: String
    /// The generation of the member's last join (−1: not checked).
    public var generationId: Int32
    /// The member id ("" : not checked).
    public var memberId: String
    /// The static member id, if any.
    public var groupInstanceId: String?

    /// Group metadata; without a generation and member id the coordinator checks neither.
    public init(groupId: String, generationId: Int32 = -1, memberId: String = "", groupInstanceId: String? = nil) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }
}

extension KafkaConsumer {
    /// The consumer's current group membership (nil without a `groupId`), to pass to
    /// `KafkaProducer.sendOffsetsToTransaction(_:groupMetadata:)`.
    public var groupMetadata: ConsumerGroupMetadata? {
        guard let groupId = config.groupId else { return nil }
        return state.withLock { state in
            ConsumerGroupMetadata(groupId: groupId, generationId: state.generationId, memberId: state.memberId,
                                  groupInstanceId: config.groupInstanceId)
        }
    }
}
