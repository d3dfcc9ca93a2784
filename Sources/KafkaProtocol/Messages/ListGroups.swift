/// ListGroups (key 16) request, v0–5 (flexible from v3: request header v2, compact encodings,
/// tag sections).
///
/// Layout: v0–2 an empty body; v3 only a tag section; `states_filter [STRING]` (v4+),
/// `types_filter [STRING]` (v5+). An empty filter means "all groups". The state filter is a
/// regular field in v4 (not a tagged one); the names are `Empty`, `PreparingRebalance`,
/// `CompletingRebalance`, `Stable`, `Dead`; group types are e.g. `classic`, `consumer`.
public struct ListGroupsRequest: KafkaRequest, Equatable {
    public typealias Response = ListGroupsResponse
    public static let apiKey = ApiKey.listGroups

    /// v4+; empty = all states.
    public var statesFilter: [String]
    /// v5+; empty = all types.
    public var typesFilter: [String]

    public init(statesFilter: [String] = [], typesFilter: [String] = []) {
        self.statesFilter = statesFilter
        self.typesFilter = typesFilter
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 4 {
            statesFilter = try reader.readArray("states_filter") { (r: inout ProtocolReader) throws(ProtocolError) -> String in
                try r.readString("states_filter")
            }
        }
        if version >= 5 {
            typesFilter = try reader.readArray("types_filter") { (r: inout ProtocolReader) throws(ProtocolError) -> String in
                try r.readString("types_filter")
            }
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 4 { writer.writeArray(statesFilter) { w, state in w.writeString(state) } }
        if version >= 5 { writer.writeArray(typesFilter) { w, type in w.writeString(type) } }
        writer.writeTaggedFields()
    }
}

/// ListGroups (key 16) response, v0–5 (flexible from v3: response header v1).
///
/// Layout: `throttle_time_ms` (v1+, first), `error_code`, `groups [group_id, protocol_type,
/// group_state (v4+), group_type (v5+)]`. Offset-only groups are listed too (protocol type "").
public struct ListGroupsResponse: ProtocolMessage, Equatable {
    /// One group (JSON `ListedGroup`).
    public struct ListedGroup: Sendable, Equatable {
        public var groupId: String
        /// "consumer" for consumer groups, "" for offset-only groups.
        public var protocolType: String
        /// v4+; e.g. `Stable`.
        public var groupState: String
        /// v5+; e.g. `classic`.
        public var groupType: String

        public init(groupId: String = "", protocolType: String = "", groupState: String = "", groupType: String = "") {
            self.groupId = groupId
            self.protocolType = protocolType
            self.groupState = groupState
            self.groupType = groupType
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            groupId = try reader.readString("group_id")
            protocolType = try reader.readString("protocol_type")
            if version >= 4 { groupState = try reader.readString("group_state") }
            if version >= 5 { groupType = try reader.readString("group_type") }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(groupId)
            writer.writeString(protocolType)
            if version >= 4 { writer.writeString(groupState) }
            if version >= 5 { writer.writeString(groupType) }
            writer.writeTaggedFields()
        }
    }

    /// v1+.
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    public var groups: [ListedGroup]

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, groups: [ListedGroup] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.groups = groups
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 1 { throttleTimeMs = try reader.readInt32() }
        errorCode = ErrorCode(code: try reader.readInt16())
        groups = try reader.readArray("groups") { (r: inout ProtocolReader) throws(ProtocolError) -> ListedGroup in
            try ListedGroup(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeInt16(errorCode.rawValue)
        writer.writeArray(groups) { w, group in group.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}
