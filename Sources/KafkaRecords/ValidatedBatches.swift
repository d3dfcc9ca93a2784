/// One or more concatenated RecordBatch v2 batches that passed full validation, ready to be
/// appended to a partition log.
///
/// Invariants (established by ``init(validating:maxBatchSize:allowControl:)`` and kept by
/// ``assignOffsets(startingAt:partitionLeaderEpoch:)``):
/// - `headers` is non-empty and in byte order; batch `i` starts at the sum of the `totalSize`
///   of the batches before it, and the sum of all `totalSize` equals `bytes.count`;
/// - every batch has magic 2, a correct CRC-32C, `lastOffsetDelta >= 0`, `recordCount >= 0`,
///   codec ≤ 4, `totalSize <= maxBatchSize`, and (unless allowed) no control bit;
/// - `headers[i]` always equals the bytes of batch `i` (offsets and epochs included).
///
/// Thread-safety: a value type; `Sendable`.
public struct ValidatedBatches: Sendable {
    /// The batch bytes, exactly as received except for fields rewritten by `assignOffsets`.
    public private(set) var bytes: [UInt8]
    /// One parsed header per batch, in order.
    public private(set) var headers: [RecordBatchHeader]

    /// Validates every batch in `bytes`.
    ///
    /// `bytes` must be exactly a sequence of whole batches: empty input and trailing partial
    /// bytes throw `truncated`; each batch is checked as by
    /// ``RecordBatchHeader/validate(_:maxBatchSize:)``; a control batch throws
    /// `controlBatchNotAllowed` unless `allowControl` is true. The first failure is thrown.
    public init(
        validating bytes: [UInt8],
        maxBatchSize: Int = Int(Int32.max),
        allowControl: Bool = false
    ) throws(RecordBatchError) {
        let parsed: Result<[RecordBatchHeader], RecordBatchError> = bytes.withUnsafeBytes { raw in
            Result { () throws(RecordBatchError) in
                try ValidatedBatches.validateAll(raw, maxBatchSize: maxBatchSize, allowControl: allowControl)
            }
        }
        self.headers = try parsed.get()
        self.bytes = bytes
    }

    private static func validateAll(
        _ raw: UnsafeRawBufferPointer,
        maxBatchSize: Int,
        allowControl: Bool
    ) throws(RecordBatchError) -> [RecordBatchHeader] {
        guard raw.count > 0 else { throw .truncated(needed: RecordBatchHeader.size, available: 0) }
        var headers: [RecordBatchHeader] = []
        var start = 0
        while start < raw.count {
            let rest = UnsafeRawBufferPointer(rebasing: raw[start...])
            let header = try RecordBatchHeader.validate(rest, maxBatchSize: maxBatchSize)
            if header.isControl && !allowControl { throw .controlBatchNotAllowed }
            headers.append(header)
            start += header.totalSize
        }
        return headers
    }

    /// Total offsets the batches occupy: the sum of `lastOffsetDelta + 1`.
    public var offsetCount: Int64 {
        headers.reduce(0) { $0 &+ $1.offsetCount }
    }

    /// The largest `maxTimestamp` of any batch (`Int64.min` only if there were no batches,
    /// which the initializer rules out).
    public var maxTimestamp: Int64 {
        headers.reduce(Int64.min) { max($0, $1.maxTimestamp) }
    }

    /// Number of batches.
    public var batchCount: Int { headers.count }

    /// Byte range of batch `index` within ``bytes``; `index` must be in `headers.indices`.
    public func range(ofBatch index: Int) -> Range<Int> {
        var start = 0
        for header in headers[..<index] { start += header.totalSize }
        return start..<(start + headers[index].totalSize)
    }

    /// Assigns consecutive offsets and stamps the leader epoch: batch 0 gets `base`, batch
    /// `i + 1` gets batch `i`'s base + `lastOffsetDelta + 1`. Only bytes 0–7 and 12–15 of each
    /// batch change, so every CRC stays valid; `headers` is updated to match.
    /// Offsets wrap instead of trapping (unreachable for real logs).
    public mutating func assignOffsets(startingAt base: Int64, partitionLeaderEpoch: Int32) {
        var next = base
        var start = 0
        var updated = headers
        bytes.withUnsafeMutableBytes { raw in
            for index in updated.indices {
                let size = updated[index].totalSize
                RecordBatchHeader.rewrite(
                    baseOffset: next,
                    partitionLeaderEpoch: partitionLeaderEpoch,
                    in: UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + size)])
                )
                updated[index].baseOffset = next
                updated[index].partitionLeaderEpoch = partitionLeaderEpoch
                next = next &+ updated[index].offsetCount
                start += size
            }
        }
        headers = updated
    }

    /// Stamps every batch with the broker's append time (`message.timestamp.type=LogAppendTime`):
    /// sets attribute bit 3 and `maxTimestamp = now`, then recomputes each CRC (both fields are
    /// covered by it). Consumers then report `now` as every record's timestamp.
    public mutating func stampLogAppendTime(_ now: Int64) {
        var start = 0
        var updated = headers
        bytes.withUnsafeMutableBytes { raw in
            for index in updated.indices {
                let size = updated[index].totalSize
                let batch = UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + size)])
                let attributes = updated[index].attributes | 0x08
                batch.storeBytes(of: attributes.bigEndian, toByteOffset: 21, as: Int16.self)
                batch.storeBytes(of: now.bigEndian, toByteOffset: 35, as: Int64.self)
                let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: batch[RecordBatchHeader.crcCoverageStart...]))
                batch.storeBytes(of: crc.bigEndian, toByteOffset: 17, as: UInt32.self)
                updated[index].attributes = attributes
                updated[index].maxTimestamp = now
                updated[index].crc = crc
                start += size
            }
        }
        headers = updated
    }
}
