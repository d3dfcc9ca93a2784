/// A record decoded from an uncompressed batch by ``RecordBatchRecords/decode(_:at:verifyCRC:)``.
///
/// Offsets and timestamps are absolute (the batch's base plus the record's deltas; for
/// LogAppendTime batches the timestamp is the batch's `maxTimestamp`).
/// Thread-safety: a plain value, `Sendable`.
public struct Record: Sendable, Equatable {
    /// Absolute offset: `baseOffset + offsetDelta`.
    public var offset: Int64
    /// Absolute timestamp in milliseconds.
    public var timestamp: Int64
    /// Key bytes; `nil` for a null key (length −1).
    public var key: [UInt8]?
    /// Value bytes; `nil` for a tombstone (length −1).
    public var value: [UInt8]?
    /// Headers in wire order.
    public var headers: [RecordHeader]

    /// Creates a record.
    public init(offset: Int64, timestamp: Int64, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }
}
