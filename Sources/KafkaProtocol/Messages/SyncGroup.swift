/// SyncGroup (key 14) request, v0–5 (flexible from v4: request header v2, compact encodings, tag
/// sections).
///
/// Layout: `group_id`, `generation_id`, `member_id`, `group_instance_id` (v3+, nullable),
/// `protocol_type` (v5+, nullable), `protocol_name` (v5+, nullable), `assignments [member_id,
/// assignment]`.
///
/// Wire traps and semantics:
/// - Only the leader sends `assignments` (one entry per member, opaque bytes); followers send an
///   empty array.
/// - v3+ carry `groupInstanceId` (static membership, KIP-345).
/// - v5+ (KIP-559) carry `protocolType`/`protocolName`; when given (non-nil) they must match the
///   group's, else INCONSISTENT_GROUP_PROTOCOL (23). nil = not checked.
public struct SyncGroupRequest: KafkaRequest, Equatable {
    public typealias Response = SyncGroupResponse
    public static let apiKey = ApiKey.syncGroup

    /// One member's assignment, sent by the leader (JSON `SyncGroupRequestAssignment`).
    public struct Assignment: Sendable, Equatable {
        public var memberId: String
        /// The member's assignment (opaque to the broker).
        public var assignment: [UInt8]

        public init(memberId: String = "", assignment: [UInt8] = []) {
            self.memberId = memberId
            self.assignment = assignment
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            memberId = try reader.readString("member_id")
            assignment = try reader.readBytes("assignment")
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(memberId)
            writer.writeBytes(assignment)
            writer.writeTaggedFields()
        }
    }

    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    /// v3+; nil = dynamic member.
    public var groupInstanceId: String?
    /// v5+; nil = not given.
    public var protocolType: String?
    /// v5+; nil = not given.
    public var protocolName: String?
    /// The leader's assignments (empty from followers).
    public var assignments: [Assignment]

    public init(groupId: String = "", generationId: Int32 = 0, memberId: String = "", groupInstanceId: String? = nil,
                protocolType: String? = nil, protocolName: String? = nil, assignments: [Assignment] = []) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignments = assignments
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        groupId = try reader.readString("group_id")
        generationId = try reader.readInt32()
        memberId = try reader.readString("member_id")
        if version >= 3 { groupInstanceId = try reader.readNullableString("group_instance_id") }
        if version >= 5 {
            protocolType = try reader.readNullableString("protocol_type")
            protocolName = try reader.readNullableString("protocol_name")
        }
        assignments = try reader.readArray("assignments") { (r: inout ProtocolReader) throws(ProtocolError) -> Assignment in
            try Assignment(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeString(groupId)
        writer.writeInt32(generationId)
        writer.writeString(memberId)
        if version >= 3 { writer.writeNullableString(groupInstanceId) }
        if version >= 5 {
            writer.writeNullableString(protocolType)
            writer.writeNullableString(protocolName)
        }
        writer.writeArray(assignments) { w, assignment in assignment.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}

/// SyncGroup (key 14) response, v0–5 (flexible from v4: response header v1).
///
/// Layout: `throttle_time_ms` (v1+), `error_code`, `protocol_type` (v5+, nullable),
/// `protocol_name` (v5+, nullable), `assignment`.
///
/// v5+ (KIP-559) echo the group's protocol type and name; `assignment` is this member's bytes
/// from the leader's SyncGroup (empty if the leader left the member out).
public struct SyncGroupResponse: ProtocolMessage, Equatable {
    /// v1+.
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    /// v5+; nil = none.
    public var protocolType: String?
    /// v5+; nil = none.
    public var protocolName: String?
    /// This member's assignment (opaque to the broker).
    public var assignment: [UInt8]

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, protocolType: String? = nil, protocolName: String? = nil,
                assignment: [UInt8] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignment = assignment
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 1 { throttleTimeMs = try reader.readInt32() }
        errorCode = ErrorCode(code: try reader.readInt16())
        if version >= 5 {
            protocolType = try reader.readNullableString("protocol_type")
            protocolName = try reader.readNullableString("protocol_name")
        }
        assignment = try reader.readBytes("assignment")
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeInt16(errorCode.rawValue)
        if version >= 5 {
            writer.writeNullableString(protocolType)
            writer.writeNullableString(protocolName)
        }
        writer.writeBytes(assignment)
        writer.writeTaggedFields()
    }
}
