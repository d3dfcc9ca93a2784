/// OffsetFetch (key 9) request, v0–7 (flexible from v6: request header v2, compact encodings,
/// tag sections). v8+ (several groups per request) is a different layout and is not implemented.
///
/// Layout: `group_id`, `topics [name, partition_indexes [INT32]]` (nullable from v2),
/// `require_stable` (v7+).
///
/// Wire traps, kept as they are on the wire: `topics` is nullable only from v2, where `nil`
/// (encoded −1 / compact 0) asks for every committed offset of the group; in v0–1 the array is
/// never null, so encoding `nil` there writes an empty array and decoding v0–1 never yields `nil`.
/// v0 read offsets from ZooKeeper and v1 from the log; both share this layout.
public struct OffsetFetchRequest: KafkaRequest, Equatable {
    public typealias Response = OffsetFetchResponse
    public static let apiKey = ApiKey.offsetFetch

    /// One topic to look up (JSON `OffsetFetchRequestTopic`).
    public struct Topic: Sendable, Equatable {
        public var name: String
        public var partitionIndexes: [Int32]

        public init(name: String = "", partitionIndexes: [Int32] = []) {
            self.name = name
            self.partitionIndexes = partitionIndexes
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            name = try reader.readString("name")
            partitionIndexes = try reader.readArray("partition_indexes") { (r: inout ProtocolReader) throws(ProtocolError) -> Int32 in
                try r.readInt32()
            }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeArray(partitionIndexes) { w, index in w.writeInt32(index) }
            writer.writeTaggedFields()
        }
    }

    public var groupId: String
    /// nil = all committed offsets of the group (v2+ only; written as `[]` in v0–1).
    public var topics: [Topic]?
    /// v7+.
    public var requireStable: Bool

    public init(groupId: String = "", topics: [Topic]? = [], requireStable: Bool = false) {
        self.groupId = groupId
        self.topics = topics
        self.requireStable = requireStable
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        groupId = try reader.readString("group_id")
        let element = { (r: inout ProtocolReader) throws(ProtocolError) -> Topic in try Topic(from: &r, version: version) }
        topics = version >= 2 ? try reader.readNullableArray("topics", element) : try reader.readArray("topics", element)
        if version >= 7 { requireStable = try reader.readBool() }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeString(groupId)
        let element = { (w: inout ProtocolWriter, topic: Topic) in topic.encode(to: &w, version: version) }
        if version >= 2 { writer.writeNullableArray(topics, element) } else { writer.writeArray(topics ?? [], element) }
        if version >= 7 { writer.writeBool(requireStable) }
        writer.writeTaggedFields()
    }
}

/// OffsetFetch (key 9) response, v0–7 (flexible from v6: response header v1).
///
/// Layout: `throttle_time_ms` (v3+, first), `topics [name, partitions [partition_index,
/// committed_offset, committed_leader_epoch (v5+), metadata (nullable), error_code]]`,
/// `error_code` (v2+).
///
/// Wire trap: the group-level `error_code` (v2–7) is the **last** field, after the topics array
/// (not first, as in most responses). In v0–1 there is no group-level error: group errors go
/// on every partition. A partition without a commit answers `committedOffset` −1.
public struct OffsetFetchResponse: ProtocolMessage, Equatable {
    /// One partition's committed offset (JSON `OffsetFetchResponsePartition`).
    public struct Partition: Sendable, Equatable {
        public var partitionIndex: Int32
        /// -1 = nothing committed.
        public var committedOffset: Int64
        /// v5+; -1 = unknown.
        public var committedLeaderEpoch: Int32
        /// Nullable.
        public var metadata: String?
        public var errorCode: ErrorCode

        public init(partitionIndex: Int32 = 0, committedOffset: Int64 = 0, committedLeaderEpoch: Int32 = -1,
                    metadata: String? = "", errorCode: ErrorCode = .none) {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.metadata = metadata
            self.errorCode = errorCode
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            partitionIndex = try reader.readInt32()
            committedOffset = try reader.readInt64()
            if version >= 5 { committedLeaderEpoch = try reader.readInt32() }
            metadata = try reader.readNullableString("metadata")
            errorCode = ErrorCode(code: try reader.readInt16())
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(partitionIndex)
            writer.writeInt64(committedOffset)
            if version >= 5 { writer.writeInt32(committedLeaderEpoch) }
            writer.writeNullableString(metadata)
            writer.writeInt16(errorCode.rawValue)
            writer.writeTaggedFields()
        }
    }

    /// One topic's offsets (JSON `OffsetFetchResponseTopic`).
    public struct Topic: Sendable, Equatable {
        public var name: String
        public var partitions: [Partition]

        public init(name: String = "", partitions: [Partition] = []) {
            self.name = name
            self.partitions = partitions
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            name = try reader.readString("name")
            partitions = try reader.readArray("partitions") { (r: inout ProtocolReader) throws(ProtocolError) -> Partition in
                try Partition(from: &r, version: version)
            }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeArray(partitions) { w, partition in partition.encode(to: &w, version: version) }
            writer.writeTaggedFields()
        }
    }

    /// v3+.
    public var throttleTimeMs: Int32
    public var topics: [Topic]
    /// v2+; on the wire **after** `topics`.
    public var errorCode: ErrorCode

    public init(throttleTimeMs: Int32 = 0, topics: [Topic] = [], errorCode: ErrorCode = .none) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
        self.errorCode = errorCode
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 3 { throttleTimeMs = try reader.readInt32() }
        topics = try reader.readArray("topics") { (r: inout ProtocolReader) throws(ProtocolError) -> Topic in
            try Topic(from: &r, version: version)
        }
        if version >= 2 { errorCode = ErrorCode(code: try reader.readInt16()) }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 3 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(topics) { w, topic in topic.encode(to: &w, version: version) }
        if version >= 2 { writer.writeInt16(errorCode.rawValue) }
        writer.writeTaggedFields()
    }
}
