/// Fetch (key 1) request, v4–12 (flexible from v12; topics are addressed by name throughout).
///
/// Layout: `replica_id`, `max_wait_ms`, `min_bytes`, `max_bytes`, `isolation_level`,
/// `session_id`/`session_epoch` (v7+), `topics[topic, partitions[partition,
/// current_leader_epoch (v9+), fetch_offset, last_fetched_epoch (v12+), log_start_offset (v5+),
/// partition_max_bytes]]`, `forgotten_topics_data` (v7+), `rack_id` (v11+); in v12 the body
/// may carry tagged `cluster_id` (tag 0).
///
/// - `replicaId` -1 = a consumer (followers send their broker id).
/// - Long poll: answer once `minBytes` have accumulated or `maxWaitMs` has passed.
/// - `isolationLevel` 0 = read_uncommitted (everything up to the high watermark),
///   1 = read_committed (only up to the last stable offset; aborted transactions listed).
/// - Fetch sessions (KIP-227): `(sessionId 0, sessionEpoch -1)` = full fetch without a session;
///   `(0, 0)` = full fetch asking for a session; `(id, epoch > 0)` = incremental fetch
///   (`forgottenTopicsData` removes partitions); `(id, -1)` = close the session.
public struct FetchRequest: KafkaRequest, Equatable {
    public typealias Response = FetchResponse
    public static let apiKey = ApiKey.fetch

    /// Tagged field 0 (v12+): the cluster id if known; written only when non-nil.
    public var clusterId: String?
    /// The follower's broker id, or -1 for a consumer (v0–14).
    public var replicaId: Int32
    /// Tagged field 1 of v15+ (outside the implemented range; never read or written).
    public var replicaState: ReplicaState?
    public var maxWaitMs: Int32
    public var minBytes: Int32
    /// Response size limit (v3+); at least one batch is returned even if it is larger (KIP-74).
    public var maxBytes: Int32
    /// 0 read_uncommitted, 1 read_committed (v4+).
    public var isolationLevel: Int8
    /// Fetch session id (v7+); 0 = none.
    public var sessionId: Int32
    /// Fetch session epoch (v7+); -1 = no session / close.
    public var sessionEpoch: Int32
    public var topics: [FetchTopic]
    /// Partitions to drop from an incremental session (v7+).
    public var forgottenTopicsData: [ForgottenTopic]
    /// The consumer's rack (v11+).
    public var rackId: String

    public init(clusterId: String? = nil, replicaId: Int32 = -1, replicaState: ReplicaState? = nil, maxWaitMs: Int32 = 0,
                minBytes: Int32 = 0, maxBytes: Int32 = 0x7fff_ffff, isolationLevel: Int8 = 0, sessionId: Int32 = 0,
                sessionEpoch: Int32 = -1, topics: [FetchTopic] = [], forgottenTopicsData: [ForgottenTopic] = [], rackId: String = "") {
        self.clusterId = clusterId
        self.replicaId = replicaId
        self.replicaState = replicaState
        self.maxWaitMs = maxWaitMs
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.isolationLevel = isolationLevel
        self.sessionId = sessionId
        self.sessionEpoch = sessionEpoch
        self.topics = topics
        self.forgottenTopicsData = forgottenTopicsData
        self.rackId = rackId
    }

    /// A follower's id and epoch (v15+ only, outside the implemented range).
    public struct ReplicaState: Sendable, Equatable {
        public var replicaId: Int32
        public var replicaEpoch: Int64

        public init(replicaId: Int32 = -1, replicaEpoch: Int64 = -1) {
            self.replicaId = replicaId
            self.replicaEpoch = replicaEpoch
        }
    }

    /// One topic to fetch.
    public struct FetchTopic: Sendable, Equatable {
        /// The topic name (v0–12).
        public var topic: String
        /// The topic id (v13+ only; all zero = none). Not on the wire in v4–12.
        public var topicId: [UInt8]
        public var partitions: [FetchPartition]

        public init(topic: String = "", topicId: [UInt8] = [UInt8](repeating: 0, count: 16), partitions: [FetchPartition] = []) {
            self.topic = topic
            self.topicId = topicId
            self.partitions = partitions
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            topic = try reader.readString("topic")
            partitions = try reader.readArray("partitions") { (r: inout ProtocolReader) throws(ProtocolError) in
                try FetchPartition(from: &r, version: version)
            }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(topic)
            writer.writeArray(partitions) { w, partition in partition.encode(to: &w, version: version) }
            writer.writeTaggedFields()
        }
    }

    /// One partition to fetch.
    public struct FetchPartition: Sendable, Equatable {
        public var partition: Int32
        /// The leader epoch the client knows (v9+), -1 = unknown.
        public var currentLeaderEpoch: Int32
        public var fetchOffset: Int64
        /// Epoch of the last fetched record (v12+), -1 = none. Sits between `fetchOffset` and `logStartOffset`.
        public var lastFetchedEpoch: Int32
        /// The follower's log start offset (v5+); -1 from consumers.
        public var logStartOffset: Int64
        public var partitionMaxBytes: Int32

        public init(partition: Int32 = 0, currentLeaderEpoch: Int32 = -1, fetchOffset: Int64 = 0, lastFetchedEpoch: Int32 = -1,
                    logStartOffset: Int64 = -1, partitionMaxBytes: Int32 = 0) {
            self.partition = partition
            self.currentLeaderEpoch = currentLeaderEpoch
            self.fetchOffset = fetchOffset
            self.lastFetchedEpoch = lastFetchedEpoch
            self.logStartOffset = logStartOffset
            self.partitionMaxBytes = partitionMaxBytes
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            partition = try reader.readInt32()
            if version >= 9 { currentLeaderEpoch = try reader.readInt32() }
            fetchOffset = try reader.readInt64()
            if version >= 12 { lastFetchedEpoch = try reader.readInt32() }
            if version >= 5 { logStartOffset = try reader.readInt64() }
            partitionMaxBytes = try reader.readInt32()
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(partition)
            if version >= 9 { writer.writeInt32(currentLeaderEpoch) }
            writer.writeInt64(fetchOffset)
            if version >= 12 { writer.writeInt32(lastFetchedEpoch) }
            if version >= 5 { writer.writeInt64(logStartOffset) }
            writer.writeInt32(partitionMaxBytes)
            writer.writeTaggedFields()
        }
    }

    /// Partitions to remove from an incremental fetch session (v7+).
    public struct ForgottenTopic: Sendable, Equatable {
        /// The topic name (v7–12).
        public var topic: String
        /// The topic id (v13+ only; all zero = none). Not on the wire in v4–12.
        public var topicId: [UInt8]
        public var partitions: [Int32]

        public init(topic: String = "", topicId: [UInt8] = [UInt8](repeating: 0, count: 16), partitions: [Int32] = []) {
            self.topic = topic
            self.topicId = topicId
            self.partitions = partitions
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            topic = try reader.readString("topic")
            partitions = try reader.readArray("partitions") { (r: inout ProtocolReader) throws(ProtocolError) in try r.readInt32() }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(topic)
            writer.writeArray(partitions) { w, partition in w.writeInt32(partition) }
            writer.writeTaggedFields()
        }
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        replicaId = try reader.readInt32()
        maxWaitMs = try reader.readInt32()
        minBytes = try reader.readInt32()
        if version >= 3 { maxBytes = try reader.readInt32() }
        if version >= 4 { isolationLevel = try reader.readInt8() }
        if version >= 7 {
            sessionId = try reader.readInt32()
            sessionEpoch = try reader.readInt32()
        }
        topics = try reader.readArray("topics") { (r: inout ProtocolReader) throws(ProtocolError) in
            try FetchTopic(from: &r, version: version)
        }
        if version >= 7 {
            forgottenTopicsData = try reader.readArray("forgotten_topics_data") { (r: inout ProtocolReader) throws(ProtocolError) in
                try ForgottenTopic(from: &r, version: version)
            }
        }
        if version >= 11 { rackId = try reader.readString("rack_id") }
        for field in try reader.readTaggedFields() where field.tag == 0 && version >= 12 {
            var tagReader = ProtocolReader(field.data, flexible: true)
            clusterId = try tagReader.readNullableString("cluster_id")
        }
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeInt32(replicaId)
        writer.writeInt32(maxWaitMs)
        writer.writeInt32(minBytes)
        if version >= 3 { writer.writeInt32(maxBytes) }
        if version >= 4 { writer.writeInt8(isolationLevel) }
        if version >= 7 {
            writer.writeInt32(sessionId)
            writer.writeInt32(sessionEpoch)
        }
        writer.writeArray(topics) { w, topic in topic.encode(to: &w, version: version) }
        if version >= 7 {
            writer.writeArray(forgottenTopicsData) { w, topic in topic.encode(to: &w, version: version) }
        }
        if version >= 11 { writer.writeString(rackId) }
        var tags: [TaggedField] = []
        if version >= 12, let clusterId {
            tags.append(TaggedField(tag: 0, data: ProtocolWriter.taggedFieldData { $0.writeNullableString(clusterId) }))
        }
        writer.writeTaggedFields(tags)
    }
}

/// Fetch (key 1) response, v4–12 (flexible from v12).
///
/// Layout: `throttle_time_ms`, `error_code` and `session_id` (v7+), then
/// `responses[topic, partitions[partition_index, error_code, high_watermark, last_stable_offset,
/// log_start_offset (v5+), aborted_transactions (nullable), preferred_read_replica (v11+),
/// records]]`. In v12 each partition may carry tagged fields 0 `divergingEpoch`,
/// 1 `currentLeader`, 2 `snapshotId`; each is written only when non-nil.
///
/// The broker answers every requested partition; `preferredReadReplica` must stay -1. A broker
/// that declines fetch sessions answers `sessionId` 0. Records go through
/// `ProtocolWriter.writeRecords`, so `.external` data is spliced in by the sender (sendfile).
public struct FetchResponse: ProtocolMessage, Equatable {
    public var throttleTimeMs: Int32
    /// Top-level error (v7+), e.g. FETCH_SESSION_ID_NOT_FOUND.
    public var errorCode: ErrorCode
    /// The fetch session id (v7+), 0 = no session.
    public var sessionId: Int32
    public var responses: [FetchableTopicResponse]
    /// Tagged field 0 of v16+ (outside the implemented range; never read or written).
    public var nodeEndpoints: [NodeEndpoint]

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, sessionId: Int32 = 0,
                responses: [FetchableTopicResponse] = [], nodeEndpoints: [NodeEndpoint] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.sessionId = sessionId
        self.responses = responses
        self.nodeEndpoints = nodeEndpoints
    }

    /// One topic's partitions.
    public struct FetchableTopicResponse: Sendable, Equatable {
        /// The topic name (v0–12).
        public var topic: String
        /// The topic id (v13+ only; all zero = none). Not on the wire in v4–12.
        public var topicId: [UInt8]
        public var partitions: [PartitionData]

        public init(topic: String = "", topicId: [UInt8] = [UInt8](repeating: 0, count: 16), partitions: [PartitionData] = []) {
            self.topic = topic
            self.topicId = topicId
            self.partitions = partitions
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            topic = try reader.readString("topic")
            partitions = try reader.readArray("partitions") { (r: inout ProtocolReader) throws(ProtocolError) in
                try PartitionData(from: &r, version: version)
            }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(topic)
            writer.writeArray(partitions) { w, partition in partition.encode(to: &w, version: version) }
            writer.writeTaggedFields()
        }
    }

    /// One partition's result and data.
    public struct PartitionData: Sendable, Equatable {
        public var partitionIndex: Int32
        public var errorCode: ErrorCode
        public var highWatermark: Int64
        /// The last stable offset (v4+), -1 = unknown.
        public var lastStableOffset: Int64
        /// The log start offset (v5+), -1 = unknown.
        public var logStartOffset: Int64
        /// Tagged field 0 (v12+): where the follower's log diverges.
        public var divergingEpoch: EpochEndOffset?
        /// Tagged field 1 (v12+): the current leader, if known.
        public var currentLeader: LeaderIdAndEpoch?
        /// Tagged field 2 (v12+): the snapshot to fetch instead, below the log start offset.
        public var snapshotId: SnapshotId?
        /// Aborted transactions in the returned range (v4+, nullable; read_committed only).
        public var abortedTransactions: [AbortedTransaction]?
        /// The replica to fetch from next (v11+); must be -1 on a single broker.
        public var preferredReadReplica: Int32
        /// The record batches (nullable).
        public var records: RecordsData?

        public init(partitionIndex: Int32 = 0, errorCode: ErrorCode = .none, highWatermark: Int64 = 0, lastStableOffset: Int64 = -1,
                    logStartOffset: Int64 = -1, divergingEpoch: EpochEndOffset? = nil, currentLeader: LeaderIdAndEpoch? = nil,
                    snapshotId: SnapshotId? = nil, abortedTransactions: [AbortedTransaction]? = [],
                    preferredReadReplica: Int32 = -1, records: RecordsData? = nil) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.highWatermark = highWatermark
            self.lastStableOffset = lastStableOffset
            self.logStartOffset = logStartOffset
            self.divergingEpoch = divergingEpoch
            self.currentLeader = currentLeader
            self.snapshotId = snapshotId
            self.abortedTransactions = abortedTransactions
            self.preferredReadReplica = preferredReadReplica
            self.records = records
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            partitionIndex = try reader.readInt32()
            errorCode = ErrorCode(code: try reader.readInt16())
            highWatermark = try reader.readInt64()
            if version >= 4 { lastStableOffset = try reader.readInt64() }
            if version >= 5 { logStartOffset = try reader.readInt64() }
            if version >= 4 {
                abortedTransactions = try reader.readNullableArray("aborted_transactions") { (r: inout ProtocolReader) throws(ProtocolError) in
                    try AbortedTransaction(from: &r, version: version)
                }
            }
            if version >= 11 { preferredReadReplica = try reader.readInt32() }
            records = try reader.readNullableBytes("records").map { RecordsData.inline($0) }
            for field in try reader.readTaggedFields() where version >= 12 {
                var tagReader = ProtocolReader(field.data, flexible: true)
                switch field.tag {
                case 0: divergingEpoch = try EpochEndOffset(from: &tagReader, version: version)
                case 1: currentLeader = try LeaderIdAndEpoch(from: &tagReader, version: version)
                case 2: snapshotId = try SnapshotId(from: &tagReader, version: version)
                default: break
                }
            }
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(partitionIndex)
            writer.writeInt16(errorCode.rawValue)
            writer.writeInt64(highWatermark)
            if version >= 4 { writer.writeInt64(lastStableOffset) }
            if version >= 5 { writer.writeInt64(logStartOffset) }
            if version >= 4 {
                writer.writeNullableArray(abortedTransactions) { w, aborted in aborted.encode(to: &w, version: version) }
            }
            if version >= 11 { writer.writeInt32(preferredReadReplica) }
            writer.writeRecords(records)
            var tags: [TaggedField] = []
            if version >= 12 {
                if let divergingEpoch {
                    tags.append(TaggedField(tag: 0, data: ProtocolWriter.taggedFieldData { divergingEpoch.encode(to: &$0, version: version) }))
                }
                if let currentLeader {
                    tags.append(TaggedField(tag: 1, data: ProtocolWriter.taggedFieldData { currentLeader.encode(to: &$0, version: version) }))
                }
                if let snapshotId {
                    tags.append(TaggedField(tag: 2, data: ProtocolWriter.taggedFieldData { snapshotId.encode(to: &$0, version: version) }))
                }
            }
            writer.writeTaggedFields(tags)
        }
    }

    /// A transaction aborted within the returned records (v4+).
    public struct AbortedTransaction: Sendable, Equatable {
        public var producerId: Int64
        public var firstOffset: Int64

        public init(producerId: Int64 = 0, firstOffset: Int64 = 0) {
            self.producerId = producerId
            self.firstOffset = firstOffset
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            producerId = try reader.readInt64()
            firstOffset = try reader.readInt64()
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt64(producerId)
            writer.writeInt64(firstOffset)
            writer.writeTaggedFields()
        }
    }

    /// The largest epoch and its end offset below which the logs agree (tagged 0, v12+).
    public struct EpochEndOffset: Sendable, Equatable {
        public var epoch: Int32
        public var endOffset: Int64

        public init(epoch: Int32 = -1, endOffset: Int64 = -1) {
            self.epoch = epoch
            self.endOffset = endOffset
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            epoch = try reader.readInt32()
            endOffset = try reader.readInt64()
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(epoch)
            writer.writeInt64(endOffset)
            writer.writeTaggedFields()
        }
    }

    /// The current leader of a partition (tagged 1, v12+); -1 = unknown.
    public struct LeaderIdAndEpoch: Sendable, Equatable {
        public var leaderId: Int32
        public var leaderEpoch: Int32

        public init(leaderId: Int32 = -1, leaderEpoch: Int32 = -1) {
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            leaderId = try reader.readInt32()
            leaderEpoch = try reader.readInt32()
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(leaderId)
            writer.writeInt32(leaderEpoch)
            writer.writeTaggedFields()
        }
    }

    /// The snapshot to fetch when the offset is below the log start (tagged 2, v12+).
    public struct SnapshotId: Sendable, Equatable {
        public var endOffset: Int64
        public var epoch: Int32

        public init(endOffset: Int64 = -1, epoch: Int32 = -1) {
            self.endOffset = endOffset
            self.epoch = epoch
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            endOffset = try reader.readInt64()
            epoch = try reader.readInt32()
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt64(endOffset)
            writer.writeInt32(epoch)
            writer.writeTaggedFields()
        }
    }

    /// A leader's endpoint (tagged 0 of v16+, outside the implemented range).
    public struct NodeEndpoint: Sendable, Equatable {
        public var nodeId: Int32
        public var host: String
        public var port: Int32
        public var rack: String?

        public init(nodeId: Int32 = 0, host: String = "", port: Int32 = 0, rack: String? = nil) {
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.rack = rack
        }
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 1 { throttleTimeMs = try reader.readInt32() }
        if version >= 7 {
            errorCode = ErrorCode(code: try reader.readInt16())
            sessionId = try reader.readInt32()
        }
        responses = try reader.readArray("responses") { (r: inout ProtocolReader) throws(ProtocolError) in
            try FetchableTopicResponse(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        if version >= 7 {
            writer.writeInt16(errorCode.rawValue)
            writer.writeInt32(sessionId)
        }
        writer.writeArray(responses) { w, topic in topic.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}

