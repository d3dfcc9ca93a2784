import Synchronization

/// A bound on the segment files a store keeps open, whatever its number of partitions: the
/// `.log` files of segments (`SegmentFile`) are opened on demand and the least recently used
/// are closed once more than `capacity` are open.
///
/// Closing means dropping the cache's reference: a `StorageFile` closes its descriptor when its
/// last reference goes, so whoever still holds the file (a `FileRegion` being sent, a sync in
/// progress, the log cleaner reading a segment) keeps it open until done. Hence at most
/// `capacity` descriptors are held by the cache, plus those pinned by work in progress, which
/// is bounded by the requests and threads running.
///
/// Invariants: the list holds exactly the `SegmentFile`s whose `file` is set, newest first,
/// and `count` is its length, never above `capacity` once a call returns.
///
/// Thread-safety: every method may be called from any thread. One lock guards the list and
/// every `SegmentFile`'s cache fields; files are opened and closed outside it.
public final class SegmentFileCache: Sendable {
    /// The default bound: well under the usual 1024-descriptor limit, leaving room for sockets.
    public static let defaultCapacity = 256

    /// The most files the cache keeps open.
    public let capacity: Int
    let state = Mutex(State())

    struct State {
        var newest: SegmentFile?
        var oldest: SegmentFile?
        var count = 0
        var opened = 0
        var closed = 0
    }

    /// A cache closing files beyond `capacity` (at least 1).
    public init(capacity: Int = SegmentFileCache.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    deinit {
        // The list links entries both ways; break the links so they are freed.
        state.withLock { state in
            while let entry = state.newest { Self.unlink(entry, &state) }
        }
    }

    /// Files the cache holds open now.
    public var openCount: Int { state.withLock { $0.count } }

    /// Files opened on demand and closed for room since the cache was made (for tests and logs).
    public var statistics: (opened: Int, closed: Int) { state.withLock { ($0.opened, $0.closed) } }

    /// Closes every file the cache holds (readers holding one keep theirs); they reopen on use.
    public func removeAll() {
        var released: [any StorageFile] = []
        state.withLock { state in
            while let entry = state.newest {
                if let file = entry.file { released.append(file) }
                entry.file = nil
                Self.unlink(entry, &state)
            }
        }
        released.removeAll()
    }

    /// A handle on the segment file at `path`, not opened yet.
    func handle(_ path: String, fileSystem: any StorageFileSystem) -> SegmentFile {
        SegmentFile(path: path, fileSystem: fileSystem, cache: self)
    }

    /// A handle on a file just opened (a new segment), kept open as the newest entry.
    func handle(_ path: String, fileSystem: any StorageFileSystem, opened file: any StorageFile) -> SegmentFile {
        let entry = handle(path, fileSystem: fileSystem)
        var released: [any StorageFile] = []
        state.withLock { state in
            entry.file = file
            Self.link(entry, &state)
            evictOverflow(&state, into: &released)
        }
        return entry
    }

    // MARK: list operations, under the lock

    /// Makes `entry` the newest; it must not be in the list.
    static func link(_ entry: SegmentFile, _ state: inout State) {
        entry.newer = nil
        entry.older = state.newest
        state.newest?.newer = entry
        state.newest = entry
        if state.oldest == nil { state.oldest = entry }
        state.count += 1
    }

    /// Takes `entry` out of the list; it must be in it.
    static func unlink(_ entry: SegmentFile, _ state: inout State) {
        if let newer = entry.newer { newer.older = entry.older } else { state.newest = entry.older }
        if let older = entry.older { older.newer = entry.newer } else { state.oldest = entry.newer }
        entry.newer = nil
        entry.older = nil
        state.count -= 1
    }

    /// Moves `entry`, which is in the list, to the front.
    static func touch(_ entry: SegmentFile, _ state: inout State) {
        guard state.newest !== entry else { return }
        unlink(entry, &state)
        link(entry, &state)
    }

    /// Drops the oldest entries until `capacity` hold; their files go to `released`, to be let
    /// go (and so closed) after the lock.
    func evictOverflow(_ state: inout State, into released: inout [any StorageFile]) {
        while state.count > capacity, let oldest = state.oldest {
            if let file = oldest.file { released.append(file) }
            oldest.file = nil
            Self.unlink(oldest, &state)
            state.closed += 1
        }
    }
}
