/// Produce (key 0) request, v0–9 (flexible from v9).
///
/// Layout: `transactional_id` (v3+, nullable), `acks`, `timeout_ms`, then
/// `topic_data[name, partition_data[index, records]]`. `records` holds record batches; v3+
/// carries exactly one magic-2 batch per partition (v0–2 would carry legacy message sets).
///
/// `acks`: 0 = the client expects **no response at all** (the broker must not send one),
/// 1 = leader only, -1 = all in-sync replicas (the same thing on a single broker). Any other
/// value is answered with INVALID_REQUIRED_ACKS. A non-null `transactionalId` marks a
/// transactional producer. `timeoutMs` bounds how long the broker may wait for replication.
public struct ProduceRequest: KafkaRequest, Equatable {
    public typealias Response = ProduceResponse
    public static let apiKey = ApiKey.produce

    /// The transactional id, or nil for a non-transactional producer (v3+).
    public var transactionalId: String?
    /// 0 (no response), 1 (leader) or -1 (all in-sync replicas).
    public var acks: Int16
    public var timeoutMs: Int32
    public var topicData: [TopicProduceData]

    public init(transactionalId: String? = nil, acks: Int16 = 0, timeoutMs: Int32 = 0, topicData: [TopicProduceData] = []) {
        self.transactionalId = transactionalId
        self.acks = acks
        self.timeoutMs = timeoutMs
        self.topicData = topicData
    }

    /// One topic's data.
    public struct TopicProduceData: Sendable, Equatable {
        public var name: String
        public var partitionData: [PartitionProduceData]

        public init(name: String = "", partitionData: [PartitionProduceData] = []) {
            self.name = name
            self.partitionData = partitionData
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            name = try reader.readString("topic name")
            partitionData = try reader.readArray("partition_data") { (r: inout ProtocolReader) throws(ProtocolError) in
                try PartitionProduceData(from: &r, version: version)
            }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeArray(partitionData) { w, partition in partition.encode(to: &w, version: version) }
            writer.writeTaggedFields()
        }
    }

    /// One partition's record data.
    public struct PartitionProduceData: Sendable, Equatable {
        public var index: Int32
        /// The record batches (nullable on the wire).
        public var records: RecordsData?

        public init(index: Int32 = 0, records: RecordsData? = nil) {
            self.index = index
            self.records = records
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            index = try reader.readInt32()
            records = try reader.readNullableBytes("records").map { RecordsData.inline($0) }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(index)
            writer.writeRecords(records)
            writer.writeTaggedFields()
        }
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 3 { transactionalId = try reader.readNullableString("transactional_id") }
        acks = try reader.readInt16()
        timeoutMs = try reader.readInt32()
        topicData = try reader.readArray("topic_data") { (r: inout ProtocolReader) throws(ProtocolError) in
            try TopicProduceData(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 3 { writer.writeNullableString(transactionalId) }
        writer.writeInt16(acks)
        writer.writeInt32(timeoutMs)
        writer.writeArray(topicData) { w, topic in topic.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}

/// Produce (key 0) response, v0–9 (flexible from v9). Never sent when the request had `acks = 0`.
///
/// Layout: `responses[name, partition_responses[index, error_code, base_offset,
/// log_append_time_ms (v2+), log_start_offset (v5+), record_errors (v8+), error_message (v8+)]]`,
/// then `throttle_time_ms` (v1+) — **after** the responses array, unlike most responses.
/// `logAppendTimeMs` is -1 for CreateTime topics; `baseOffset` is the offset assigned to the
/// first record of the appended batch.
public struct ProduceResponse: ProtocolMessage, Equatable {
    public var responses: [TopicProduceResponse]
    public var throttleTimeMs: Int32

    public init(responses: [TopicProduceResponse] = [], throttleTimeMs: Int32 = 0) {
        self.responses = responses
        self.throttleTimeMs = throttleTimeMs
    }

    /// One topic's results.
    public struct TopicProduceResponse: Sendable, Equatable {
        public var name: String
        public var partitionResponses: [PartitionProduceResponse]

        public init(name: String = "", partitionResponses: [PartitionProduceResponse] = []) {
            self.name = name
            self.partitionResponses = partitionResponses
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            name = try reader.readString("topic name")
            partitionResponses = try reader.readArray("partition_responses") { (r: inout ProtocolReader) throws(ProtocolError) in
                try PartitionProduceResponse(from: &r, version: version)
            }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeArray(partitionResponses) { w, partition in partition.encode(to: &w, version: version) }
            writer.writeTaggedFields()
        }
    }

    /// One partition's result.
    public struct PartitionProduceResponse: Sendable, Equatable {
        public var index: Int32
        public var errorCode: ErrorCode
        /// The offset assigned to the first record.
        public var baseOffset: Int64
        /// Broker append time for LogAppendTime topics, else -1 (v2+).
        public var logAppendTimeMs: Int64
        /// The partition's log start offset (v5+).
        public var logStartOffset: Int64
        /// Records that caused the batch to be dropped (v8+).
        public var recordErrors: [BatchIndexAndErrorMessage]
        /// A summary of why the batch was dropped (v8+).
        public var errorMessage: String?

        public init(index: Int32 = 0, errorCode: ErrorCode = .none, baseOffset: Int64 = 0, logAppendTimeMs: Int64 = -1,
                    logStartOffset: Int64 = -1, recordErrors: [BatchIndexAndErrorMessage] = [], errorMessage: String? = nil) {
            self.index = index
            self.errorCode = errorCode
            self.baseOffset = baseOffset
            self.logAppendTimeMs = logAppendTimeMs
            self.logStartOffset = logStartOffset
            self.recordErrors = recordErrors
            self.errorMessage = errorMessage
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            index = try reader.readInt32()
            errorCode = ErrorCode(code: try reader.readInt16())
            baseOffset = try reader.readInt64()
            if version >= 2 { logAppendTimeMs = try reader.readInt64() }
            if version >= 5 { logStartOffset = try reader.readInt64() }
            if version >= 8 {
                recordErrors = try reader.readArray("record_errors") { (r: inout ProtocolReader) throws(ProtocolError) in
                    try BatchIndexAndErrorMessage(from: &r, version: version)
                }
                errorMessage = try reader.readNullableString("error_message")
            }
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(index)
            writer.writeInt16(errorCode.rawValue)
            writer.writeInt64(baseOffset)
            if version >= 2 { writer.writeInt64(logAppendTimeMs) }
            if version >= 5 { writer.writeInt64(logStartOffset) }
            if version >= 8 {
                writer.writeArray(recordErrors) { w, error in error.encode(to: &w, version: version) }
                writer.writeNullableString(errorMessage)
            }
            writer.writeTaggedFields()
        }
    }

    /// A record (by index within the batch) that caused the batch to be dropped (v8+).
    public struct BatchIndexAndErrorMessage: Sendable, Equatable {
        public var batchIndex: Int32
        public var batchIndexErrorMessage: String?

        public init(batchIndex: Int32 = 0, batchIndexErrorMessage: String? = nil) {
            self.batchIndex = batchIndex
            self.batchIndexErrorMessage = batchIndexErrorMessage
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            batchIndex = try reader.readInt32()
            batchIndexErrorMessage = try reader.readNullableString("batch_index_error_message")
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt32(batchIndex)
            writer.writeNullableString(batchIndexErrorMessage)
            writer.writeTaggedFields()
        }
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        responses = try reader.readArray("responses") { (r: inout ProtocolReader) throws(ProtocolError) in
            try TopicProduceResponse(from: &r, version: version)
        }
        if version >= 1 { throttleTimeMs = try reader.readInt32() }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeArray(responses) { w, topic in topic.encode(to: &w, version: version) }
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeTaggedFields()
    }
}
