/// CreateTopics (key 19) request, v0–7 (flexible from v5: request header v2, compact encodings,
/// tag sections).
///
/// Layout: `topics [name, num_partitions INT32, replication_factor INT16, assignments
/// [partition_index, broker_ids [INT32]], configs [name, value (nullable)]]`, `timeout_ms`,
/// `validate_only` (v1+). v1–7 add nothing else to the request.
///
/// Semantics: `numPartitions` / `replicationFactor` of −1 mean "broker default" (or a manual
/// assignment in `assignments`); `validateOnly` = check without creating. `timeoutMs` defaults
/// to 60000 (the JSON default).
public struct CreateTopicsRequest: KafkaRequest, Equatable {
    public typealias Response = CreateTopicsResponse
    public static let apiKey = ApiKey.createTopics

    /// A manual replica placement for one partition (JSON `CreatableReplicaAssignment`).
    public struct CreatableReplicaAssignment: Sendable, Equatable {
        public var partitionIndex: Int32
        public var brokerIds: [Int32]

        public init(partitionIndex: Int32 = 0, brokerIds: [Int32] = []) {
            self.partitionIndex = partitionIndex
            self.brokerIds = brokerIds
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            partitionIndex = try reader.readInt32()
            brokerIds = try reader.readArray("broker_ids") { (r: inout ProtocolReader) throws(ProtocolError) -> Int32 in
                try r.readInt32()
            }
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(partitionIndex)
            writer.writeArray(brokerIds) { w, id in w.writeInt32(id) }
            writer.writeTaggedFields()
        }
    }

    /// One topic configuration override (JSON `CreatableTopicConfig`).
    public struct CreatableTopicConfig: Sendable, Equatable {
        public var name: String
        public var value: String?

        public init(name: String = "", value: String? = nil) {
            self.name = name
            self.value = value
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            name = try reader.readString("name")
            value = try reader.readNullableString("value")
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeNullableString(value)
            writer.writeTaggedFields()
        }
    }

    /// One topic to create (JSON `CreatableTopic`).
    public struct CreatableTopic: Sendable, Equatable {
        public var name: String
        /// −1 = broker default (or given by `assignments`).
        public var numPartitions: Int32
        /// −1 = broker default (or given by `assignments`).
        public var replicationFactor: Int16
        /// Empty = automatic assignment.
        public var assignments: [CreatableReplicaAssignment]
        public var configs: [CreatableTopicConfig]

        public init(name: String = "", numPartitions: Int32 = 0, replicationFactor: Int16 = 0,
                    assignments: [CreatableReplicaAssignment] = [], configs: [CreatableTopicConfig] = []) {
            self.name = name
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
            self.assignments = assignments
            self.configs = configs
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            name = try reader.readString("name")
            numPartitions = try reader.readInt32()
            replicationFactor = try reader.readInt16()
            assignments = try reader.readArray("assignments") { (r: inout ProtocolReader) throws(ProtocolError) -> CreatableReplicaAssignment in
                try CreatableReplicaAssignment(from: &r, version: version)
            }
            configs = try reader.readArray("configs") { (r: inout ProtocolReader) throws(ProtocolError) -> CreatableTopicConfig in
                try CreatableTopicConfig(from: &r, version: version)
            }
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeInt32(numPartitions)
            writer.writeInt16(replicationFactor)
            writer.writeArray(assignments) { w, assignment in assignment.encode(to: &w, version: version) }
            writer.writeArray(configs) { w, config in config.encode(to: &w, version: version) }
            writer.writeTaggedFields()
        }
    }

    public var topics: [CreatableTopic]
    public var timeoutMs: Int32
    /// v1+.
    public var validateOnly: Bool

    public init(topics: [CreatableTopic] = [], timeoutMs: Int32 = 60000, validateOnly: Bool = false) {
        self.topics = topics
        self.timeoutMs = timeoutMs
        self.validateOnly = validateOnly
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        topics = try reader.readArray("topics") { (r: inout ProtocolReader) throws(ProtocolError) -> CreatableTopic in
            try CreatableTopic(from: &r, version: version)
        }
        timeoutMs = try reader.readInt32()
        if version >= 1 { validateOnly = try reader.readBool() }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeArray(topics) { w, topic in topic.encode(to: &w, version: version) }
        writer.writeInt32(timeoutMs)
        if version >= 1 { writer.writeBool(validateOnly) }
        writer.writeTaggedFields()
    }
}

/// CreateTopics (key 19) response, v0–7 (flexible from v5: response header v1).
///
/// Layout: `throttle_time_ms` (v2+, first), `topics [name, topic_id (v7+), error_code,
/// error_message (v1+, nullable), num_partitions (v5+), replication_factor (v5+), configs (v5+,
/// nullable) [name, value (nullable), read_only, config_source INT8, is_sensitive]]`.
///
/// Traps: v5+ results also carry the topic's resulting `num_partitions`, `replication_factor`
/// and `configs` (defaults −1 / −1 / nil); v7 adds `topic_id`. `topicConfigErrorCode` is the
/// tagged field 0 (v5+): it is decoded when present but never written (the tag section is
/// always written empty).
public struct CreateTopicsResponse: ProtocolMessage, Equatable {
    /// One resulting configuration entry (JSON `CreatableTopicConfigs`, v5+).
    public struct CreatableTopicConfigs: Sendable, Equatable {
        public var name: String
        public var value: String?
        public var readOnly: Bool
        /// See DescribeConfigs: 5 = default, 1 = dynamic topic config.
        public var configSource: Int8
        public var isSensitive: Bool

        public init(name: String = "", value: String? = nil, readOnly: Bool = false, configSource: Int8 = -1, isSensitive: Bool = false) {
            self.name = name
            self.value = value
            self.readOnly = readOnly
            self.configSource = configSource
            self.isSensitive = isSensitive
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            name = try reader.readString("name")
            value = try reader.readNullableString("value")
            readOnly = try reader.readBool()
            configSource = try reader.readInt8()
            isSensitive = try reader.readBool()
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeNullableString(value)
            writer.writeBool(readOnly)
            writer.writeInt8(configSource)
            writer.writeBool(isSensitive)
            writer.writeTaggedFields()
        }
    }

    /// The outcome for one topic (JSON `CreatableTopicResult`).
    public struct CreatableTopicResult: Sendable, Equatable {
        public var name: String
        /// v7+; all-zero = none.
        public var topicId: [UInt8]
        public var errorCode: ErrorCode
        /// v1+.
        public var errorMessage: String?
        /// Tagged field 0 (v5+): read if present, never written.
        public var topicConfigErrorCode: ErrorCode
        /// v5+.
        public var numPartitions: Int32
        /// v5+.
        public var replicationFactor: Int16
        /// v5+ (nullable).
        public var configs: [CreatableTopicConfigs]?

        public init(name: String = "", topicId: [UInt8] = [UInt8](repeating: 0, count: 16), errorCode: ErrorCode = .none,
                    errorMessage: String? = nil, topicConfigErrorCode: ErrorCode = .none, numPartitions: Int32 = -1,
                    replicationFactor: Int16 = -1, configs: [CreatableTopicConfigs]? = nil) {
            self.name = name
            self.topicId = topicId
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.topicConfigErrorCode = topicConfigErrorCode
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
            self.configs = configs
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            name = try reader.readString("name")
            if version >= 7 { topicId = try reader.readUUID() }
            errorCode = ErrorCode(code: try reader.readInt16())
            if version >= 1 { errorMessage = try reader.readNullableString("error_message") }
            if version >= 5 {
                numPartitions = try reader.readInt32()
                replicationFactor = try reader.readInt16()
                configs = try reader.readNullableArray("configs") { (r: inout ProtocolReader) throws(ProtocolError) -> CreatableTopicConfigs in
                    try CreatableTopicConfigs(from: &r, version: version)
                }
            }
            for field in try reader.readTaggedFields() where field.tag == 0 {
                var tagReader = ProtocolReader(field.data, flexible: true)
                topicConfigErrorCode = ErrorCode(code: try tagReader.readInt16())
            }
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            if version >= 7 { writer.writeUUID(topicId) }
            writer.writeInt16(errorCode.rawValue)
            if version >= 1 { writer.writeNullableString(errorMessage) }
            if version >= 5 {
                writer.writeInt32(numPartitions)
                writer.writeInt16(replicationFactor)
                writer.writeNullableArray(configs) { w, config in config.encode(to: &w, version: version) }
            }
            writer.writeTaggedFields()
        }
    }

    /// v2+.
    public var throttleTimeMs: Int32
    public var topics: [CreatableTopicResult]

    public init(throttleTimeMs: Int32 = 0, topics: [CreatableTopicResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 2 { throttleTimeMs = try reader.readInt32() }
        topics = try reader.readArray("topics") { (r: inout ProtocolReader) throws(ProtocolError) -> CreatableTopicResult in
            try CreatableTopicResult(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 2 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(topics) { w, topic in topic.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}
