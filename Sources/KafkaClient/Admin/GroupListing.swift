/// One group as ListGroups reports it. A value type; `Sendable`.
public struct GroupListing: Sendable, Equatable {
    /// The group id.
    public var groupId: String
    /// `consumer` for consumer groups, `share` for share groups, empty for groups that only hold committed offsets.
    public var protocolType: String
    /// The group's state; nil when the broker does not report states (ListGroups < v4).
    public var state: GroupState?
    /// `classic`, `consumer` or `share` (ListGroups v5); empty when the broker does not say.
    public var groupType: String

    /// A group listing.
    public init(groupId: String, protocolType: String, state: GroupState?, groupType: String = "") {
        self.groupId = groupId
        self.protocolType = protocolType
        self.state = state
        self.groupType = groupType
    }

    /// Whether this is a share group (KIP-932).
    public var isShareGroup: Bool { groupType == "share" || protocolType == "share" }
}
