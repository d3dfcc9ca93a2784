/// Metadata (key 3) request, v0–12 (flexible from v9: request header v2, compact encodings, tag
/// sections).
///
/// Layout: `topics [topic_id UUID (v10+), name]`, `allow_auto_topic_creation` (v4+),
/// `include_cluster_authorized_operations` (v8–10 only), `include_topic_authorized_operations` (v8+).
///
/// Wire traps, kept as they are on the wire (the decoder does not normalise them):
/// - `topics` is a non-nullable array in v0, where an **empty array means all topics**; from v1 a
///   null array (`nil`, encoded −1 / compact 0) means all topics and an empty array means none.
///   Encoding `nil` at v0 writes an empty array (all topics); decoding v0 never yields `nil`.
///   Use `requestsAllTopics(version:)` to ask the question independently of the version.
/// - `Topic.name` is nullable from v10 (topics addressed by `topicId`, implemented by Kafka from
///   v12); a `nil` name is written as `""` in v0–9.
/// - `allowAutoTopicCreation` defaults to true (the JSON default); v0–3 do not carry it.
public struct MetadataRequest: KafkaRequest, Equatable {
    public typealias Response = MetadataResponse
    public static let apiKey = ApiKey.metadata

    /// One requested topic (JSON `MetadataRequestTopic`).
    public struct Topic: Sendable, Equatable {
        /// v10+; all-zero = none (address by name).
        public var topicId: [UInt8]
        /// Nullable from v10.
        public var name: String?

        public init(topicId: [UInt8] = [UInt8](repeating: 0, count: 16), name: String? = nil) {
            self.topicId = topicId
            self.name = name
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            if version >= 10 { topicId = try reader.readUUID() }
            name = version >= 10 ? try reader.readNullableString("name") : try reader.readString("name")
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            if version >= 10 { writer.writeUUID(topicId) }
            if version >= 10 { writer.writeNullableString(name) } else { writer.writeString(name ?? "") }
            writer.writeTaggedFields()
        }
    }

    /// nil = all topics (v1+). In v0 the array is never null and `[]` means all topics.
    public var topics: [Topic]?
    /// v4+.
    public var allowAutoTopicCreation: Bool
    /// v8–10.
    public var includeClusterAuthorizedOperations: Bool
    /// v8+.
    public var includeTopicAuthorizedOperations: Bool

    public init(topics: [Topic]? = nil, allowAutoTopicCreation: Bool = true,
                includeClusterAuthorizedOperations: Bool = false, includeTopicAuthorizedOperations: Bool = false) {
        self.topics = topics
        self.allowAutoTopicCreation = allowAutoTopicCreation
        self.includeClusterAuthorizedOperations = includeClusterAuthorizedOperations
        self.includeTopicAuthorizedOperations = includeTopicAuthorizedOperations
    }

    /// Whether this request, read at `version`, asks for every topic (null array in v1+, empty
    /// array in v0).
    public func requestsAllTopics(version: Int16) -> Bool {
        guard let topics else { return true }
        return version == 0 && topics.isEmpty
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        let element = { (r: inout ProtocolReader) throws(ProtocolError) -> Topic in try Topic(from: &r, version: version) }
        topics = version >= 1 ? try reader.readNullableArray("topics", element) : try reader.readArray("topics", element)
        if version >= 4 { allowAutoTopicCreation = try reader.readBool() }
        if version >= 8 && version <= 10 { includeClusterAuthorizedOperations = try reader.readBool() }
        if version >= 8 { includeTopicAuthorizedOperations = try reader.readBool() }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        let element = { (w: inout ProtocolWriter, topic: Topic) in topic.encode(to: &w, version: version) }
        if version >= 1 { writer.writeNullableArray(topics, element) } else { writer.writeArray(topics ?? [], element) }
        if version >= 4 { writer.writeBool(allowAutoTopicCreation) }
        if version >= 8 && version <= 10 { writer.writeBool(includeClusterAuthorizedOperations) }
        if version >= 8 { writer.writeBool(includeTopicAuthorizedOperations) }
        writer.writeTaggedFields()
    }
}

/// Metadata (key 3) response, v0–12 (flexible from v9: response header v1).
///
/// Layout: `throttle_time_ms` (v3+, first), `brokers [node_id, host, port, rack (v1+, nullable)]`,
/// `cluster_id` (v2+, nullable), `controller_id` (v1+), `topics [error_code, name, topic_id (v10+),
/// is_internal (v1+), partitions [error_code, partition_index, leader_id, leader_epoch (v7+),
/// replica_nodes, isr_nodes, offline_replicas (v5+)], topic_authorized_operations (v8+)]`,
/// `cluster_authorized_operations` (v8–10 only).
///
/// Traps: `controller_id` must be the broker's own id (v1+; −1 stalls admin clients);
/// `Topic.name` is nullable only from v12 (a `nil` name is written as `""` before that);
/// authorized-operations fields default to `Int32.min` ("not requested").
public struct MetadataResponse: ProtocolMessage, Equatable {
    /// One broker (JSON `MetadataResponseBroker`).
    public struct Broker: Sendable, Equatable {
        public var nodeId: Int32
        public var host: String
        public var port: Int32
        /// v1+; nil = no rack.
        public var rack: String?

        public init(nodeId: Int32 = 0, host: String = "", port: Int32 = 0, rack: String? = nil) {
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.rack = rack
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            nodeId = try reader.readInt32()
            host = try reader.readString("host")
            port = try reader.readInt32()
            rack = version >= 1 ? try reader.readNullableString("rack") : nil
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(nodeId)
            writer.writeString(host)
            writer.writeInt32(port)
            if version >= 1 { writer.writeNullableString(rack) }
            writer.writeTaggedFields()
        }
    }

    /// One partition of a topic (JSON `MetadataResponsePartition`).
    public struct Partition: Sendable, Equatable {
        public var errorCode: ErrorCode
        public var partitionIndex: Int32
        public var leaderId: Int32
        /// v7+.
        public var leaderEpoch: Int32
        public var replicaNodes: [Int32]
        public var isrNodes: [Int32]
        /// v5+.
        public var offlineReplicas: [Int32]

        public init(errorCode: ErrorCode = .none, partitionIndex: Int32 = 0, leaderId: Int32 = 0, leaderEpoch: Int32 = -1,
                    replicaNodes: [Int32] = [], isrNodes: [Int32] = [], offlineReplicas: [Int32] = []) {
            self.errorCode = errorCode
            self.partitionIndex = partitionIndex
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
            self.replicaNodes = replicaNodes
            self.isrNodes = isrNodes
            self.offlineReplicas = offlineReplicas
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            errorCode = ErrorCode(code: try reader.readInt16())
            partitionIndex = try reader.readInt32()
            leaderId = try reader.readInt32()
            if version >= 7 { leaderEpoch = try reader.readInt32() }
            replicaNodes = try reader.readMetadataInt32Array("replica_nodes")
            isrNodes = try reader.readMetadataInt32Array("isr_nodes")
            if version >= 5 { offlineReplicas = try reader.readMetadataInt32Array("offline_replicas") }
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt16(errorCode.rawValue)
            writer.writeInt32(partitionIndex)
            writer.writeInt32(leaderId)
            if version >= 7 { writer.writeInt32(leaderEpoch) }
            writer.writeArray(replicaNodes) { w, id in w.writeInt32(id) }
            writer.writeArray(isrNodes) { w, id in w.writeInt32(id) }
            if version >= 5 { writer.writeArray(offlineReplicas) { w, id in w.writeInt32(id) } }
            writer.writeTaggedFields()
        }
    }

    /// One topic (JSON `MetadataResponseTopic`).
    public struct Topic: Sendable, Equatable {
        public var errorCode: ErrorCode
        /// Nullable from v12 (unknown topic queried by id).
        public var name: String?
        /// v10+; all-zero = none.
        public var topicId: [UInt8]
        /// v1+.
        public var isInternal: Bool
        public var partitions: [Partition]
        /// v8+; `Int32.min` = not requested.
        public var topicAuthorizedOperations: Int32

        public init(errorCode: ErrorCode = .none, name: String? = nil, topicId: [UInt8] = [UInt8](repeating: 0, count: 16),
                    isInternal: Bool = false, partitions: [Partition] = [], topicAuthorizedOperations: Int32 = Int32.min) {
            self.errorCode = errorCode
            self.name = name
            self.topicId = topicId
            self.isInternal = isInternal
            self.partitions = partitions
            self.topicAuthorizedOperations = topicAuthorizedOperations
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            errorCode = ErrorCode(code: try reader.readInt16())
            name = version >= 12 ? try reader.readNullableString("name") : try reader.readString("name")
            if version >= 10 { topicId = try reader.readUUID() }
            if version >= 1 { isInternal = try reader.readBool() }
            partitions = try reader.readArray("partitions") { (r: inout ProtocolReader) throws(ProtocolError) -> Partition in
                try Partition(from: &r, version: version)
            }
            if version >= 8 { topicAuthorizedOperations = try reader.readInt32() }
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt16(errorCode.rawValue)
            if version >= 12 { writer.writeNullableString(name) } else { writer.writeString(name ?? "") }
            if version >= 10 { writer.writeUUID(topicId) }
            if version >= 1 { writer.writeBool(isInternal) }
            writer.writeArray(partitions) { w, partition in partition.encode(to: &w, version: version) }
            if version >= 8 { writer.writeInt32(topicAuthorizedOperations) }
            writer.writeTaggedFields()
        }
    }

    /// v3+.
    public var throttleTimeMs: Int32
    public var brokers: [Broker]
    /// v2+.
    public var clusterId: String?
    /// v1+; must be the broker's own node id.
    public var controllerId: Int32
    public var topics: [Topic]
    /// v8–10; `Int32.min` = not requested.
    public var clusterAuthorizedOperations: Int32

    public init(throttleTimeMs: Int32 = 0, brokers: [Broker] = [], clusterId: String? = nil, controllerId: Int32 = -1,
                topics: [Topic] = [], clusterAuthorizedOperations: Int32 = Int32.min) {
        self.throttleTimeMs = throttleTimeMs
        self.brokers = brokers
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.topics = topics
        self.clusterAuthorizedOperations = clusterAuthorizedOperations
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 3 { throttleTimeMs = try reader.readInt32() }
        brokers = try reader.readArray("brokers") { (r: inout ProtocolReader) throws(ProtocolError) -> Broker in
            try Broker(from: &r, version: version)
        }
        if version >= 2 { clusterId = try reader.readNullableString("cluster_id") }
        if version >= 1 { controllerId = try reader.readInt32() }
        topics = try reader.readArray("topics") { (r: inout ProtocolReader) throws(ProtocolError) -> Topic in
            try Topic(from: &r, version: version)
        }
        if version >= 8 && version <= 10 { clusterAuthorizedOperations = try reader.readInt32() }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 3 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(brokers) { w, broker in broker.encode(to: &w, version: version) }
        if version >= 2 { writer.writeNullableString(clusterId) }
        if version >= 1 { writer.writeInt32(controllerId) }
        writer.writeArray(topics) { w, topic in topic.encode(to: &w, version: version) }
        if version >= 8 && version <= 10 { writer.writeInt32(clusterAuthorizedOperations) }
        writer.writeTaggedFields()
    }
}

extension ProtocolReader {
    /// ARRAY of INT32 (broker id lists).
    fileprivate mutating func readMetadataInt32Array(_ field: String) throws(ProtocolError) -> [Int32] {
        try readArray(field) { (r: inout ProtocolReader) throws(ProtocolError) -> Int32 in try r.readInt32() }
    }
}
