/// ListOffsets (key 2) request, v0–7 (flexible from v6).
///
/// Layout: `replica_id`, `isolation_level` (v2+), `topics[name, partitions[partition_index,
/// current_leader_epoch (v4+), timestamp, max_num_offsets (v0 only)]]`.
///
/// Per-partition `timestamp`: -1 = latest (the log end offset, or the last stable offset for
/// read_committed), -2 = earliest (log start offset), -3 = the record with the largest timestamp
/// (v7+); a value ≥ 0 asks for the first offset whose timestamp is ≥ it. `replicaId` is -1 for
/// consumers. `isolationLevel` 0 = read_uncommitted, 1 = read_committed.
public struct ListOffsetsRequest: KafkaRequest, Equatable {
    public typealias Response = ListOffsetsResponse
    public static let apiKey = ApiKey.listOffsets

    /// Special `timestamp` values.
    public static let latestTimestamp: Int64 = -1
    public static let earliestTimestamp: Int64 = -2
    public static let maxTimestamp: Int64 = -3

    /// The requesting broker's id, or -1 for a consumer.
    public var replicaId: Int32
    /// 0 read_uncommitted, 1 read_committed (v2+).
    public var isolationLevel: Int8
    public var topics: [ListOffsetsTopic]

    public init(replicaId: Int32 = 0, isolationLevel: Int8 = 0, topics: [ListOffsetsTopic] = []) {
        self.replicaId = replicaId
        self.isolationLevel = isolationLevel
        self.topics = topics
    }

    /// One topic's partitions.
    public struct ListOffsetsTopic: Sendable, Equatable {
        public var name: String
        public var partitions: [ListOffsetsPartition]

        public init(name: String = "", partitions: [ListOffsetsPartition] = []) {
            self.name = name
            self.partitions = partitions
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            name = try reader.readString("topic name")
            partitions = try reader.readArray("partitions") { (r: inout ProtocolReader) throws(ProtocolError) in
                try ListOffsetsPartition(from: &r, version: version)
            }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeArray(partitions) { w, partition in partition.encode(to: &w, version: version) }
            writer.writeTaggedFields()
        }
    }

    /// One partition's query.
    public struct ListOffsetsPartition: Sendable, Equatable {
        public var partitionIndex: Int32
        /// The leader epoch the client knows (v4+), -1 = unknown.
        public var currentLeaderEpoch: Int32
        /// A timestamp, or -1 latest, -2 earliest, -3 max-timestamp (v7+).
        public var timestamp: Int64
        /// How many offsets to return (v0 only).
        public var maxNumOffsets: Int32

        public init(partitionIndex: Int32 = 0, currentLeaderEpoch: Int32 = -1, timestamp: Int64 = 0, maxNumOffsets: Int32 = 1) {
            self.partitionIndex = partitionIndex
            self.currentLeaderEpoch = currentLeaderEpoch
            self.timestamp = timestamp
            self.maxNumOffsets = maxNumOffsets
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            partitionIndex = try reader.readInt32()
            if version >= 4 { currentLeaderEpoch = try reader.readInt32() }
            timestamp = try reader.readInt64()
            if version == 0 { maxNumOffsets = try reader.readInt32() }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(partitionIndex)
            if version >= 4 { writer.writeInt32(currentLeaderEpoch) }
            writer.writeInt64(timestamp)
            if version == 0 { writer.writeInt32(maxNumOffsets) }
            writer.writeTaggedFields()
        }
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        replicaId = try reader.readInt32()
        if version >= 2 { isolationLevel = try reader.readInt8() }
        topics = try reader.readArray("topics") { (r: inout ProtocolReader) throws(ProtocolError) in
            try ListOffsetsTopic(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeInt32(replicaId)
        if version >= 2 { writer.writeInt8(isolationLevel) }
        writer.writeArray(topics) { w, topic in topic.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}

/// ListOffsets (key 2) response, v0–7 (flexible from v6).
///
/// Layout: `throttle_time_ms` (v2+), `topics[name, partitions[partition_index, error_code,
/// old_style_offsets (v0 only), timestamp (v1+), offset (v1+), leader_epoch (v4+)]]`.
/// v0 answers with an `oldStyleOffsets` array instead of `timestamp`/`offset`. No match for a
/// timestamp query: `offset` -1 and `timestamp` -1; for -1/-2 queries `timestamp` is -1.
public struct ListOffsetsResponse: ProtocolMessage, Equatable {
    public var throttleTimeMs: Int32
    public var topics: [ListOffsetsTopicResponse]

    public init(throttleTimeMs: Int32 = 0, topics: [ListOffsetsTopicResponse] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    /// One topic's results.
    public struct ListOffsetsTopicResponse: Sendable, Equatable {
        public var name: String
        public var partitions: [ListOffsetsPartitionResponse]

        public init(name: String = "", partitions: [ListOffsetsPartitionResponse] = []) {
            self.name = name
            self.partitions = partitions
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            name = try reader.readString("topic name")
            partitions = try reader.readArray("partitions") { (r: inout ProtocolReader) throws(ProtocolError) in
                try ListOffsetsPartitionResponse(from: &r, version: version)
            }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeArray(partitions) { w, partition in partition.encode(to: &w, version: version) }
            writer.writeTaggedFields()
        }
    }

    /// One partition's result.
    public struct ListOffsetsPartitionResponse: Sendable, Equatable {
        public var partitionIndex: Int32
        public var errorCode: ErrorCode
        /// The offsets found (v0 only).
        public var oldStyleOffsets: [Int64]
        /// The timestamp of the returned offset (v1+), -1 = none.
        public var timestamp: Int64
        /// The returned offset (v1+), -1 = none.
        public var offset: Int64
        /// The leader epoch of the returned offset (v4+).
        public var leaderEpoch: Int32

        public init(partitionIndex: Int32 = 0, errorCode: ErrorCode = .none, oldStyleOffsets: [Int64] = [],
                    timestamp: Int64 = -1, offset: Int64 = -1, leaderEpoch: Int32 = -1) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.oldStyleOffsets = oldStyleOffsets
            self.timestamp = timestamp
            self.offset = offset
            self.leaderEpoch = leaderEpoch
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            partitionIndex = try reader.readInt32()
            errorCode = ErrorCode(code: try reader.readInt16())
            if version == 0 {
                oldStyleOffsets = try reader.readArray("old_style_offsets") { (r: inout ProtocolReader) throws(ProtocolError) in try r.readInt64() }
            } else {
                timestamp = try reader.readInt64()
                offset = try reader.readInt64()
            }
            if version >= 4 { leaderEpoch = try reader.readInt32() }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(partitionIndex)
            writer.writeInt16(errorCode.rawValue)
            if version == 0 {
                writer.writeArray(oldStyleOffsets) { w, offset in w.writeInt64(offset) }
            } else {
                writer.writeInt64(timestamp)
                writer.writeInt64(offset)
            }
            if version >= 4 { writer.writeInt32(leaderEpoch) }
            writer.writeTaggedFields()
        }
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 2 { throttleTimeMs = try reader.readInt32() }
        topics = try reader.readArray("topics") { (r: inout ProtocolReader) throws(ProtocolError) in
            try ListOffsetsTopicResponse(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 2 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(topics) { w, topic in topic.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}
