/// Bytes and records that went into and out of one topic through Produce and Fetch.
/// `recordsOut` counts the offsets a fetch answer covers from the fetch offset to the end of
/// its last batch (sendfile sends batches unopened), so it can exceed what a consumer keeps
/// (records below the fetch offset in the first batch are not counted; control records and
/// compaction gaps are).
public struct TopicTraffic: Sendable, Equatable {
    public var bytesIn: UInt64 = 0
    public var recordsIn: UInt64 = 0
    public var bytesOut: UInt64 = 0
    public var recordsOut: UInt64 = 0

    public init() {}
}
