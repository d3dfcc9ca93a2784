public import KafkaRecords

/// One record as `KafkaConsumer.poll(timeoutMs:)` returns it.
///
/// Offsets and timestamps are absolute (the batch's base plus the record's deltas; for
/// LogAppendTime batches the broker's append time). A plain value; `Sendable`.
public struct ConsumerRecord: Sendable, Equatable {
    /// The topic the record was read from.
    public var topic: String
    /// The partition the record was read from.
    public var partition: Int32
    /// The record's offset in its partition.
    public var offset: Int64
    /// Milliseconds since the Unix epoch (see `timestampType`).
    public var timestamp: Int64
    /// Whether `timestamp` is the producer's create time or the broker's append time.
    public var timestampType: TimestampType
    /// Key bytes; nil for a null key.
    public var key: [UInt8]?
    /// Value bytes; nil for a tombstone.
    public var value: [UInt8]?
    /// Headers in wire order (keys may repeat).
    public var headers: [RecordHeader]

    /// Creates a record.
    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64, timestampType: TimestampType = .createTime,
                key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The record's topic and partition.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
}
