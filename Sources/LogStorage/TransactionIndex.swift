/// The aborted-transaction index of one segment (`<base>.txnindex`), in Kafka's layout: the
/// transactions whose ABORT marker is in the segment, in marker order, so a read_committed fetch
/// can list the aborted transactions of its range without reading the log.
///
/// File format: back-to-back 34-byte entries, big-endian: `INT16 version (0)`,
/// `INT64 producerId`, `INT64 firstOffset` (the transaction's first offset, possibly in an
/// earlier segment), `INT64 lastOffset` (the abort marker's offset), `INT64 lastStableOffset`
/// (the partition's LSO once the abort was written: the first offset of the earliest other open
/// transaction, else `lastOffset + 1`).
///
/// Lifecycle: appended when an abort marker for an open transaction is written (not synced:
/// after a crash recovery rebuilds it from the markers); written whole (possibly empty) and
/// synced when the segment is sealed, at clean close and by compaction; deleted and renamed with
/// its segment. A sealed segment without the file is rebuilt at open.
///
/// Bounded open files: the file is opened only while it is read or written, never held. Its
/// entries are cached in memory once read (they are few: one per aborted transaction).
/// Not thread-safe: guarded by the owning `PartitionLog`'s lock, like `LogSegment`.
struct TransactionIndex {
    struct Entry: Equatable {
        var producerId: Int64
        var firstOffset: Int64
        var lastOffset: Int64
        var lastStableOffset: Int64
    }

    static let entrySize = 34
    static let version: Int16 = 0

    let path: String
    /// Whether the file may exist on disk.
    var exists: Bool
    /// The entries, once read (or set); nil until then.
    private var cached: [Entry]?

    init(path: String, exists: Bool, entries: [Entry]? = nil) {
        self.path = path
        self.exists = exists
        self.cached = entries ?? (exists ? nil : [])
    }

    /// The entries, read from the file on first use. A damaged tail (a partial entry, a wrong
    /// version) ends the list: what precedes it is kept.
    mutating func entries(_ fileSystem: any StorageFileSystem) throws(LogStorageError) -> [Entry] {
        if let cached { return cached }
        var result: [Entry] = []
        if exists, let size = fileSystem.fileSize(path), size > 0 {
            let bytes = try fileSystem.openFile(path, create: false).readBytes(at: 0, count: Int(size))
            result = Self.parse(bytes)
        }
        cached = result
        return result
    }

    /// Appends one entry at the end of the file (creating it), unsynced.
    mutating func append(_ entry: Entry, _ fileSystem: any StorageFileSystem) throws(LogStorageError) {
        let current = try entries(fileSystem)
        let file = try fileSystem.openFile(path, create: true)
        try file.write(Self.serialize([entry]), at: Int64(current.count * Self.entrySize))
        exists = true
        cached = current + [entry]
    }

    /// Replaces the file's content with `entries` (written at the path plus `suffix`).
    mutating func write(_ entries: [Entry], _ fileSystem: any StorageFileSystem, suffix: String = "",
                        sync: Bool = true) throws(LogStorageError) {
        try fileSystem.writeFileContents(Self.serialize(entries), to: path + suffix, sync: sync)
        if suffix.isEmpty {
            exists = true
            cached = entries
        }
    }

    /// Sets the entries held in memory (for a segment the caller will write out).
    mutating func set(_ entries: [Entry]) { cached = entries }

    /// Kafka's `collectAbortedTxns`: the entries with `lastOffset ≥ fetchOffset` and
    /// `firstOffset < upperBound`, and whether the search is complete (an entry's last stable
    /// offset reached `upperBound`: no later segment can hold a relevant entry).
    static func collect(_ entries: [Entry], fetchOffset: Int64, upperBound: Int64) -> (found: [Entry], complete: Bool) {
        var found: [Entry] = []
        for entry in entries {
            if entry.lastOffset >= fetchOffset && entry.firstOffset < upperBound { found.append(entry) }
            if entry.lastStableOffset >= upperBound { return (found, true) }
        }
        return (found, false)
    }

    static func serialize(_ entries: [Entry]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * entrySize)
        for entry in entries {
            appendBigEndian(version, to: &bytes)
            appendBigEndian(entry.producerId, to: &bytes)
            appendBigEndian(entry.firstOffset, to: &bytes)
            appendBigEndian(entry.lastOffset, to: &bytes)
            appendBigEndian(entry.lastStableOffset, to: &bytes)
        }
        return bytes
    }

    static func parse(_ bytes: [UInt8]) -> [Entry] {
        var entries: [Entry] = []
        var i = 0
        while i + entrySize <= bytes.count {
            guard bytes[i] == 0 && bytes[i + 1] == 0 else { break }
            entries.append(Entry(producerId: readBigEndianInt64(bytes, i + 2), firstOffset: readBigEndianInt64(bytes, i + 10),
                                 lastOffset: readBigEndianInt64(bytes, i + 18), lastStableOffset: readBigEndianInt64(bytes, i + 26)))
            i += entrySize
        }
        return entries
    }
}
