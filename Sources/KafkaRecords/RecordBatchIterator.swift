/// Walks concatenated RecordBatch v2 batches in a byte range without copying, e.g. the
/// `records` field of a fetch response or a chunk read from a log segment.
///
/// Each call to ``next()`` yields the header and the absolute byte range of the next
/// *complete* batch. Following Kafka's own reader, it stops (returns nil, no error) when fewer
/// than 12 bytes remain or when the batch's `batchLength` reaches past the end — brokers
/// routinely cut the last batch of a fetch response short — and throws when a complete batch
/// has an invalid header (`batchLength < 49`, magic ≠ 2, negative `lastOffsetDelta` or
/// `recordCount`, codec > 4) or, with `verifyCRC`, a wrong CRC. After a throw or a nil the
/// iterator stays where it stopped; ``position`` tells where that is.
///
/// Thread-safety: a value type; `Sendable`.
public struct RecordBatchIterator: Sendable {
    /// One complete batch found by the iterator.
    public typealias Element = (header: RecordBatchHeader, range: Range<Int>)

    /// The bytes being walked.
    public let bytes: [UInt8]
    /// Exclusive end of the walked range.
    public let endIndex: Int
    /// Whether each batch's CRC-32C is checked.
    public let verifyCRC: Bool
    /// Absolute index of the next batch to read.
    public private(set) var position: Int

    /// Creates an iterator over `bytes[range]` (all of `bytes` when nil; clamped to the array).
    public init(_ bytes: [UInt8], range: Range<Int>? = nil, verifyCRC: Bool = false) {
        let clamped = (range ?? bytes.indices).clamped(to: bytes.indices)
        self.bytes = bytes
        self.endIndex = clamped.upperBound
        self.position = clamped.lowerBound
        self.verifyCRC = verifyCRC
    }

    /// Bytes from ``position`` to the end: after iteration finished, the size of the trailing
    /// partial batch (0 if the range held only whole batches).
    public var remaining: Int { endIndex - position }

    /// The next complete batch, or nil at the end of the range or at a trailing partial batch.
    public mutating func next() throws(RecordBatchError) -> Element? {
        let start = position
        let available = endIndex - start
        let verify = verifyCRC
        let found: Result<RecordBatchHeader?, RecordBatchError> = bytes.withUnsafeBytes { raw in
            Result { () throws(RecordBatchError) in
                let rest = UnsafeRawBufferPointer(rebasing: raw[start..<(start + available)])
                guard available >= RecordBatchHeader.logOverhead else { return nil }
                let (_, batchLength) = try RecordBatchHeader.peekLength(rest)
                guard batchLength >= RecordBatchHeader.minimumBatchLength else {
                    throw .invalidLength(batchLength)
                }
                guard Int(batchLength) + RecordBatchHeader.logOverhead <= available else { return nil }
                if verify { return try RecordBatchHeader.validate(rest) }
                let header = try RecordBatchHeader(parsing: rest)
                try header.checkFields()
                return header
            }
        }
        guard let header = try found.get() else { return nil }
        position = start + header.totalSize
        return (header, start..<position)
    }

    /// Every complete batch in `bytes[range]` (see the type's documentation for when iteration
    /// stops silently and when it throws).
    public static func batches(
        in bytes: [UInt8],
        range: Range<Int>? = nil,
        verifyCRC: Bool = false
    ) throws(RecordBatchError) -> [Element] {
        var iterator = RecordBatchIterator(bytes, range: range, verifyCRC: verifyCRC)
        var result: [Element] = []
        while let batch = try iterator.next() { result.append(batch) }
        return result
    }
}
