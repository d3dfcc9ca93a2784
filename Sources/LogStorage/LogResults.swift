/// A byte range of one segment file, holding whole record batches, ready to be sent to a
/// socket with `sendfile` (through `file.descriptor`) or read into memory.
///
/// Holds its own reference to the open file, so the descriptor stays open (and the range
/// readable) until the region is released, even if the store's `SegmentFileCache` closes its
/// copy or retention deletes the segment meanwhile. Segments are append-only, so the bytes
/// never change.
public struct FileRegion: Sendable {
    public let file: any StorageFile
    /// Byte offset in the file where the first batch starts.
    public let position: Int64
    /// Number of bytes; always a sum of whole batches.
    public let length: Int

    /// Copies the region into memory.
    public func readBytes() throws(LogStorageError) -> [UInt8] {
        try file.readBytes(at: position, count: length)
    }

    /// The part of this region at `range` (byte offsets relative to its start, clamped to it).
    /// The caller keeps whole batches: `range` must start and end on batch boundaries.
    public func slice(_ range: Range<Int>) -> FileRegion {
        let clamped = range.clamped(to: 0..<length)
        return FileRegion(file: file, position: position + Int64(clamped.lowerBound), length: clamped.count)
    }
}

/// The offsets that describe a partition at one moment.
public struct LogOffsets: Sendable, Equatable {
    /// First readable offset.
    public var logStartOffset: Int64
    /// One past the last offset consumers may read. Equal to `logEndOffset` except under
    /// `DurabilityPolicy.always`, where it is the end of the synced data.
    public var highWatermark: Int64
    /// The offset the next appended record gets.
    public var logEndOffset: Int64
    /// One past the last offset read_committed consumers may read (ListOffsets with
    /// isolation level 1 answers it for "latest"): the first offset of the earliest transaction
    /// that is open, or completed with its marker not yet at the high watermark (never below the
    /// log start offset), else the high watermark. Always `logStartOffset ≤ lastStableOffset ≤
    /// highWatermark`.
    public var lastStableOffset: Int64

    public init(logStartOffset: Int64, highWatermark: Int64, logEndOffset: Int64, lastStableOffset: Int64? = nil) {
        self.logStartOffset = logStartOffset
        self.highWatermark = highWatermark
        self.logEndOffset = logEndOffset
        self.lastStableOffset = lastStableOffset ?? highWatermark
    }
}

/// What an append did.
public struct AppendResult: Sendable, Equatable {
    /// Offset given to the first record.
    public var baseOffset: Int64
    /// Offset given to the last record.
    public var lastOffset: Int64
    /// True when the batch was a retry of one already stored (same producer, epoch and
    /// sequences): nothing was written and the offsets are those of the stored batch.
    public var isDuplicate: Bool = false
    /// The broker time stamped on the batches when the topic uses LogAppendTime, else -1.
    public var logAppendTime: Int64 = -1
    /// Set by `append(_:syncing: false)` when the batches must be synced before they are
    /// acknowledged: `sync(through:)` this offset.
    public var syncThrough: Int64?

    public init(baseOffset: Int64, lastOffset: Int64, isDuplicate: Bool = false, logAppendTime: Int64 = -1) {
        self.baseOffset = baseOffset
        self.lastOffset = lastOffset
        self.isDuplicate = isDuplicate
        self.logAppendTime = logAppendTime
    }
}

/// What a read found: the batches, if any, and the partition's offsets at that moment.
public struct LogReadResult: Sendable {
    /// Whole batches starting with the one containing the requested offset; nil when there is
    /// nothing to read at that offset yet (it is the high watermark) or nothing fit.
    public var region: FileRegion?
    public var offsets: LogOffsets
    /// For a read_committed read: the aborted transactions that overlap the returned range
    /// `[requested offset, last offset of the region + 1)` (Kafka's collectAbortedTransactions),
    /// ordered by the position of their abort markers. Always empty for read_uncommitted and for a
    /// read without a region.
    public var abortedTransactions: [AbortedTransaction] = []
    /// The offset after the region's last batch (the base offset of the batch after it, or the
    /// segment's next offset), or nil without a region. Lets a fetch count the offsets it sends
    /// without opening the batches (`kaffee_topic_records_out_total`). Filled for read_committed
    /// reads and when the read asked for it (`wantsNextOffset`).
    public var nextOffset: Int64?

    public init(region: FileRegion?, offsets: LogOffsets, abortedTransactions: [AbortedTransaction] = [], nextOffset: Int64? = nil) {
        self.region = region
        self.offsets = offsets
        self.abortedTransactions = abortedTransactions
        self.nextOffset = nextOffset
    }
}

/// The earliest batch whose max timestamp is at or after a requested time.
public struct TimestampLookup: Sendable {
    /// The batch's base offset (never below the log start offset).
    public var offset: Int64
    /// The batch's max timestamp.
    public var timestamp: Int64
    /// The batch itself, so a caller can find the exact record in an uncompressed batch.
    public var batch: FileRegion
}
