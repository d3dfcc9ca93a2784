/// Where a produced record ended up: the delivery report of ``KafkaProducer``. A value type.
public struct RecordMetadata: Sendable, Equatable, CustomStringConvertible {
    /// The topic the record was written to.
    public var topic: String
    /// The partition the record was written to.
    public var partition: Int32
    /// The record's offset in the partition; −1 with `acks = .none` (the broker does not answer).
    public var offset: Int64
    /// The record's timestamp: its CreateTime, or the broker's append time for LogAppendTime topics.
    public var timestamp: Int64

    /// Creates a delivery report.
    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
    }

    /// `topic-partition@offset`.
    public var description: String { "\(topic)-\(partition)@\(offset)" }
}
