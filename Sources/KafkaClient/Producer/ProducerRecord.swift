public import KafkaRecords

/// One record to be produced. A value type; `Sendable`.
///
/// Partition choice: an explicit `partition` wins; otherwise a non-nil `key` (even an empty one)
/// is hashed with ``Murmur2Partitioner`` (the Java client's default, so keys land where Java,
/// librdkafka `murmur2_random` and kafka-python put them); otherwise the sticky partitioner keeps
/// filling one partition's batch and switches partition when that batch is sent.
public struct ProducerRecord: Sendable, Equatable {
    /// Topic name; must be a valid Kafka topic name (`[a-zA-Z0-9._-]`, 1–249 characters, not
    /// `.` or `..`).
    public var topic: String
    /// Explicit partition (≥ 0), or nil to let the producer choose.
    public var partition: Int32?
    /// Key bytes, nil for a null key.
    public var key: [UInt8]?
    /// Value bytes, nil for a tombstone.
    public var value: [UInt8]?
    /// Headers, in order.
    public var headers: [RecordHeader]
    /// CreateTime in milliseconds since the Unix epoch; nil = the wall clock when `send` is called.
    public var timestamp: Int64?

    /// Creates a record.
    public init(topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8]?,
                headers: [RecordHeader] = [], timestamp: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }
}
