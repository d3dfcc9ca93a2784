/// One partition of one topic: the unit of assignment, offsets and leadership.
/// A value type; `Sendable`.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The topic's name.
    public var topic: String
    /// The partition index within the topic (0-based).
    public var partition: Int32

    /// A partition of `topic`.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// Orders by topic name, then partition index.
    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        lhs.topic != rhs.topic ? lhs.topic < rhs.topic : lhs.partition < rhs.partition
    }

    /// `topic-partition`, as Kafka tools print it.
    public var description: String { "\(topic)-\(partition)" }
}
