/// LeaveGroup (key 13) request, v0–5 (flexible from v4: request header v2, compact encodings, tag
/// sections).
///
/// Layout: `group_id`, then `member_id` (v0–2) **or** `members [member_id, group_instance_id
/// (nullable), reason (v5+, nullable)]` (v3+).
///
/// Wire trap: v0–2 remove a single member (`memberId`); v3+ (KIP-345) are batched and identify
/// each leaving member by `memberId` and/or `groupInstanceId` (an admin removing a static member
/// may send an empty member id). `memberId` is only read and written in v0–2, `members` only in
/// v3+; `leavingMembers(version:)` gives the list independently of the version.
public struct LeaveGroupRequest: KafkaRequest, Equatable {
    public typealias Response = LeaveGroupResponse
    public static let apiKey = ApiKey.leaveGroup

    /// One leaving member (v3+, JSON `MemberIdentity`).
    public struct MemberIdentity: Sendable, Equatable {
        public var memberId: String
        /// nil = not a static member.
        public var groupInstanceId: String?
        /// Why the member leaves (v5+).
        public var reason: String?

        public init(memberId: String = "", groupInstanceId: String? = nil, reason: String? = nil) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.reason = reason
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            memberId = try reader.readString("member_id")
            groupInstanceId = try reader.readNullableString("group_instance_id")
            if version >= 5 { reason = try reader.readNullableString("reason") }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(memberId)
            writer.writeNullableString(groupInstanceId)
            if version >= 5 { writer.writeNullableString(reason) }
            writer.writeTaggedFields()
        }
    }

    public var groupId: String
    /// The single leaving member (v0–2).
    public var memberId: String
    /// The leaving members (v3+).
    public var members: [MemberIdentity]

    public init(groupId: String = "", memberId: String = "", members: [MemberIdentity] = []) {
        self.groupId = groupId
        self.memberId = memberId
        self.members = members
    }

    /// The members this request, read at `version`, removes: `[MemberIdentity(memberId:)]` in
    /// v0–2, `members` from v3.
    public func leavingMembers(version: Int16) -> [MemberIdentity] {
        version >= 3 ? members : [MemberIdentity(memberId: memberId)]
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        groupId = try reader.readString("group_id")
        if version <= 2 {
            memberId = try reader.readString("member_id")
        } else {
            members = try reader.readArray("members") { (r: inout ProtocolReader) throws(ProtocolError) -> MemberIdentity in
                try MemberIdentity(from: &r, version: version)
            }
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeString(groupId)
        if version <= 2 {
            writer.writeString(memberId)
        } else {
            writer.writeArray(members) { w, member in member.encode(to: &w, version: version) }
        }
        writer.writeTaggedFields()
    }
}

/// LeaveGroup (key 13) response, v0–5 (flexible from v4: response header v1).
///
/// Layout: `throttle_time_ms` (v1+), `error_code`, `members [member_id, group_instance_id
/// (nullable), error_code]` (v3+).
///
/// v3+ answer per member (unknown member → UNKNOWN_MEMBER_ID 25) in `members`; the top-level
/// `errorCode` is for group-level failures (e.g. NOT_COORDINATOR).
public struct LeaveGroupResponse: ProtocolMessage, Equatable {
    /// One leaving member's result (v3+, JSON `MemberResponse`).
    public struct MemberResponse: Sendable, Equatable {
        public var memberId: String
        /// nil = not a static member.
        public var groupInstanceId: String?
        public var errorCode: ErrorCode

        public init(memberId: String = "", groupInstanceId: String? = nil, errorCode: ErrorCode = .none) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.errorCode = errorCode
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            memberId = try reader.readString("member_id")
            groupInstanceId = try reader.readNullableString("group_instance_id")
            errorCode = ErrorCode(code: try reader.readInt16())
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(memberId)
            writer.writeNullableString(groupInstanceId)
            writer.writeInt16(errorCode.rawValue)
            writer.writeTaggedFields()
        }
    }

    /// v1+.
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    /// Per-member results (v3+).
    public var members: [MemberResponse]

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, members: [MemberResponse] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.members = members
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 1 { throttleTimeMs = try reader.readInt32() }
        errorCode = ErrorCode(code: try reader.readInt16())
        if version >= 3 {
            members = try reader.readArray("members") { (r: inout ProtocolReader) throws(ProtocolError) -> MemberResponse in
                try MemberResponse(from: &r, version: version)
            }
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeInt16(errorCode.rawValue)
        if version >= 3 { writer.writeArray(members) { w, member in member.encode(to: &w, version: version) } }
        writer.writeTaggedFields()
    }
}
