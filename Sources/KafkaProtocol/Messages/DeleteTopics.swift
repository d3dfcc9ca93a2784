/// DeleteTopics (key 20) request, v0–6 (flexible from v4: request header v2, compact encodings,
/// tag sections).
///
/// Layout: v0–5 `topic_names [STRING]`, `timeout_ms`; v6 `topics [name (nullable), topic_id UUID]`,
/// `timeout_ms`.
///
/// Trap: the two topic lists are version-exclusive and are not converted into each other —
/// `topicNames` is only read/written in v0–5 and `topics` only in v6 (a topic may then be named
/// by id with a null name, or by name with an all-zero id). A client must fill the list that
/// matches the version it sends.
public struct DeleteTopicsRequest: KafkaRequest, Equatable {
    public typealias Response = DeleteTopicsResponse
    public static let apiKey = ApiKey.deleteTopics

    /// One topic to delete, by name or id (JSON `DeleteTopicState`, v6+).
    public struct DeleteTopicState: Sendable, Equatable {
        /// Nullable (address by `topicId`).
        public var name: String?
        /// All-zero = none (address by `name`).
        public var topicId: [UInt8]

        public init(name: String? = nil, topicId: [UInt8] = [UInt8](repeating: 0, count: 16)) {
            self.name = name
            self.topicId = topicId
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            name = try reader.readNullableString("name")
            topicId = try reader.readUUID()
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeNullableString(name)
            writer.writeUUID(topicId)
            writer.writeTaggedFields()
        }
    }

    /// v6+.
    public var topics: [DeleteTopicState]
    /// v0–5.
    public var topicNames: [String]
    public var timeoutMs: Int32

    public init(topics: [DeleteTopicState] = [], topicNames: [String] = [], timeoutMs: Int32 = 0) {
        self.topics = topics
        self.topicNames = topicNames
        self.timeoutMs = timeoutMs
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 6 {
            topics = try reader.readArray("topics") { (r: inout ProtocolReader) throws(ProtocolError) -> DeleteTopicState in
                try DeleteTopicState(from: &r, version: version)
            }
        } else {
            topicNames = try reader.readArray("topic_names") { (r: inout ProtocolReader) throws(ProtocolError) -> String in
                try r.readString("topic_names")
            }
        }
        timeoutMs = try reader.readInt32()
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 6 {
            writer.writeArray(topics) { w, topic in topic.encode(to: &w, version: version) }
        } else {
            writer.writeArray(topicNames) { w, name in w.writeString(name) }
        }
        writer.writeInt32(timeoutMs)
        writer.writeTaggedFields()
    }
}

/// DeleteTopics (key 20) response, v0–6 (flexible from v4: response header v1).
///
/// Layout: `throttle_time_ms` (v1+, first), `responses [name (nullable from v6), topic_id (v6+),
/// error_code, error_message (v5+, nullable)]`.
///
/// Traps: `name` is nullable only in v6 (a topic deleted by an unknown id); a `nil` name is written
/// as `""` in v0–5. Unknown topic → 3 (UNKNOWN_TOPIC_OR_PARTITION) or 100 (UNKNOWN_TOPIC_ID).
public struct DeleteTopicsResponse: ProtocolMessage, Equatable {
    /// The outcome for one topic (JSON `DeletableTopicResult`).
    public struct DeletableTopicResult: Sendable, Equatable {
        /// Nullable from v6.
        public var name: String?
        /// v6+; all-zero = none.
        public var topicId: [UInt8]
        public var errorCode: ErrorCode
        /// v5+.
        public var errorMessage: String?

        public init(name: String? = nil, topicId: [UInt8] = [UInt8](repeating: 0, count: 16), errorCode: ErrorCode = .none,
                    errorMessage: String? = nil) {
            self.name = name
            self.topicId = topicId
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            name = version >= 6 ? try reader.readNullableString("name") : try reader.readString("name")
            if version >= 6 { topicId = try reader.readUUID() }
            errorCode = ErrorCode(code: try reader.readInt16())
            if version >= 5 { errorMessage = try reader.readNullableString("error_message") }
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            if version >= 6 { writer.writeNullableString(name) } else { writer.writeString(name ?? "") }
            if version >= 6 { writer.writeUUID(topicId) }
            writer.writeInt16(errorCode.rawValue)
            if version >= 5 { writer.writeNullableString(errorMessage) }
            writer.writeTaggedFields()
        }
    }

    /// v1+.
    public var throttleTimeMs: Int32
    public var responses: [DeletableTopicResult]

    public init(throttleTimeMs: Int32 = 0, responses: [DeletableTopicResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.responses = responses
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 1 { throttleTimeMs = try reader.readInt32() }
        responses = try reader.readArray("responses") { (r: inout ProtocolReader) throws(ProtocolError) -> DeletableTopicResult in
            try DeletableTopicResult(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(responses) { w, result in result.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}
