internal import SystemIO

/// The `.log` file of one segment, opened on demand through its store's `SegmentFileCache`
/// (which closes the least recently used ones), so a partition costs no descriptor while idle.
///
/// `open()` returns the open file, opening it again if the cache closed it; callers keep the
/// returned reference for as long as they use it (it stays open that long, see the cache).
/// A retired handle (its segment was deleted, compacted away or its topic removed) never opens
/// its path again: that path may name another file by then.
///
/// Thread-safety: all methods may be called from any thread; `file`, `newer`, `older` and
/// `retired` are guarded by the cache's lock (hence `@unchecked Sendable`).
final class SegmentFile: @unchecked Sendable {
    let path: String
    let fileSystem: any StorageFileSystem
    let cache: SegmentFileCache
    // Guarded by `cache.state`:
    var file: (any StorageFile)?
    var newer: SegmentFile?
    var older: SegmentFile?
    var retired = false

    init(path: String, fileSystem: any StorageFileSystem, cache: SegmentFileCache) {
        self.path = path
        self.fileSystem = fileSystem
        self.cache = cache
    }

    /// The open file: the cached one, or the file opened again (it must exist). Throws the
    /// open's error (`EMFILE`, `ENOENT`, ...), or `ENOENT` once the handle is retired.
    func open() throws(LogStorageError) -> any StorageFile {
        let cached = cache.state.withLock { state -> (any StorageFile)?? in
            if retired { return .some(nil) }
            guard let file else { return nil }
            SegmentFileCache.touch(self, &state)
            return file
        }
        switch cached {
        case .some(.some(let file)): return file
        case .some(.none): throw retiredError
        case .none: break
        }
        let opened = try fileSystem.openFile(path, create: false)
        var released: [any StorageFile] = []
        let result = cache.state.withLock { state -> (any StorageFile)? in
            if retired {
                released.append(opened)
                return nil
            }
            if let file {
                // Another thread opened it meanwhile: use that one.
                released.append(opened)
                SegmentFileCache.touch(self, &state)
                return file
            }
            file = opened
            SegmentFileCache.link(self, &state)
            state.opened += 1
            cache.evictOverflow(&state, into: &released)
            return opened
        }
        released.removeAll()
        guard let result else { throw retiredError }
        return result
    }

    /// Whether the cache holds the file open now (for tests).
    var isOpen: Bool { cache.state.withLock { _ in file != nil } }

    /// Lets the file go for good: the cache closes it (once no reader holds it) and it is never
    /// opened again. Idempotent.
    func retire() {
        // Returned out of the lock so the file is let go (and maybe closed) after it.
        let released = cache.state.withLock { state -> (any StorageFile)? in
            retired = true
            guard let file else { return nil }
            self.file = nil
            SegmentFileCache.unlink(self, &state)
            return file
        }
        _ = released
    }

    private var retiredError: LogStorageError {
        .system(SystemError(code: 2, operation: "open (segment deleted)", path: path))
    }
}
