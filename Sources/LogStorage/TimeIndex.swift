/// The sparse time index of one segment: the running maximum timestamp and where it was reached.
///
/// File format (`<base>.timeindex`): 12-byte entries, `timestamp Int64` then `relativeOffset
/// UInt32`, big-endian. Entry (t, r) means: the largest batch max-timestamp among all batches of
/// the segment up to and including the batch whose base offset is base + r is t, and that batch
/// is where it was first reached. Invariant: both columns strictly increase. When a segment is
/// sealed its last entry carries the segment's maximum timestamp.
///
/// To find the earliest batch with max timestamp ≥ T: every batch up to the last entry with
/// t < T has max timestamp < T, so a scan can start from that entry's batch. Not thread-safe:
/// guarded by the partition's lock.
struct TimeIndex: Equatable {
    static let entrySize = 12

    private(set) var timestamps: [Int64] = []
    private(set) var relativeOffsets: [UInt32] = []

    var count: Int { timestamps.count }
    var last: (timestamp: Int64, relativeOffset: UInt32)? {
        guard let t = timestamps.last, let r = relativeOffsets.last else { return nil }
        return (t, r)
    }

    /// Appends an entry; ignored unless it keeps both columns strictly increasing.
    mutating func append(timestamp: Int64, relativeOffset: UInt32) {
        if let (lastTimestamp, lastOffset) = last {
            guard timestamp > lastTimestamp && relativeOffset > lastOffset else { return }
        }
        timestamps.append(timestamp)
        relativeOffsets.append(relativeOffset)
    }

    /// The last entry whose timestamp is < `timestamp`, or nil.
    func lastBefore(_ timestamp: Int64) -> (timestamp: Int64, relativeOffset: UInt32)? {
        var low = 0
        var high = timestamps.count
        while low < high {
            let mid = (low + high) / 2
            if timestamps[mid] < timestamp { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        return (timestamps[low - 1], relativeOffsets[low - 1])
    }

    /// Drops entries for batches at or after `relativeOffset`.
    mutating func truncate(fromRelativeOffset relativeOffset: UInt32) {
        while let last = relativeOffsets.last, last >= relativeOffset {
            relativeOffsets.removeLast()
            timestamps.removeLast()
        }
    }

    func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * Self.entrySize)
        for i in 0..<count {
            appendBigEndian(timestamps[i], to: &bytes)
            appendBigEndian(relativeOffsets[i], to: &bytes)
        }
        return bytes
    }

    /// Parses a file image; nil when damaged. `maxRelativeOffset` bounds the offsets.
    static func parse(_ bytes: [UInt8], maxRelativeOffset: UInt32) -> TimeIndex? {
        guard bytes.count % entrySize == 0 else { return nil }
        var index = TimeIndex()
        var i = 0
        while i < bytes.count {
            let timestamp = readBigEndianInt64(bytes, i)
            let relative = readBigEndianUInt32(bytes, i + 8)
            guard relative <= maxRelativeOffset else { return nil }
            let before = index.count
            index.append(timestamp: timestamp, relativeOffset: relative)
            guard index.count == before + 1 else { return nil }
            i += entrySize
        }
        return index
    }
}
