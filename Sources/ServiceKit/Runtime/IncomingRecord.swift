/// One consumed Kafka record as the chassis processes it: where it came from and its bytes.
/// Value type; independent of the client library so processing is testable without a broker.
public struct IncomingRecord: Sendable, Equatable {
    /// The source topic.
    public var topic: String
    /// The source partition.
    public var partition: Int32
    /// The record's offset.
    public var offset: Int64
    /// The record timestamp (Unix ms).
    public var timestamp: Int64
    /// The key bytes, nil for a null key.
    public var key: [UInt8]?
    /// The value bytes, nil for a null value (a tombstone; never a valid event).
    public var value: [UInt8]?
    /// The headers, in order.
    public var headers: [MessageHeader]

    /// Creates a record.
    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64 = 0,
                key: [UInt8]? = nil, value: [UInt8]?, headers: [MessageHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }
}
