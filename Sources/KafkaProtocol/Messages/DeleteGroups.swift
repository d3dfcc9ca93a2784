/// DeleteGroups (key 42) request, v0–2 (flexible from v2: request header v2, compact encodings,
/// tag sections).
///
/// Layout: `groups_names [STRING]` (the JSON name is `GroupsNames`, plural twice).
public struct DeleteGroupsRequest: KafkaRequest, Equatable {
    public typealias Response = DeleteGroupsResponse
    public static let apiKey = ApiKey.deleteGroups

    /// The group ids to delete.
    public var groupsNames: [String]

    public init(groupsNames: [String] = []) {
        self.groupsNames = groupsNames
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        groupsNames = try reader.readArray("groups_names") { (r: inout ProtocolReader) throws(ProtocolError) -> String in
            try r.readString("groups_names")
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeArray(groupsNames) { w, name in w.writeString(name) }
        writer.writeTaggedFields()
    }
}

/// DeleteGroups (key 42) response, v0–2 (flexible from v2: response header v1).
///
/// Layout: `throttle_time_ms` (already in v0, first), `results [group_id, error_code]`.
/// Unknown group → GROUP_ID_NOT_FOUND (69); a group with members → NON_EMPTY_GROUP (68).
public struct DeleteGroupsResponse: ProtocolMessage, Equatable {
    /// One group's result (JSON `DeletableGroupResult`).
    public struct DeletableGroupResult: Sendable, Equatable {
        public var groupId: String
        public var errorCode: ErrorCode

        public init(groupId: String = "", errorCode: ErrorCode = .none) {
            self.groupId = groupId
            self.errorCode = errorCode
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            groupId = try reader.readString("group_id")
            errorCode = ErrorCode(code: try reader.readInt16())
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(groupId)
            writer.writeInt16(errorCode.rawValue)
            writer.writeTaggedFields()
        }
    }

    public var throttleTimeMs: Int32
    public var results: [DeletableGroupResult]

    public init(throttleTimeMs: Int32 = 0, results: [DeletableGroupResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        throttleTimeMs = try reader.readInt32()
        results = try reader.readArray("results") { (r: inout ProtocolReader) throws(ProtocolError) -> DeletableGroupResult in
            try DeletableGroupResult(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeInt32(throttleTimeMs)
        writer.writeArray(results) { w, result in result.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}
