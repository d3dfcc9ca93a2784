/// One group as ListGroups reports it.
public struct GroupListing: Sendable, Equatable {
    /// The group id.
    public var groupId: String
    /// `consumer` for consumer groups, empty for groups that only hold committed offsets.
    public var protocolType: String
    /// The group's state; nil when the broker does not report states (ListGroups < v4).
    public var state: GroupState?

    /// A group listing.
    public init(groupId: String, protocolType: String, state: GroupState?) {
        self.groupId = groupId
        self.protocolType = protocolType
        self.state = state
    }
}
