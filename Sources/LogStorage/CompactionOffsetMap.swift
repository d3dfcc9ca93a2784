/// The key → latest offset map the log cleaner builds over the dirty part of a log.
///
/// Keys are stored whole (no hashing, so no collision can ever drop a live key's latest value).
/// Memory is bounded by `capacityBytes`, counted as key bytes plus a fixed per-entry overhead;
/// `insert` refuses a new key that would exceed it, and the cleaner then compacts only up to
/// where the map is complete. A value type; not shared between threads.
struct CompactionOffsetMap {
    /// Approximate bytes a dictionary entry costs besides its key bytes.
    static let entryOverhead = 64

    let capacityBytes: Int
    private(set) var usedBytes = 0
    private var offsets: [[UInt8]: Int64] = [:]

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    var count: Int { offsets.count }

    /// Records `offset` as the latest for `key` (offsets must be inserted in increasing order).
    /// Returns false, changing nothing, when a new key does not fit (unless `force`).
    mutating func insert(_ key: [UInt8], offset: Int64, force: Bool = false) -> Bool {
        if offsets[key] != nil {
            offsets[key] = offset
            return true
        }
        let cost = key.count + Self.entryOverhead
        guard force || usedBytes + cost <= capacityBytes else { return false }
        usedBytes += cost
        offsets[key] = offset
        return true
    }

    /// The latest offset recorded for `key`, or nil when the key is not in the dirty part.
    func latestOffset(of key: [UInt8]) -> Int64? { offsets[key] }
}
