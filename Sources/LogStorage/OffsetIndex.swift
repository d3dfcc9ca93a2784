/// The sparse offset index of one segment: which byte position a batch starts at.
///
/// File format (`<base>.index`): a sequence of 8-byte entries, each `relativeOffset UInt32`
/// (batch base offset − segment base offset) then `position UInt32` (byte offset of that batch in
/// the `.log` file), big-endian. Invariants: both columns strictly increase; every position is the
/// start of a batch. An entry is added when at least `indexIntervalBytes` of log were written
/// since the previous one, so lookups scan at most about that many bytes.
///
/// The index lives in memory while the segment is open and is written out when the segment is
/// sealed (rolled) and at clean shutdown; after a crash it is rebuilt from the log. Not
/// thread-safe: guarded by the partition's lock.
struct OffsetIndex: Equatable {
    static let entrySize = 8

    private(set) var relativeOffsets: [UInt32] = []
    private(set) var positions: [UInt32] = []

    var count: Int { positions.count }

    /// Appends an entry; ignored unless it keeps both columns strictly increasing.
    mutating func append(relativeOffset: UInt32, position: UInt32) {
        if let lastOffset = relativeOffsets.last, let lastPosition = positions.last {
            guard relativeOffset > lastOffset && position > lastPosition else { return }
        }
        relativeOffsets.append(relativeOffset)
        positions.append(position)
    }

    /// The entry with the largest relative offset ≤ `relativeOffset`, or nil when every entry is after it.
    func floor(relativeOffset: UInt32) -> (relativeOffset: UInt32, position: UInt32)? {
        var low = 0
        var high = relativeOffsets.count
        while low < high {
            let mid = (low + high) / 2
            if relativeOffsets[mid] <= relativeOffset { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        return (relativeOffsets[low - 1], positions[low - 1])
    }

    /// The entry with the largest position ≤ `position`, or nil.
    func floor(position: UInt32) -> (relativeOffset: UInt32, position: UInt32)? {
        var low = 0
        var high = positions.count
        while low < high {
            let mid = (low + high) / 2
            if positions[mid] <= position { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        return (relativeOffsets[low - 1], positions[low - 1])
    }

    /// Drops entries at or after `position` (used when a log tail is truncated).
    mutating func truncate(fromPosition position: UInt32) {
        while let last = positions.last, last >= position {
            positions.removeLast()
            relativeOffsets.removeLast()
        }
    }

    /// The file image.
    func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * Self.entrySize)
        for i in 0..<count {
            appendBigEndian(relativeOffsets[i], to: &bytes)
            appendBigEndian(positions[i], to: &bytes)
        }
        return bytes
    }

    /// Parses a file image, checking every invariant against the segment's log size.
    /// Returns nil when the file is damaged (the caller then rebuilds from the log).
    static func parse(_ bytes: [UInt8], logSize: Int64) -> OffsetIndex? {
        guard bytes.count % entrySize == 0 else { return nil }
        var index = OffsetIndex()
        var i = 0
        while i < bytes.count {
            let relative = readBigEndianUInt32(bytes, i)
            let position = readBigEndianUInt32(bytes, i + 4)
            guard Int64(position) < logSize else { return nil }
            let before = index.count
            index.append(relativeOffset: relative, position: position)
            guard index.count == before + 1 else { return nil }
            i += entrySize
        }
        return index
    }
}

/// Appends `value` big-endian.
func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    var big = value.bigEndian
    withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
}

/// Reads a big-endian UInt32 at `index`; the caller guarantees 4 bytes are there.
func readBigEndianUInt32(_ bytes: [UInt8], _ index: Int) -> UInt32 {
    UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
}

/// Reads a big-endian Int64 at `index`; the caller guarantees 8 bytes are there.
func readBigEndianInt64(_ bytes: [UInt8], _ index: Int) -> Int64 {
    Int64(bitPattern: UInt64(readBigEndianUInt32(bytes, index)) << 32 | UInt64(readBigEndianUInt32(bytes, index + 4)))
}
