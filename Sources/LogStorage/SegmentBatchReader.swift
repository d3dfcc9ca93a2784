internal import KafkaRecords

/// Reads the batches of a sealed segment in order, through a read-ahead window so many small
/// batches cost one read (the log cleaner's input).
///
/// Sealed segments never change, so this runs outside the partition lock. Every batch is
/// checked to lie within the segment; CRCs are checked by whoever decodes the records. The file
/// is opened on the first read and held until the reader goes, so the segment file cache
/// cannot close it in the middle.
struct SegmentBatchReader {
    static let windowSize = 1 << 20

    let segment: LogSegment
    /// The segment's size when reading started.
    let limit: Int64
    private(set) var position: Int64 = 0
    private var window: [UInt8] = []
    private var windowStart: Int64 = 0
    /// Bytes read from the file so far (for the I/O throttle).
    private(set) var bytesRead = 0
    private var file: (any StorageFile)?

    init(segment: LogSegment) {
        self.segment = segment
        self.limit = segment.size
    }

    /// The next batch (its position, header and bytes), or nil at the end of the segment.
    mutating func next() throws(LogStorageError) -> (position: Int64, header: RecordBatchHeader, bytes: [UInt8])? {
        guard position < limit else { return nil }
        let start = position
        let headerBytes = try bytes(at: start, count: RecordBatchHeader.size)
        let header: RecordBatchHeader
        do {
            header = try RecordBatchHeader(parsing: headerBytes, at: 0)
        } catch {
            throw .corrupt(path: segment.logPath, position: start, reason: "\(error)")
        }
        guard start + Int64(header.totalSize) <= limit else {
            throw .corrupt(path: segment.logPath, position: start, reason: "batch runs past the end of the segment")
        }
        let batch = try bytes(at: start, count: header.totalSize)
        position = start + Int64(header.totalSize)
        return (start, header, batch)
    }

    private mutating func openFile() throws(LogStorageError) -> any StorageFile {
        if let file { return file }
        let opened = try segment.file
        file = opened
        return opened
    }

    private mutating func bytes(at position: Int64, count: Int) throws(LogStorageError) -> [UInt8] {
        let end = position + Int64(count)
        if position >= windowStart && end <= windowStart + Int64(window.count) {
            let offset = Int(position - windowStart)
            return Array(window[offset..<(offset + count)])
        }
        if count > Self.windowSize {
            bytesRead += count
            let direct = try openFile().readBytes(at: position, count: count)
            guard direct.count == count else { throw .corrupt(path: segment.logPath, position: position, reason: "short read") }
            return direct
        }
        windowStart = position
        window = try openFile().readBytes(at: position, count: Int(min(Int64(Self.windowSize), limit - position)))
        bytesRead += window.count
        guard window.count >= count else { throw .corrupt(path: segment.logPath, position: position, reason: "short read") }
        return Array(window[0..<count])
    }
}
