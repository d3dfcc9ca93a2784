/// One member of a described group. A value type; `Sendable`.
public struct GroupMemberDescription: Sendable, Equatable {
    /// The member id the coordinator assigned.
    public var memberId: String
    /// The static-membership instance id; nil for dynamic members.
    public var groupInstanceId: String?
    /// The client id the member's requests carry.
    public var clientId: String
    /// The member's host as the coordinator saw it (e.g. `/127.0.0.1`).
    public var host: String
    /// The partitions assigned to the member, sorted; empty unless the group is Stable and uses
    /// the `consumer` protocol type.
    public var assignment: [TopicPartition]
    /// The raw assignment bytes (the consumer protocol's Assignment, or opaque for other types).
    public var rawAssignment: [UInt8]

    /// A member description.
    public init(memberId: String, groupInstanceId: String?, clientId: String, host: String,
                assignment: [TopicPartition], rawAssignment: [UInt8] = []) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.host = host
        self.assignment = assignment
        self.rawAssignment = rawAssignment
    }
}
