// Helpers on generated message types that the spec format cannot express (named constants and
// version-dependent readings of fields).

extension ListOffsetsRequest {
    /// Special `timestamp` values.
    public static let latestTimestamp: Int64 = -1
    public static let earliestTimestamp: Int64 = -2
    public static let maxTimestamp: Int64 = -3
}

extension MetadataRequest {
    /// Whether this request, read at `version`, asks for every topic (null array in v1+, empty
    /// array in v0).
    public func requestsAllTopics(version: Int16) -> Bool {
        guard let topics else { return true }
        return version == 0 && topics.isEmpty
    }
}

extension FindCoordinatorRequest {
    /// `keyType` values.
    public static let groupKeyType: Int8 = 0
    public static let transactionKeyType: Int8 = 1
    /// A share-partition key (`group:topicId:partition`) for the share coordinator (v6+, KIP-932).
    public static let shareKeyType: Int8 = 2

    /// The keys this request, read at `version`, asks about: `[key]` in v0–3, `coordinatorKeys`
    /// from v4.
    public func requestedKeys(version: Int16) -> [String] {
        version >= 4 ? coordinatorKeys : [key]
    }
}

extension JoinGroupRequest {
    /// The rebalance timeout to apply for a request read at `version`: `rebalanceTimeoutMs` from
    /// v1, the session timeout in v0 (which has no rebalance timeout).
    public func effectiveRebalanceTimeoutMs(version: Int16) -> Int32 {
        version >= 1 ? rebalanceTimeoutMs : sessionTimeoutMs
    }
}

extension LeaveGroupRequest {
    /// The members this request, read at `version`, removes: `[MemberIdentity(memberId:)]` in
    /// v0–2, `members` from v3.
    public func leavingMembers(version: Int16) -> [MemberIdentity] {
        version >= 3 ? members : [MemberIdentity(memberId: memberId)]
    }
}
