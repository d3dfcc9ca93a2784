/// DescribeGroups (key 15) request, v0–5 (flexible from v5: request header v2, compact
/// encodings, tag sections).
///
/// Layout: `groups [STRING]`, `include_authorized_operations` (v3+).
public struct DescribeGroupsRequest: KafkaRequest, Equatable {
    public typealias Response = DescribeGroupsResponse
    public static let apiKey = ApiKey.describeGroups

    /// The group ids to describe.
    public var groups: [String]
    /// v3+.
    public var includeAuthorizedOperations: Bool

    public init(groups: [String] = [], includeAuthorizedOperations: Bool = false) {
        self.groups = groups
        self.includeAuthorizedOperations = includeAuthorizedOperations
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        groups = try reader.readArray("groups") { (r: inout ProtocolReader) throws(ProtocolError) -> String in
            try r.readString("groups")
        }
        if version >= 3 { includeAuthorizedOperations = try reader.readBool() }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeArray(groups) { w, group in w.writeString(group) }
        if version >= 3 { writer.writeBool(includeAuthorizedOperations) }
        writer.writeTaggedFields()
    }
}

/// DescribeGroups (key 15) response, v0–5 (flexible from v5: response header v1).
///
/// Layout: `throttle_time_ms` (v1+, first), `groups [error_code, group_id, group_state,
/// protocol_type, protocol_data, members [member_id, group_instance_id (v4+, nullable),
/// client_id, client_host, member_metadata BYTES, member_assignment BYTES],
/// authorized_operations (v3+)]`.
///
/// Wire traps: `authorized_operations` (v3+) is the **last** field of each group, after the
/// members array, and defaults to `Int32.min` ("not requested"); `protocol_data` carries the
/// chosen protocol *name* (e.g. "range"), not bytes. An unknown group is error 0 with state `Dead`.
public struct DescribeGroupsResponse: ProtocolMessage, Equatable {
    /// One member (JSON `DescribedGroupMember`).
    public struct DescribedGroupMember: Sendable, Equatable {
        public var memberId: String
        /// v4+; nil = dynamic member.
        public var groupInstanceId: String?
        public var clientId: String
        public var clientHost: String
        /// The member's protocol metadata (filled only in Stable).
        public var memberMetadata: [UInt8]
        /// The member's assignment (filled only in Stable).
        public var memberAssignment: [UInt8]

        public init(memberId: String = "", groupInstanceId: String? = nil, clientId: String = "", clientHost: String = "",
                    memberMetadata: [UInt8] = [], memberAssignment: [UInt8] = []) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.clientId = clientId
            self.clientHost = clientHost
            self.memberMetadata = memberMetadata
            self.memberAssignment = memberAssignment
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            memberId = try reader.readString("member_id")
            if version >= 4 { groupInstanceId = try reader.readNullableString("group_instance_id") }
            clientId = try reader.readString("client_id")
            clientHost = try reader.readString("client_host")
            memberMetadata = try reader.readBytes("member_metadata")
            memberAssignment = try reader.readBytes("member_assignment")
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(memberId)
            if version >= 4 { writer.writeNullableString(groupInstanceId) }
            writer.writeString(clientId)
            writer.writeString(clientHost)
            writer.writeBytes(memberMetadata)
            writer.writeBytes(memberAssignment)
            writer.writeTaggedFields()
        }
    }

    /// One group (JSON `DescribedGroup`).
    public struct DescribedGroup: Sendable, Equatable {
        public var errorCode: ErrorCode
        public var groupId: String
        /// `Empty`, `PreparingRebalance`, `CompletingRebalance`, `Stable` or `Dead`.
        public var groupState: String
        public var protocolType: String
        /// The chosen protocol name (empty unless Stable).
        public var protocolData: String
        public var members: [DescribedGroupMember]
        /// v3+; a bit field, `Int32.min` = not requested.
        public var authorizedOperations: Int32

        public init(errorCode: ErrorCode = .none, groupId: String = "", groupState: String = "", protocolType: String = "",
                    protocolData: String = "", members: [DescribedGroupMember] = [], authorizedOperations: Int32 = Int32.min) {
            self.errorCode = errorCode
            self.groupId = groupId
            self.groupState = groupState
            self.protocolType = protocolType
            self.protocolData = protocolData
            self.members = members
            self.authorizedOperations = authorizedOperations
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            errorCode = ErrorCode(code: try reader.readInt16())
            groupId = try reader.readString("group_id")
            groupState = try reader.readString("group_state")
            protocolType = try reader.readString("protocol_type")
            protocolData = try reader.readString("protocol_data")
            members = try reader.readArray("members") { (r: inout ProtocolReader) throws(ProtocolError) -> DescribedGroupMember in
                try DescribedGroupMember(from: &r, version: version)
            }
            if version >= 3 { authorizedOperations = try reader.readInt32() }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt16(errorCode.rawValue)
            writer.writeString(groupId)
            writer.writeString(groupState)
            writer.writeString(protocolType)
            writer.writeString(protocolData)
            writer.writeArray(members) { w, member in member.encode(to: &w, version: version) }
            if version >= 3 { writer.writeInt32(authorizedOperations) }
            writer.writeTaggedFields()
        }
    }

    /// v1+.
    public var throttleTimeMs: Int32
    public var groups: [DescribedGroup]

    public init(throttleTimeMs: Int32 = 0, groups: [DescribedGroup] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.groups = groups
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 1 { throttleTimeMs = try reader.readInt32() }
        groups = try reader.readArray("groups") { (r: inout ProtocolReader) throws(ProtocolError) -> DescribedGroup in
            try DescribedGroup(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(groups) { w, group in group.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}
