extension RecordBatchHeader {
    /// Fully validates the batch that starts at `buffer[0]` and returns its header.
    ///
    /// `buffer` must hold at least the whole batch; bytes after it are ignored. Checks, in order:
    /// 1. at least 61 bytes, magic 2, `batchLength >= 49` (as ``init(parsing:)-(UnsafeRawBufferPointer)``);
    /// 2. the whole batch is present: `totalSize <= buffer.count`, else `truncated`;
    /// 3. `totalSize <= maxBatchSize` (i.e. `batchLength <= maxBatchSize − 12`), else `batchTooLarge`
    ///    — checked after presence so a corrupt length in a short buffer reads as corruption,
    ///    not as an oversized batch;
    /// 4. `lastOffsetDelta >= 0`, `recordCount >= 0`, codec ≤ 4;
    /// 5. CRC-32C over bytes `21..<totalSize` equals the stored CRC.
    ///
    /// The control bit is *not* checked here (see ``ValidatedBatches``).
    public static func validate(
        _ buffer: UnsafeRawBufferPointer,
        maxBatchSize: Int = Int(Int32.max)
    ) throws(RecordBatchError) -> RecordBatchHeader {
        let header = try RecordBatchHeader(parsing: buffer)
        let total = header.totalSize
        guard total <= buffer.count else { throw .truncated(needed: total, available: buffer.count) }
        guard total <= maxBatchSize else { throw .batchTooLarge(size: total, limit: maxBatchSize) }
        try header.checkFields()
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[crcCoverageStart..<total]))
        guard computed == header.crc else { throw .crcMismatch(stored: header.crc, computed: computed) }
        return header
    }

    /// ``validate(_:maxBatchSize:)`` for the batch starting at `bytes[index]`.
    public static func validate(
        _ bytes: [UInt8],
        at index: Int = 0,
        maxBatchSize: Int = Int(Int32.max)
    ) throws(RecordBatchError) -> RecordBatchHeader {
        let header: Result<RecordBatchHeader, RecordBatchError> = bytes.withUnsafeBytes { raw in
            Result { () throws(RecordBatchError) in
                try validate(suffix(of: raw, from: index), maxBatchSize: maxBatchSize)
            }
        }
        return try header.get()
    }

    /// The header-only checks shared by validation and iteration: offset delta, record count
    /// and codec. (Magic and minimum length were checked by parsing.)
    func checkFields() throws(RecordBatchError) {
        guard lastOffsetDelta >= 0 else { throw .invalidLastOffsetDelta(lastOffsetDelta) }
        guard recordCount >= 0 else { throw .invalidRecordCount(recordCount) }
        guard compression != nil else { throw .invalidCompression(attributes & 0x07) }
    }

    /// Overwrites baseOffset (bytes 0–7) and partitionLeaderEpoch (bytes 12–15) in place.
    ///
    /// The CRC does not cover these bytes, so the batch stays valid. A buffer shorter than 16
    /// bytes cannot hold a header and is left untouched (callers validate before rewriting).
    public static func rewrite(
        baseOffset: Int64,
        partitionLeaderEpoch: Int32,
        in buffer: UnsafeMutableRawBufferPointer
    ) {
        guard buffer.count >= 16 else { return }
        buffer.storeBytes(of: baseOffset.bigEndian, toByteOffset: 0, as: Int64.self)
        buffer.storeBytes(of: partitionLeaderEpoch.bigEndian, toByteOffset: 12, as: Int32.self)
    }
}
