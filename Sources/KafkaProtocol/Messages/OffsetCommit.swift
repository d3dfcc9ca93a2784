/// OffsetCommit (key 8) request, v0–8 (flexible from v8: request header v2, compact encodings,
/// tag sections). v9 (KIP-848) is not implemented.
///
/// Layout: `group_id`, `generation_id_or_member_epoch` (v1+), `member_id` (v1+),
/// `group_instance_id` (v7+, nullable), `retention_time_ms` (v2–4 only), `topics [name,
/// partitions [partition_index, committed_offset, committed_leader_epoch (v6+),
/// commit_timestamp (v1 only), committed_metadata (nullable)]]`.
///
/// Wire traps: the per-partition `commit_timestamp` exists **only in v1** (it sits after the
/// leader-epoch slot, before the metadata); `retention_time_ms` only in v2–4 (the broker may
/// ignore both); `group_instance_id` (static membership) from v7. A `generationIdOrMemberEpoch`
/// below 0 means "not a group member" (standalone consumers and admin tools). The JSON field was
/// renamed from `GenerationId` to `GenerationIdOrMemberEpoch` for KIP-848; the wire is unchanged.
public struct OffsetCommitRequest: KafkaRequest, Equatable {
    public typealias Response = OffsetCommitResponse
    public static let apiKey = ApiKey.offsetCommit

    /// One partition's commit (JSON `OffsetCommitRequestPartition`).
    public struct Partition: Sendable, Equatable {
        public var partitionIndex: Int32
        /// The next offset to consume (last processed + 1).
        public var committedOffset: Int64
        /// v6+; -1 = unknown.
        public var committedLeaderEpoch: Int32
        /// v1 only; -1 = use the broker's time.
        public var commitTimestamp: Int64
        /// Client metadata kept with the offset; nullable.
        public var committedMetadata: String?

        public init(partitionIndex: Int32 = 0, committedOffset: Int64 = 0, committedLeaderEpoch: Int32 = -1,
                    commitTimestamp: Int64 = -1, committedMetadata: String? = "") {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.commitTimestamp = commitTimestamp
            self.committedMetadata = committedMetadata
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            partitionIndex = try reader.readInt32()
            committedOffset = try reader.readInt64()
            if version >= 6 { committedLeaderEpoch = try reader.readInt32() }
            if version == 1 { commitTimestamp = try reader.readInt64() }
            committedMetadata = try reader.readNullableString("committed_metadata")
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(partitionIndex)
            writer.writeInt64(committedOffset)
            if version >= 6 { writer.writeInt32(committedLeaderEpoch) }
            if version == 1 { writer.writeInt64(commitTimestamp) }
            writer.writeNullableString(committedMetadata)
            writer.writeTaggedFields()
        }
    }

    /// One topic's commits (JSON `OffsetCommitRequestTopic`).
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

    public var groupId: String
    /// v1+; the group generation (classic protocol), -1 = not a member.
    public var generationIdOrMemberEpoch: Int32
    /// v1+.
    public var memberId: String
    /// v7+; nil = no static membership.
    public var groupInstanceId: String?
    /// v2–4 only; -1 = broker default.
    public var retentionTimeMs: Int64
    public var topics: [Topic]

    public init(groupId: String = "", generationIdOrMemberEpoch: Int32 = -1, memberId: String = "",
                groupInstanceId: String? = nil, retentionTimeMs: Int64 = -1, topics: [Topic] = []) {
        self.groupId = groupId
        self.generationIdOrMemberEpoch = generationIdOrMemberEpoch
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.retentionTimeMs = retentionTimeMs
        self.topics = topics
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        groupId = try reader.readString("group_id")
        if version >= 1 {
            generationIdOrMemberEpoch = try reader.readInt32()
            memberId = try reader.readString("member_id")
        }
        if version >= 7 { groupInstanceId = try reader.readNullableString("group_instance_id") }
        if version >= 2 && version <= 4 { retentionTimeMs = try reader.readInt64() }
        topics = try reader.readArray("topics") { (r: inout ProtocolReader) throws(ProtocolError) -> Topic in
            try Topic(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeString(groupId)
        if version >= 1 {
            writer.writeInt32(generationIdOrMemberEpoch)
            writer.writeString(memberId)
        }
        if version >= 7 { writer.writeNullableString(groupInstanceId) }
        if version >= 2 && version <= 4 { writer.writeInt64(retentionTimeMs) }
        writer.writeArray(topics) { w, topic in topic.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}

/// OffsetCommit (key 8) response, v0–8 (flexible from v8: response header v1).
///
/// Layout: `throttle_time_ms` (v3+, first), `topics [name, partitions [partition_index,
/// error_code]]`. There is no group-level error: group errors (15, 16, 22, 25, 27, …) are
/// repeated on every partition.
public struct OffsetCommitResponse: ProtocolMessage, Equatable {
    /// One partition's result (JSON `OffsetCommitResponsePartition`).
    public struct Partition: Sendable, Equatable {
        public var partitionIndex: Int32
        public var errorCode: ErrorCode

        public init(partitionIndex: Int32 = 0, errorCode: ErrorCode = .none) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            partitionIndex = try reader.readInt32()
            errorCode = ErrorCode(code: try reader.readInt16())
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(partitionIndex)
            writer.writeInt16(errorCode.rawValue)
            writer.writeTaggedFields()
        }
    }

    /// One topic's results (JSON `OffsetCommitResponseTopic`).
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

    public init(throttleTimeMs: Int32 = 0, topics: [Topic] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 3 { throttleTimeMs = try reader.readInt32() }
        topics = try reader.readArray("topics") { (r: inout ProtocolReader) throws(ProtocolError) -> Topic in
            try Topic(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 3 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(topics) { w, topic in topic.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}
