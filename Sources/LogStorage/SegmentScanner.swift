internal import KafkaRecords

/// Reads a segment's `.log` file from the start, checking every batch, to rebuild its indexes
/// and find where the valid data ends (recovery after a crash, or a missing/damaged index).
///
/// A batch is valid when its header parses (length ≥ 49, magic 2), it lies entirely inside the
/// file, its base offset follows the previous batch (contiguous, except below the cleaner's gap horizon), its last
/// offset delta and record count are not negative, its codec is known, and its CRC-32C matches.
/// The scan stops at the first invalid batch. Memory stays bounded by `windowSize` however large
/// a length field claims to be: CRCs are computed in pieces.
struct SegmentScanner {
    /// What a scan found.
    struct Outcome {
        /// Bytes of valid batches from the start of the file.
        var validSize: Int64
        /// Size of the file when scanned.
        var fileSize: Int64
        /// Why the scan stopped before the end of the file, if it did.
        var problem: String?
        /// The valid batches' headers, kept only for a file of at most `keepHeadersUpTo` bytes.
        var headers: [RecordBatchHeader]?
    }

    static let windowSize = 1 << 20

    let file: any StorageFile
    let path: String

    /// Scans the file, feeding every valid batch to `segment.record`, which must start empty.
    /// Batches may start after the offset expected (compaction removed what was between) only
    /// where that offset is below `gapsBelow`. The headers are returned too when the file is no
    /// larger than `keepHeadersUpTo` (so the caller need not read them again).
    func scan(into segment: LogSegment, indexInterval: Int, gapsBelow: Int64 = 0, keepHeadersUpTo: Int64 = 0) throws(LogStorageError) -> Outcome {
        let fileSize = try file.size()
        var window = Window(file: file, path: path, capacity: Self.windowSize, fileSize: fileSize)
        var position: Int64 = 0
        var expectedOffset = segment.baseOffset
        var headers: [RecordBatchHeader]? = fileSize <= keepHeadersUpTo ? [] : nil
        while position < fileSize {
            if let problem = try check(at: position, fileSize: fileSize, expectedOffset: expectedOffset, gapsBelow: gapsBelow, window: &window) {
                segment.size = position
                return Outcome(validSize: position, fileSize: fileSize, problem: problem, headers: headers)
            }
            guard let header = window.lastHeader else { break }
            segment.record(header, at: position, indexInterval: indexInterval)
            headers?.append(header)
            position += Int64(header.totalSize)
            expectedOffset = header.lastOffset + 1
        }
        segment.size = position
        return Outcome(validSize: position, fileSize: fileSize, problem: nil, headers: headers)
    }

    /// Validates the batch at `position`: nil when valid (its header is then in
    /// `window.lastHeader`), else why not.
    private func check(at position: Int64, fileSize: Int64, expectedOffset: Int64, gapsBelow: Int64,
                       window: inout Window) throws(LogStorageError) -> String? {
        window.lastHeader = nil
        let remaining = fileSize - position
        guard remaining >= Int64(RecordBatchHeader.size) else {
            return "truncated batch header: \(remaining) bytes left in the file"
        }
        let headerBytes = try window.bytes(at: position, count: RecordBatchHeader.size)
        let header: RecordBatchHeader
        do {
            header = try RecordBatchHeader(parsing: Array(headerBytes), at: 0)
        } catch {
            return "invalid batch header: \(error)"
        }
        guard Int64(header.totalSize) <= remaining else {
            return "batch length \(header.batchLength) runs past the end of the file (\(remaining) bytes left)"
        }
        // Offsets are contiguous, except for the gaps compaction leaves where it removed whole
        // batches (only below the gap horizon).
        guard header.baseOffset == expectedOffset || (header.baseOffset > expectedOffset && expectedOffset < gapsBelow) else {
            return "batch base offset \(header.baseOffset), expected \(expectedOffset)"
        }
        guard header.lastOffsetDelta >= 0, header.recordCount >= 0 else {
            return "negative last offset delta \(header.lastOffsetDelta) or record count \(header.recordCount)"
        }
        guard header.compression != nil else { return "unknown compression in attributes \(header.attributes)" }
        // CRC-32C covers attributes (byte 21) to the end of the batch.
        var crc: UInt32 = 0
        var piecePosition = position + 21
        let end = position + Int64(header.totalSize)
        while piecePosition < end {
            let count = Int(min(Int64(Self.windowSize), end - piecePosition))
            let piece = try window.bytes(at: piecePosition, count: count)
            crc = piece.withUnsafeBytes { CRC32C.update(crc, $0) }
            piecePosition += Int64(count)
        }
        guard crc == header.crc else {
            return "CRC-32C mismatch: stored \(hex(header.crc)), computed \(hex(crc))"
        }
        window.lastHeader = header
        return nil
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

    /// A read-ahead buffer over the file so that many small batches cost one read.
    private struct Window {
        let file: any StorageFile
        let path: String
        let capacity: Int
        /// Reads never ask for more than what is left of the file (a small segment costs a
        /// small buffer, not a window of `capacity` zeros).
        let fileSize: Int64
        var start: Int64 = 0
        var buffer: [UInt8] = []
        var lastHeader: RecordBatchHeader?

        init(file: any StorageFile, path: String, capacity: Int, fileSize: Int64) {
            self.file = file
            self.path = path
            self.capacity = capacity
            self.fileSize = fileSize
        }

        /// `count` (≤ capacity) bytes at `position`, as a slice of the window.
        mutating func bytes(at position: Int64, count: Int) throws(LogStorageError) -> ArraySlice<UInt8> {
            let end = position + Int64(count)
            if position < start || end > start + Int64(buffer.count) {
                start = position
                buffer = try file.readBytes(at: position, count: max(count, Int(min(Int64(capacity), fileSize - position))))
                guard buffer.count >= count else {
                    throw LogStorageError.corrupt(path: path, position: position, reason: "short read")
                }
            }
            let offset = Int(position - start)
            return buffer[offset..<(offset + count)]
        }
    }
}
