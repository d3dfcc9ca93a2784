/// How far a group is behind on one partition (`KafkaAdmin.lag(group:)`).
///
/// `lag` is the number of records the group has still to read:
/// - with a committed offset: `highWatermark − committedOffset` (never below 0);
/// - without one (`committedOffset` −1): `highWatermark − logStartOffset`, i.e. every record
///   still retained, as a consumer resetting to `earliest` would see it;
/// - −1 when the partition's offsets could not be listed (e.g. its topic was deleted).
/// A value type; `Sendable`.
public struct PartitionLag: Sendable, Equatable {
    /// The topic.
    public var topic: String
    /// The partition index.
    public var partition: Int32
    /// The group's committed offset (the next offset to read), −1 when none.
    public var committedOffset: Int64
    /// The partition's log start offset, −1 when unknown.
    public var logStartOffset: Int64
    /// The partition's high watermark (log end offset), −1 when unknown.
    public var highWatermark: Int64
    /// Records left to read (see the type's documentation), −1 when unknown.
    public var lag: Int64
    /// The member the partition is assigned to, nil when unassigned.
    public var memberId: String?
    /// That member's client id.
    public var clientId: String?
    /// That member's host.
    public var host: String?

    /// A lag entry; `lag` is computed from the offsets as documented on the type.
    public init(topic: String, partition: Int32, committedOffset: Int64, logStartOffset: Int64, highWatermark: Int64,
                memberId: String? = nil, clientId: String? = nil, host: String? = nil) {
        self.topic = topic
        self.partition = partition
        self.committedOffset = committedOffset
        self.logStartOffset = logStartOffset
        self.highWatermark = highWatermark
        self.lag = Self.lag(committed: committedOffset, logStart: logStartOffset, highWatermark: highWatermark)
        self.memberId = memberId
        self.clientId = clientId
        self.host = host
    }

    /// The partition as a `TopicPartition`.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// The documented lag rule.
    static func lag(committed: Int64, logStart: Int64, highWatermark: Int64) -> Int64 {
        guard highWatermark >= 0 else { return -1 }
        if committed >= 0 { return max(0, highWatermark - committed) }
        guard logStart >= 0 else { return -1 }
        return max(0, highWatermark - logStart)
    }
}
