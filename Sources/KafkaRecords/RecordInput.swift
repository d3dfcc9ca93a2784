/// A record to be added to a batch by ``RecordBatchBuilder``; the builder derives offsets and
/// timestamp deltas. Thread-safety: a plain value, `Sendable`.
public struct RecordInput: Sendable, Equatable {
    /// Key bytes, `nil` for a null key.
    public var key: [UInt8]?
    /// Value bytes, `nil` for a tombstone.
    public var value: [UInt8]?
    /// Headers in the order they are written.
    public var headers: [RecordHeader]
    /// Absolute timestamp in milliseconds (CreateTime).
    public var timestamp: Int64

    /// Creates a record input.
    public init(key: [UInt8]? = nil, value: [UInt8]?, headers: [RecordHeader] = [], timestamp: Int64) {
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }
}
