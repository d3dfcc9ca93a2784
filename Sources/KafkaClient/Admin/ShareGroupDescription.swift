/// A share group (KIP-932) as ShareGroupDescribe reports it. A plain value; `Sendable`.
public struct ShareGroupDescription: Sendable, Equatable {
    /// One member of a share group. A value type; `Sendable`.
    public struct Member: Sendable, Equatable {
        /// The member id (chosen by the client).
        public var memberId: String
        /// The member's current epoch.
        public var memberEpoch: Int32
        /// The client id the member connects with.
        public var clientId: String
        /// The member's host as the coordinator saw it (e.g. "/127.0.0.1").
        public var host: String
        /// The topics the member subscribed to.
        public var subscribedTopics: [String]
        /// The partitions assigned to the member, sorted.
        public var assignment: [TopicPartition]

        /// A member with every field given.
        public init(memberId: String, memberEpoch: Int32, clientId: String, host: String, subscribedTopics: [String], assignment: [TopicPartition]) {
            self.memberId = memberId
            self.memberEpoch = memberEpoch
            self.clientId = clientId
            self.host = host
            self.subscribedTopics = subscribedTopics
            self.assignment = assignment
        }
    }

    /// The group id.
    public var groupId: String
    /// The state name as the coordinator sends it (`Empty`, `Stable`, `Dead`).
    public var state: String
    /// The group epoch (bumped by every membership or subscription change).
    public var groupEpoch: Int32
    /// The epoch of the current assignment.
    public var assignmentEpoch: Int32
    /// The broker-side assignor's name.
    public var assignor: String
    /// The members, by member id.
    public var members: [Member]

    /// A description with every field given.
    public init(groupId: String, state: String, groupEpoch: Int32, assignmentEpoch: Int32, assignor: String, members: [Member]) {
        self.groupId = groupId
        self.state = state
        self.groupEpoch = groupEpoch
        self.assignmentEpoch = assignmentEpoch
        self.assignor = assignor
        self.members = members
    }
}
