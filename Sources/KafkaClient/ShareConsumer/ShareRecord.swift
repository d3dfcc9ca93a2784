public import KafkaRecords

/// One record as `ShareConsumer.poll(timeoutMs:)` returns it: acquired by this consumer (locked
/// to it until acknowledged or until the broker's acquisition lock expires).
///
/// A plain value; `Sendable`.
public struct ShareRecord: Sendable, Equatable {
    /// The topic the record was read from.
    public var topic: String
    /// The partition the record was read from.
    public var partition: Int32
    /// The record's offset in its partition.
    public var offset: Int64
    /// Key bytes; nil for a null key.
    public var key: [UInt8]?
    /// Value bytes; nil for a tombstone.
    public var value: [UInt8]?
    /// Headers in wire order (keys may repeat).
    public var headers: [RecordHeader]
    /// Milliseconds since the Unix epoch (create or log-append time, see `timestampType`).
    public var timestamp: Int64
    /// Whether `timestamp` is the producer's create time or the broker's append time.
    public var timestampType: TimestampType
    /// How many times the record has been delivered, this delivery included (1 the first time).
    public var deliveryCount: Int16

    /// Creates a record.
    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = [],
                timestamp: Int64, timestampType: TimestampType = .createTime, deliveryCount: Int16) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.deliveryCount = deliveryCount
    }

    /// The record's topic and partition.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// The record as a `ConsumerRecord` (for code that prints or processes both kinds).
    public var consumerRecord: ConsumerRecord {
        ConsumerRecord(topic: topic, partition: partition, offset: offset, timestamp: timestamp, timestampType: timestampType,
                       key: key, value: value, headers: headers)
    }
}
