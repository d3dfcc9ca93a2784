/// Where a share group stands in one partition (DescribeShareGroupOffsets): the start offset
/// (every record before it is done for the group) and the lag (records at or after it not yet
/// acknowledged). A plain value; `Sendable`.
public struct ShareGroupPartitionOffset: Sendable, Equatable {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The share-partition start offset; -1 when the group has not read the partition yet.
    public var startOffset: Int64
    /// Records not yet acknowledged by the group; -1 when unknown.
    public var lag: Int64

    /// An offset entry with every field given.
    public init(topic: String, partition: Int32, startOffset: Int64, lag: Int64) {
        self.topic = topic
        self.partition = partition
        self.startOffset = startOffset
        self.lag = lag
    }
}
