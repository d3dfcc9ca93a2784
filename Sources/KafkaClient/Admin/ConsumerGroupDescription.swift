/// A consumer group of the consumer protocol (KIP-848) as ConsumerGroupDescribe reports it. A
/// plain value; `Sendable`.
public struct ConsumerGroupDescription: Sendable, Equatable {
    /// One member. A value type; `Sendable`.
    public struct Member: Sendable, Equatable {
        /// The member id (chosen by the client).
        public var memberId: String
        /// The static member's instance id, if any.
        public var instanceId: String?
        /// The member's current epoch.
        public var memberEpoch: Int32
        /// The client id the member connects with.
        public var clientId: String
        /// The member's host as the coordinator saw it (e.g. "/127.0.0.1").
        public var host: String
        /// The topics the member subscribed to by name.
        public var subscribedTopics: [String]
        /// The member's topic regular expression, if it subscribed with one.
        public var subscribedTopicRegex: String?
        /// The partitions the member owns now, sorted.
        public var assignment: [TopicPartition]
        /// The partitions the broker's assignor intends it to own, sorted (differs from
        /// `assignment` while the member reconciles).
        public var targetAssignment: [TopicPartition]

        /// A member with every field given (tests and tools build these; the admin client
        /// decodes them from ConsumerGroupDescribe).
        public init(memberId: String, instanceId: String?, memberEpoch: Int32, clientId: String, host: String, subscribedTopics: [String],
                    subscribedTopicRegex: String?, assignment: [TopicPartition], targetAssignment: [TopicPartition]) {
            self.memberId = memberId
            self.instanceId = instanceId
            self.memberEpoch = memberEpoch
            self.clientId = clientId
            self.host = host
            self.subscribedTopics = subscribedTopics
            self.subscribedTopicRegex = subscribedTopicRegex
            self.assignment = assignment
            self.targetAssignment = targetAssignment
        }
    }

    /// The group id.
    public var groupId: String
    /// The state name as the coordinator sends it (`Empty`, `Assigning`, `Reconciling`, `Stable`).
    public var state: String
    /// The group epoch (bumped by every membership or subscription change).
    public var groupEpoch: Int32
    /// The epoch of the target assignment.
    public var assignmentEpoch: Int32
    /// The broker-side assignor's name (`uniform`, `range`).
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
