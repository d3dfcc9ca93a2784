/// One group member as the group leader's assignor sees it: its ids and subscribed topics.
/// A plain value; `Sendable`.
public struct GroupMemberSubscription: Sendable, Equatable {
    /// The member id the coordinator gave the member.
    public var memberId: String
    /// The member's static instance id (KIP-345), nil for a dynamic member.
    public var groupInstanceId: String?
    /// The topics the member subscribed to.
    public var topics: [String]

    /// A member subscribed to `topics`.
    public init(memberId: String, groupInstanceId: String? = nil, topics: [String]) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.topics = topics
    }

    /// Kafka's member order (Java `MemberInfo.compareTo`): static members first, by instance id;
    /// then dynamic members by member id.
    public static func kafkaOrder(_ lhs: GroupMemberSubscription, _ rhs: GroupMemberSubscription) -> Bool {
        switch (lhs.groupInstanceId, rhs.groupInstanceId) {
        case let (left?, right?): left != right ? left < right : lhs.memberId < rhs.memberId
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): lhs.memberId < rhs.memberId
        }
    }

    /// `members` without repeated member ids (the first entry wins), in Kafka's member order.
    static func normalized(_ members: [GroupMemberSubscription]) -> [GroupMemberSubscription] {
        var seen: Set<String> = []
        return members.filter { seen.insert($0.memberId).inserted }.sorted(by: kafkaOrder)
    }
}
