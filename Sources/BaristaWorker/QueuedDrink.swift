public import KafkaRecords

/// One record taken from the brewing queue, with how many times it has been delivered. Value
/// type.
public struct QueuedDrink: Sendable, Equatable {
    /// Source topic.
    public var topic: String
    /// Source partition.
    public var partition: Int32
    /// Source offset.
    public var offset: Int64
    /// Key bytes.
    public var key: [UInt8]?
    /// Value bytes (a `DrinkRequested` when well formed).
    public var value: [UInt8]?
    /// Headers in wire order.
    public var headers: [RecordHeader]
    /// Deliveries so far, this one included (1 the first time).
    public var deliveryCount: Int

    /// `topic/partition@offset`: the record's place, as the queues key what they handed out.
    var position: String { Self.position(topic, partition, offset) }

    /// `topic/partition@offset` for a record not (yet) wrapped in a `QueuedDrink`.
    static func position(_ topic: String, _ partition: Int32, _ offset: Int64) -> String { "\(topic)/\(partition)@\(offset)" }

    /// Creates a queued drink.
    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?,
                headers: [RecordHeader] = [], deliveryCount: Int) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.deliveryCount = deliveryCount
    }
}

/// What the worker tells the queue about a drink it took (the share group's acknowledgement
/// types). Value type.
public enum DrinkAcknowledgement: String, Sendable, Equatable {
    /// Done with (brewed, or given up on after dead-lettering): never delivered again.
    case accept
    /// Not done: deliver it again (to any worker).
    case release
    /// Unprocessable: never delivered again (archived).
    case reject
}
