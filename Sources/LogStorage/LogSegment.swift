internal import KafkaRecords

/// One segment of a partition log: a `.log` file of whole record batches, back to back, exactly
/// as Kafka stores them, plus its sparse offset and time indexes (see `OffsetIndex`, `TimeIndex`).
///
/// Invariants: the file holds batches whose offsets are contiguous, starting at `baseOffset`
/// (unless the segment is empty), and `nextOffset` is one past the last offset in it; `size` is
/// the number of valid bytes (the file is never longer after recovery). The `.log` file is
/// opened on demand (`logFile`, through the store's `SegmentFileCache`), so an idle segment
/// holds no descriptor. Not thread-safe: every access happens under the owning `PartitionLog`'s
/// lock, except reads of sealed segments by the log cleaner (sealed segments never change).
final class LogSegment: @unchecked Sendable {
    let baseOffset: Int64
    /// The `.log` file, opened on demand.
    let logFile: SegmentFile
    let directory: String
    var size: Int64
    var nextOffset: Int64
    var index: OffsetIndex
    var timeIndex: TimeIndex
    /// Largest batch max timestamp in the segment, -1 when empty.
    var maxTimestamp: Int64
    /// When the segment got its first batch (wall-clock ms), for rolling by age. After recovery
    /// it is the first batch's max timestamp (never later than the time of recovery).
    var rollBaseTimestamp: Int64
    /// How much earlier than `segment.ms` this segment rolls (`segment.jitter.ms`).
    var rollJitterMillis: Int64 = 0
    /// Whether index files of this segment may exist on disk (written, or found at open).
    var hasIndexFiles = false
    /// The aborted-transaction index (`.txnindex`), read on demand.
    var txnIndex: TransactionIndex
    private var bytesSinceIndexEntry: Int = 0
    private var bytesSinceTimeEntry: Int = 0

    init(baseOffset: Int64, file: SegmentFile, directory: String, size: Int64, nextOffset: Int64,
         index: OffsetIndex, timeIndex: TimeIndex, maxTimestamp: Int64, rollBaseTimestamp: Int64) {
        self.baseOffset = baseOffset
        self.logFile = file
        self.directory = directory
        self.size = size
        self.nextOffset = nextOffset
        self.index = index
        self.timeIndex = timeIndex
        self.maxTimestamp = maxTimestamp
        self.rollBaseTimestamp = rollBaseTimestamp
        self.txnIndex = TransactionIndex(
            path: StoragePath.join(directory, SegmentFileName.stem(baseOffset) + SegmentFileName.txnIndexSuffix), exists: false)
    }

    /// The open `.log` file (opened again if the cache closed it). Keep the reference while
    /// using it: the descriptor stays open that long.
    var file: any StorageFile {
        get throws(LogStorageError) { try logFile.open() }
    }

    var isEmpty: Bool { size == 0 }
    var logPath: String { StoragePath.join(directory, SegmentFileName.stem(baseOffset) + SegmentFileName.logSuffix) }
    var indexPath: String { StoragePath.join(directory, SegmentFileName.stem(baseOffset) + SegmentFileName.indexSuffix) }
    var timeIndexPath: String { StoragePath.join(directory, SegmentFileName.stem(baseOffset) + SegmentFileName.timeIndexSuffix) }

    /// Whether `count` more offsets still fit the 32-bit relative offsets of the indexes.
    func canHold(offsets count: Int64) -> Bool {
        nextOffset + count - baseOffset <= Int64(UInt32.max)
    }

    /// Writes `batches` (offsets already assigned, starting at `nextOffset`) at the end of the
    /// file and indexes them. On a write error the file is cut back to its previous size and the
    /// segment is unchanged; if even that fails the error is rethrown as is and the caller must
    /// stop using the log.
    func append(_ batches: ValidatedBatches, indexInterval: Int, now: Int64) throws(LogStorageError) {
        let start = size
        do throws(LogStorageError) {
            try file.write(batches.bytes, at: start)
        } catch {
            do throws(LogStorageError) {
                try file.truncate(to: start)
            } catch {
                throw .corrupt(path: logPath, position: start, reason: "a write failed and its partial bytes could not be removed: \(error)")
            }
            throw error
        }
        var position = start
        for header in batches.headers {
            record(header, at: position, indexInterval: indexInterval)
            position += Int64(header.totalSize)
        }
        if start == 0 { rollBaseTimestamp = now }
        size = position
    }

    /// Updates indexes and bookkeeping for a batch stored at `position` (append and recovery).
    func record(_ header: RecordBatchHeader, at position: Int64, indexInterval: Int) {
        let relative = UInt32(truncatingIfNeeded: header.baseOffset - baseOffset)
        if bytesSinceIndexEntry >= indexInterval || index.count == 0 {
            index.append(relativeOffset: relative, position: UInt32(truncatingIfNeeded: position))
            bytesSinceIndexEntry = 0
        }
        bytesSinceIndexEntry += header.totalSize
        if header.maxTimestamp > maxTimestamp {
            maxTimestamp = header.maxTimestamp
            if bytesSinceTimeEntry >= indexInterval || timeIndex.count == 0 {
                timeIndex.append(timestamp: header.maxTimestamp, relativeOffset: relative)
                bytesSinceTimeEntry = 0
                pendingTimeEntry = nil
            } else {
                pendingTimeEntry = (header.maxTimestamp, relative)
            }
        }
        bytesSinceTimeEntry += header.totalSize
        nextOffset = header.lastOffset + 1
    }

    /// The newest running maximum not yet in the time index (kept so sealing can add it).
    private var pendingTimeEntry: (timestamp: Int64, relativeOffset: UInt32)?

    /// The time index including the latest maximum, as it must be written when sealing.
    var completeTimeIndex: TimeIndex {
        var complete = timeIndex
        if let pending = pendingTimeEntry { complete.append(timestamp: pending.timestamp, relativeOffset: pending.relativeOffset) }
        return complete
    }

    /// The relative offset of the batch holding the segment's maximum timestamp.
    var offsetOfMaxTimestamp: Int64? {
        guard let last = completeTimeIndex.last else { return nil }
        return baseOffset + Int64(last.relativeOffset)
    }

    /// Reads the batch header at `position`, or nil past the end.
    func header(at position: Int64) throws(LogStorageError) -> RecordBatchHeader? {
        guard position + Int64(RecordBatchHeader.size) <= size else { return nil }
        let bytes = try file.readBytes(at: position, count: RecordBatchHeader.size)
        guard bytes.count == RecordBatchHeader.size else {
            throw .corrupt(path: logPath, position: position, reason: "short read of a batch header")
        }
        let header: RecordBatchHeader
        do {
            header = try RecordBatchHeader(parsing: bytes, at: 0)
        } catch {
            throw .corrupt(path: logPath, position: position, reason: "\(error)")
        }
        guard position + Int64(header.totalSize) <= size else {
            throw .corrupt(path: logPath, position: position, reason: "batch runs past the end of the segment")
        }
        return header
    }

    /// The position and header of the batch containing `offset` (or the first batch after it),
    /// or nil when no batch in this segment ends at or after `offset`.
    func locate(offset: Int64) throws(LogStorageError) -> (position: Int64, header: RecordBatchHeader)? {
        let relative = UInt32(clamping: max(0, offset - baseOffset))
        var position = Int64(index.floor(relativeOffset: relative)?.position ?? 0)
        while let header = try header(at: position) {
            if header.lastOffset >= offset { return (position, header) }
            position += Int64(header.totalSize)
        }
        return nil
    }

    /// The largest batch boundary ≤ `limit` that is > `start` (where `start` is a batch start),
    /// or `start` when the first batch alone is longer than `limit - start`.
    func lastBoundary(from start: Int64, notAfter limit: Int64) throws(LogStorageError) -> Int64 {
        if limit >= size { return size }
        var position = start
        if let entry = index.floor(position: UInt32(clamping: limit)), Int64(entry.position) > start {
            position = Int64(entry.position)
        }
        while let header = try header(at: position) {
            let end = position + Int64(header.totalSize)
            if end > limit { break }
            position = end
        }
        return position
    }

    /// The earliest batch whose max timestamp is ≥ `timestamp`, or nil.
    func findTimestamp(_ timestamp: Int64) throws(LogStorageError) -> (position: Int64, header: RecordBatchHeader)? {
        guard maxTimestamp >= timestamp else { return nil }
        var position: Int64 = 0
        if let entry = completeTimeIndex.lastBefore(timestamp),
           let located = try locate(offset: baseOffset + Int64(entry.relativeOffset)) {
            position = located.position
        }
        while let header = try header(at: position) {
            if header.maxTimestamp >= timestamp { return (position, header) }
            position += Int64(header.totalSize)
        }
        return nil
    }

    /// Writes the three index files (at their paths plus `suffix`; the transaction index even
    /// when empty), synced unless `sync` is false (the caller then syncs them, e.g. with
    /// `syncAll`); the caller syncs the directory if it needs them durable.
    func writeIndexes(to fileSystem: any StorageFileSystem, suffix: String = "", sync: Bool = true) throws(LogStorageError) {
        if suffix.isEmpty { hasIndexFiles = true }
        try fileSystem.writeFileContents(index.serialized(), to: indexPath + suffix, sync: sync)
        try fileSystem.writeFileContents(completeTimeIndex.serialized(), to: timeIndexPath + suffix, sync: sync)
        try txnIndex.write(try txnIndex.entries(fileSystem), fileSystem, suffix: suffix, sync: sync)
    }

    /// Paths of every file of the segment (log and indexes).
    var allPaths: [String] { [logPath, indexPath, timeIndexPath, txnIndex.path] }
}

extension StorageFileSystem {
    /// Replaces a file's content and syncs the file unless `sync` is false (the directory entry
    /// is not synced). Written over the old content, then cut to length only if the old was
    /// longer (cheaper than emptying the file first: indexes only grow).
    func writeFileContents(_ bytes: [UInt8], to path: String, sync: Bool = true) throws(LogStorageError) {
        let file = try openFile(path, create: true)
        try file.write(bytes, at: 0)
        if try file.size() > Int64(bytes.count) { try file.truncate(to: Int64(bytes.count)) }
        if sync { try file.sync() }
    }
}
