/// One header of a record (kafka-protocol.md §3.4): a non-null UTF-8 key and a nullable value.
/// Thread-safety: a plain value, `Sendable`.
public struct RecordHeader: Sendable, Equatable {
    /// Header name; never null on the wire, may be empty.
    public var key: String
    /// Header value; `nil` is encoded as length −1.
    public var value: [UInt8]?

    /// Creates a header.
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
