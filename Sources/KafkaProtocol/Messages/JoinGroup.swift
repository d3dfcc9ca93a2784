/// JoinGroup (key 11) request, v0–9 (flexible from v6: request header v2, compact encodings, tag
/// sections).
///
/// Layout: `group_id`, `session_timeout_ms`, `rebalance_timeout_ms` (v1+), `member_id`,
/// `group_instance_id` (v5+, nullable), `protocol_type`, `protocols [name, metadata]`,
/// `reason` (v8+, nullable).
///
/// Wire traps and semantics:
/// - v0 has no rebalance timeout: the session timeout stands in for it
///   (`effectiveRebalanceTimeoutMs(version:)`). `rebalanceTimeoutMs` defaults to -1 (JSON).
/// - v4+ (KIP-394) two-step join: a dynamic member joining with an empty `memberId` gets
///   MEMBER_ID_REQUIRED (79) with its new member id, then re-sends JoinGroup with that id.
///   v0–3 members are created directly.
/// - v5+ (KIP-345) carries `groupInstanceId` (static membership, nil = dynamic member); static
///   members never get MEMBER_ID_REQUIRED.
/// - `protocols` are in the member's preference order; `metadata` is opaque to the broker.
public struct JoinGroupRequest: KafkaRequest, Equatable {
    public typealias Response = JoinGroupResponse
    public static let apiKey = ApiKey.joinGroup

    /// One protocol the member supports (JSON `JoinGroupRequestProtocol`).
    public struct ProtocolEntry: Sendable, Equatable {
        /// The protocol name, e.g. an assignor name such as "range".
        public var name: String
        /// The protocol metadata (opaque to the broker).
        public var metadata: [UInt8]

        public init(name: String = "", metadata: [UInt8] = []) {
            self.name = name
            self.metadata = metadata
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            name = try reader.readString("protocol name")
            metadata = try reader.readBytes("metadata")
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeBytes(metadata)
            writer.writeTaggedFields()
        }
    }

    public var groupId: String
    /// The member is considered dead if no heartbeat arrives within this many milliseconds.
    public var sessionTimeoutMs: Int32
    /// How long the coordinator waits for members to rejoin (v1+); -1 = not given.
    public var rebalanceTimeoutMs: Int32
    /// Empty for a member joining for the first time.
    public var memberId: String
    /// The static instance id (v5+); nil = dynamic member.
    public var groupInstanceId: String?
    /// The class of protocols, e.g. "consumer".
    public var protocolType: String
    /// Supported protocols in preference order.
    public var protocols: [ProtocolEntry]
    /// Why the member (re-)joins (v8+).
    public var reason: String?

    public init(groupId: String = "", sessionTimeoutMs: Int32 = 0, rebalanceTimeoutMs: Int32 = -1, memberId: String = "",
                groupInstanceId: String? = nil, protocolType: String = "", protocols: [ProtocolEntry] = [],
                reason: String? = nil) {
        self.groupId = groupId
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocols = protocols
        self.reason = reason
    }

    /// The rebalance timeout to apply for a request read at `version`: `rebalanceTimeoutMs` from
    /// v1, the session timeout in v0 (which has no rebalance timeout).
    public func effectiveRebalanceTimeoutMs(version: Int16) -> Int32 {
        version >= 1 ? rebalanceTimeoutMs : sessionTimeoutMs
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        groupId = try reader.readString("group_id")
        sessionTimeoutMs = try reader.readInt32()
        if version >= 1 { rebalanceTimeoutMs = try reader.readInt32() }
        memberId = try reader.readString("member_id")
        if version >= 5 { groupInstanceId = try reader.readNullableString("group_instance_id") }
        protocolType = try reader.readString("protocol_type")
        protocols = try reader.readArray("protocols") { (r: inout ProtocolReader) throws(ProtocolError) -> ProtocolEntry in
            try ProtocolEntry(from: &r, version: version)
        }
        if version >= 8 { reason = try reader.readNullableString("reason") }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeString(groupId)
        writer.writeInt32(sessionTimeoutMs)
        if version >= 1 { writer.writeInt32(rebalanceTimeoutMs) }
        writer.writeString(memberId)
        if version >= 5 { writer.writeNullableString(groupInstanceId) }
        writer.writeString(protocolType)
        writer.writeArray(protocols) { w, entry in entry.encode(to: &w, version: version) }
        if version >= 8 { writer.writeNullableString(reason) }
        writer.writeTaggedFields()
    }
}

/// JoinGroup (key 11) response, v0–9 (flexible from v6: response header v1).
///
/// Layout: `throttle_time_ms` (v2+), `error_code`, `generation_id`, `protocol_type` (v7+,
/// nullable), `protocol_name` (nullable from v7), `leader`, `skip_assignment` (v9+), `member_id`,
/// `members [member_id, group_instance_id (v5+, nullable), metadata]`.
///
/// Wire traps and semantics:
/// - `protocolName` is nullable only from v7; a `nil` name is written as `""` in v0–6 (as Kafka
///   does for error answers). `protocolType` first appears in v7 (KIP-559).
/// - MEMBER_ID_REQUIRED (79, v4+): `memberId` carries the newly assigned id, `generationId` -1,
///   empty `leader` and `members`.
/// - `members` is filled **for the leader only** (followers get an empty array); each entry holds
///   the member's metadata for the chosen protocol and, v5+, its `groupInstanceId`.
/// - `skipAssignment` (v9+) tells a returning static leader not to run the assignor.
public struct JoinGroupResponse: ProtocolMessage, Equatable {
    /// One group member, sent to the leader (JSON `JoinGroupResponseMember`).
    public struct Member: Sendable, Equatable {
        public var memberId: String
        /// v5+; nil = dynamic member.
        public var groupInstanceId: String?
        /// The member's metadata for the chosen protocol.
        public var metadata: [UInt8]

        public init(memberId: String = "", groupInstanceId: String? = nil, metadata: [UInt8] = []) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.metadata = metadata
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            memberId = try reader.readString("member_id")
            if version >= 5 { groupInstanceId = try reader.readNullableString("group_instance_id") }
            metadata = try reader.readBytes("metadata")
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(memberId)
            if version >= 5 { writer.writeNullableString(groupInstanceId) }
            writer.writeBytes(metadata)
            writer.writeTaggedFields()
        }
    }

    /// v2+.
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    /// The group's generation; -1 on errors and MEMBER_ID_REQUIRED.
    public var generationId: Int32
    /// v7+; nil = none.
    public var protocolType: String?
    /// The chosen protocol; nullable from v7 (written as `""` before).
    public var protocolName: String?
    /// The leader's member id.
    public var leader: String
    /// v9+: the leader must skip running the assignment.
    public var skipAssignment: Bool
    /// The receiver's member id.
    public var memberId: String
    /// Every member (leader only; empty for followers).
    public var members: [Member]

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, generationId: Int32 = -1, protocolType: String? = nil,
                protocolName: String? = nil, leader: String = "", skipAssignment: Bool = false, memberId: String = "",
                members: [Member] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.generationId = generationId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.leader = leader
        self.skipAssignment = skipAssignment
        self.memberId = memberId
        self.members = members
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 2 { throttleTimeMs = try reader.readInt32() }
        errorCode = ErrorCode(code: try reader.readInt16())
        generationId = try reader.readInt32()
        if version >= 7 { protocolType = try reader.readNullableString("protocol_type") }
        protocolName = version >= 7 ? try reader.readNullableString("protocol_name") : try reader.readString("protocol_name")
        leader = try reader.readString("leader")
        if version >= 9 { skipAssignment = try reader.readBool() }
        memberId = try reader.readString("member_id")
        members = try reader.readArray("members") { (r: inout ProtocolReader) throws(ProtocolError) -> Member in
            try Member(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 2 { writer.writeInt32(throttleTimeMs) }
        writer.writeInt16(errorCode.rawValue)
        writer.writeInt32(generationId)
        if version >= 7 { writer.writeNullableString(protocolType) }
        if version >= 7 { writer.writeNullableString(protocolName) } else { writer.writeString(protocolName ?? "") }
        writer.writeString(leader)
        if version >= 9 { writer.writeBool(skipAssignment) }
        writer.writeString(memberId)
        writer.writeArray(members) { w, member in member.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}
