/// Heartbeat (key 12) request, v0–4 (flexible from v4: request header v2, compact encodings, tag
/// sections).
///
/// Layout: `group_id`, `generation_id`, `member_id`, `group_instance_id` (v3+, nullable).
///
/// v3+ carry `groupInstanceId` (static membership, KIP-345); a mismatch with the member's known
/// instance id is FENCED_INSTANCE_ID (82). Members learn about a rebalance from
/// REBALANCE_IN_PROGRESS (27) in the response.
public struct HeartbeatRequest: KafkaRequest, Equatable {
    public typealias Response = HeartbeatResponse
    public static let apiKey = ApiKey.heartbeat

    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    /// v3+; nil = dynamic member.
    public var groupInstanceId: String?

    public init(groupId: String = "", generationId: Int32 = 0, memberId: String = "", groupInstanceId: String? = nil) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        groupId = try reader.readString("group_id")
        generationId = try reader.readInt32()
        memberId = try reader.readString("member_id")
        if version >= 3 { groupInstanceId = try reader.readNullableString("group_instance_id") }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeString(groupId)
        writer.writeInt32(generationId)
        writer.writeString(memberId)
        if version >= 3 { writer.writeNullableString(groupInstanceId) }
        writer.writeTaggedFields()
    }
}

/// Heartbeat (key 12) response, v0–4 (flexible from v4: response header v1).
///
/// Layout: `throttle_time_ms` (v1+), `error_code`.
public struct HeartbeatResponse: ProtocolMessage, Equatable {
    /// v1+.
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 1 { throttleTimeMs = try reader.readInt32() }
        errorCode = ErrorCode(code: try reader.readInt16())
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeInt16(errorCode.rawValue)
        writer.writeTaggedFields()
    }
}
