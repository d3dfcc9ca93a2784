import KafkaProtocol

/// The classic group states (kafka-protocol.md §5.1); the raw values are the names ListGroups
/// and DescribeGroups report.
enum GroupState: String, Sendable {
    case empty = "Empty"
    case preparingRebalance = "PreparingRebalance"
    case completingRebalance = "CompletingRebalance"
    case stable = "Stable"
    case dead = "Dead"
}

/// One member of a group, as the coordinator tracks it.
struct GroupMember {
    var memberId: String
    var groupInstanceId: String?
    var clientId: String
    var clientHost: String
    var sessionTimeoutMs: Int32
    var rebalanceTimeoutMs: Int32
    /// Supported protocols in the member's preference order, with its metadata for each.
    var protocols: [(name: String, metadata: [UInt8])]
    var assignment: [UInt8] = []
    /// Monotonic ms when the member was last heard from (join, sync, heartbeat, commit).
    var lastHeardMillis: Int64
    /// A JoinGroup waiting for the join phase to end.
    var pendingJoin: ReplySlot<JoinGroupResponse>?
    /// The version of that JoinGroup (the answer's layout depends on it).
    var pendingJoinVersion: Int16 = 0
    /// A SyncGroup waiting for the leader's assignment.
    var pendingSync: ReplySlot<SyncGroupResponse>?

    func metadata(for protocolName: String) -> [UInt8] {
        protocols.first { $0.name == protocolName }?.metadata ?? []
    }

    func hasSameProtocols(as other: [(name: String, metadata: [UInt8])]) -> Bool {
        protocols.count == other.count && zip(protocols, other).allSatisfy { $0.name == $1.name && $0.metadata == $1.metadata }
    }
}

/// A consumer group's membership and rebalance state (its committed offsets live in
/// `OffsetStore`). A value guarded by the coordinator's lock.
struct ConsumerGroup {
    let groupId: String
    var state: GroupState = .empty
    var generationId: Int32 = 0
    var protocolType: String?
    var protocolName: String?
    var leaderId: String?
    /// Members by id, and their join order (the first rejoined member becomes leader when the
    /// old leader is gone).
    var members: [String: GroupMember] = [:]
    var joinOrder: [String] = []
    /// KIP-394 member ids handed out with MEMBER_ID_REQUIRED, with their expiry (monotonic ms).
    var pendingMemberIds: [String: Int64] = [:]
    /// Static instance id → current member id.
    var staticMembers: [String: String] = [:]
    /// When the current join or sync phase gives up waiting (monotonic ms).
    var phaseDeadlineMillis: Int64 = 0
    /// While the group fills from empty, joins wait at least until this (initial rebalance delay).
    var initialDelayUntilMillis: Int64 = 0
    /// The topics the members of the current generation subscribed to (Kafka's
    /// `ClassicGroup.subscribedTopics`): recomputed when a generation starts; nil when unknown
    /// (not a consumer-protocol group, no generation yet, or unreadable metadata).
    var subscribedTopics: Set<String>?

    init(groupId: String) { self.groupId = groupId }

    var orderedMembers: [GroupMember] { joinOrder.compactMap { members[$0] } }

    mutating func add(_ member: GroupMember) {
        if members[member.memberId] == nil { joinOrder.append(member.memberId) }
        members[member.memberId] = member
        if let instance = member.groupInstanceId { staticMembers[instance] = member.memberId }
    }

    /// Removes a member and returns it (its parked requests are the caller's to answer).
    @discardableResult
    mutating func remove(_ memberId: String) -> GroupMember? {
        guard let member = members.removeValue(forKey: memberId) else { return nil }
        joinOrder.removeAll { $0 == memberId }
        if let instance = member.groupInstanceId, staticMembers[instance] == memberId { staticMembers[instance] = nil }
        if leaderId == memberId { leaderId = nil }
        return member
    }

    /// The protocol every member supports that gets the most first-choice votes (ties: the one
    /// listed first by the earliest member); nil when the members share none.
    func selectProtocol() -> String? {
        let all = orderedMembers
        guard let first = all.first else { return nil }
        let common = first.protocols.map(\.name).filter { name in all.allSatisfy { $0.protocols.contains { $0.name == name } } }
        guard !common.isEmpty else { return nil }
        var votes: [String: Int] = [:]
        for member in all {
            if let choice = member.protocols.first(where: { common.contains($0.name) })?.name { votes[choice, default: 0] += 1 }
        }
        var best = common[0]
        for name in common where (votes[name] ?? 0) > (votes[best] ?? 0) { best = name }
        return best
    }

    /// Whether OffsetDelete must refuse the topic (Kafka's `ClassicGroup.isSubscribedToTopic`):
    /// the current generation's subscriptions when known, else any consumer-protocol group is
    /// assumed to consume it.
    func isSubscribed(to topic: String) -> Bool {
        subscribedTopics.map { $0.contains(topic) } ?? (protocolType == Self.consumerProtocolType)
    }

    /// The protocol type of Kafka consumers (whose metadata is a consumer-protocol Subscription).
    static let consumerProtocolType = "consumer"

    /// The members' subscribed topics (Kafka's `ClassicGroup.computeSubscribedTopics`): empty
    /// for a consumer group without members; nil for other protocol types, before a protocol
    /// was chosen, or when any member's metadata cannot be read.
    func computeSubscribedTopics() -> Set<String>? {
        guard protocolType == Self.consumerProtocolType else { return nil }
        if members.isEmpty { return [] }
        guard let protocolName else { return nil }
        var topics = Set<String>()
        for member in members.values {
            guard let subscribed = ConsumerSubscriptionTopics.decode(member.metadata(for: protocolName)) else { return nil }
            topics.formUnion(subscribed)
        }
        return topics
    }

    /// Whether a joining member's protocols fit the group (same type, a common protocol name).
    func accepts(protocolType: String, protocols: [String]) -> Bool {
        guard !protocolType.isEmpty, !protocols.isEmpty else { return false }
        if members.isEmpty { return true }
        guard self.protocolType == nil || self.protocolType == protocolType else { return false }
        return protocols.contains { name in members.values.allSatisfy { $0.protocols.contains { $0.name == name } } }
    }
}
