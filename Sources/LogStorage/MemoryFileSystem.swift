internal import SystemIO
import Synchronization

/// An in-memory file system that remembers, per file, which bytes are durable, so tests can
/// simulate power loss and torn writes at any point.
///
/// Model:
/// - Every file has its current content and its durable content. `sync()` makes the current
///   content durable. Directory entries (creations, renames, removals) become durable only when
///   their directory is synced.
/// - `crash(using:)` is a power cut: each entry falls back to its durable state or keeps its
///   current one (chosen at random where they differ), except that a rename is atomic, as on a
///   journaling file system: the entries a not-yet-synced rename touched all keep their current
///   state or all fall back together; each file keeps its durable bytes plus a
///   random prefix of anything appended since (a write cut in the middle), and unsynced bytes in
///   that prefix may come back as zeros (pages whose size reached disk but whose data did not).
/// - `failNextWrite(afterBytes:)` makes the next write store only a prefix and then throw `EIO`,
///   as a full or failing disk would.
/// - `die(afterOperations:)` stops the "process" in the middle of whatever it is doing: the
///   n-th mutating operation from now stores half of its bytes (if it is a write) and fails, and
///   every mutating operation after it fails without effect, until `crash(using:)`.
/// - Open files are counted (`openFileCount`, `peakOpenFileCount`: a `StorageFile` is open
///   until its last reference goes), and `limitOpenFiles(to:)` makes opens beyond a limit fail
///   with `EMFILE`, as a process at its `ulimit -n` would; `failOpens(where:)` does so for
///   chosen paths only (a failure in the middle of a bulk operation).
/// - `syncAll` makes every file and entry below a directory durable, as `syncfs` does.
///
/// Directories are kept implicitly and are always durable. Thread-safe: one lock guards all state.
public final class MemoryFileSystem: StorageFileSystem {
    final class Node: @unchecked Sendable {
        // Guarded by the owning file system's lock.
        var data: [UInt8] = []
        var durable: [UInt8] = []
    }

    struct State {
        var entries: [String: Node] = [:]
        var durableEntries: [String: Node] = [:]
        var directories: Set<String> = ["/", "."]
        var pendingWriteFailure: Int? = nil
        var pendingSyncFailure = false
        var operationsUntilDeath: Int? = nil
        var dead = false
        var bytesWritten: Int64 = 0
        var bytesRead: Int64 = 0
        var syncCount: Int = 0
        /// File renames not yet made durable by a directory sync: (from, to).
        var pendingRenames: [(from: String, to: String)] = []
        var openFiles = 0
        var peakOpenFiles = 0
        var openFileLimit: Int?
        var failingOpens: (@Sendable (String) -> Bool)?
        var syncAllCount = 0
    }

    let state = Mutex(State())

    public init() {}

    /// Total bytes written through this file system (for tests that count I/O).
    public var bytesWritten: Int64 { state.withLock { $0.bytesWritten } }
    /// Total bytes read through this file system (tests use it to prove a clean open scans nothing).
    public var bytesRead: Int64 { state.withLock { $0.bytesRead } }
    /// Number of file `sync()` calls so far.
    public var syncCount: Int { state.withLock { $0.syncCount } }

    /// Files open now (`StorageFile`s not yet released), whoever holds them.
    public var openFileCount: Int { state.withLock { $0.openFiles } }
    /// The most files open at once since the start or the last `resetPeakOpenFileCount()`.
    public var peakOpenFileCount: Int { state.withLock { $0.peakOpenFiles } }
    /// Number of `syncAll` calls so far.
    public var syncAllCount: Int { state.withLock { $0.syncAllCount } }

    /// Starts measuring the peak again from the files open now.
    public func resetPeakOpenFileCount() {
        state.withLock { $0.peakOpenFiles = $0.openFiles }
    }

    /// Makes opens fail with `EMFILE` ("Too many open files") while `limit` files are open;
    /// nil lifts the limit.
    public func limitOpenFiles(to limit: Int?) {
        state.withLock { $0.openFileLimit = limit }
    }

    /// Makes opening the paths `predicate` accepts fail with `EMFILE`; nil stops it.
    public func failOpens(where predicate: (@Sendable (String) -> Bool)?) {
        state.withLock { $0.failingOpens = predicate }
    }

    /// Called by a `MemoryFile` as it goes.
    func fileReleased() {
        state.withLock { $0.openFiles -= 1 }
    }

    /// Makes the next write store at most `afterBytes` bytes and then fail with `EIO`.
    public func failNextWrite(afterBytes: Int) {
        state.withLock { $0.pendingWriteFailure = max(0, afterBytes) }
    }

    /// Makes the next file sync fail with `EIO` (nothing becomes durable), as a failing disk.
    public func failNextSync() {
        state.withLock { $0.pendingSyncFailure = true }
    }

    /// Makes the `operations`-th mutating operation from now (1 = the next) the last one to have
    /// any effect; see the type's documentation.
    public func die(afterOperations operations: Int) {
        state.withLock { $0.operationsUntilDeath = max(1, operations) }
    }

    /// A process crash without power loss: the "process" may run again, and everything it wrote
    /// stays as it is (unsynced bytes remain in the simulated page cache, still unsynced).
    public func restartProcess() {
        state.withLock {
            $0.dead = false
            $0.operationsUntilDeath = nil
            $0.pendingWriteFailure = nil
        }
    }

    /// Whether `die(afterOperations:)` has struck.
    public var isDead: Bool { state.withLock { $0.dead } }

    /// Counts one mutating operation; returns how it must behave.
    private static func tick(_ state: inout State, _ operation: String) throws(LogStorageError) -> Bool {
        if state.dead { throw .system(SystemError(code: 5, operation: operation)) }
        guard let remaining = state.operationsUntilDeath else { return false }
        if remaining <= 1 {
            state.dead = true
            state.operationsUntilDeath = nil
            return true
        }
        state.operationsUntilDeath = remaining - 1
        return false
    }

    /// Current content of a file, or nil (for assertions and for corrupting files in tests).
    public func contents(of path: String) -> [UInt8]? {
        state.withLock { $0.entries[path]?.data }
    }

    /// Replaces a file's content, current and durable (to plant garbage or bit flips in tests).
    public func setContents(_ bytes: [UInt8], of path: String) {
        state.withLock {
            let node = $0.entries[path] ?? Node()
            node.data = bytes
            node.durable = bytes
            $0.entries[path] = node
            $0.durableEntries[path] = node
        }
    }

    /// Simulates a power cut (see the type's documentation). Files opened before the crash are
    /// detached: writes through them no longer affect the file system.
    public func crash<G: RandomNumberGenerator>(using random: inout G) {
        state.withLock { state in
            var survivors: [String: Node] = [:]
            let paths = Set(state.entries.keys).union(state.durableEntries.keys)
            // Paths linked by pending renames share one fate (a rename is atomic).
            var unit: [String: Int] = [:]
            var fates: [Bool] = []
            for rename in state.pendingRenames {
                switch (unit[rename.from], unit[rename.to]) {
                case (nil, nil):
                    unit[rename.from] = fates.count
                    unit[rename.to] = fates.count
                    fates.append(Bool.random(using: &random))
                case (let a?, nil): unit[rename.to] = a
                case (nil, let b?): unit[rename.from] = b
                case (let a?, let b?):
                    if a != b { for (path, value) in unit where value == b { unit[path] = a } }
                }
            }
            for path in paths.sorted() {
                let current = state.entries[path]
                let durable = state.durableEntries[path]
                let chosen: Node?
                if current === durable {
                    chosen = current
                } else if let index = unit[path] {
                    chosen = fates[index] ? current : durable
                } else {
                    chosen = Bool.random(using: &random) ? current : durable
                }
                guard let node = chosen else { continue }
                let fresh = Node()
                fresh.data = Self.survivingBytes(of: node, using: &random)
                fresh.durable = fresh.data
                survivors[path] = fresh
            }
            state.entries = survivors
            state.durableEntries = survivors
            state.pendingRenames = []
            state.pendingWriteFailure = nil
            state.operationsUntilDeath = nil
            state.dead = false
        }
    }

    private static func survivingBytes<G: RandomNumberGenerator>(of node: Node, using random: inout G) -> [UInt8] {
        let durable = node.durable
        let current = node.data
        let appendOnly = current.count >= durable.count && current[..<durable.count].elementsEqual(durable)
        guard appendOnly else { return Bool.random(using: &random) ? durable : current }
        let cut = Int.random(in: durable.count...current.count, using: &random)
        var result = Array(current[..<cut])
        if cut > durable.count && Int.random(in: 0..<4, using: &random) == 0 {
            let start = Int.random(in: durable.count..<cut, using: &random)
            let end = Int.random(in: start...cut, using: &random)
            for i in start..<end { result[i] = 0 }
        }
        return result
    }

    // MARK: StorageFileSystem

    public func openFile(_ path: String, create: Bool) throws(LogStorageError) -> any StorageFile {
        let node: Node? = try state.withLock { state throws(LogStorageError) -> Node? in
            if let limit = state.openFileLimit, state.openFiles >= limit {
                throw .system(SystemError(code: 24, operation: "open", path: path))
            }
            if let failing = state.failingOpens, failing(path) {
                throw .system(SystemError(code: 24, operation: "open", path: path))
            }
            var node = state.entries[path]
            if node == nil, create, state.directories.contains(StoragePath.parent(of: path)) {
                if try Self.tick(&state, "open") { throw .system(SystemError(code: 5, operation: "open", path: path)) }
                let created = Node()
                state.entries[path] = created
                node = created
            }
            if node != nil {
                state.openFiles += 1
                state.peakOpenFiles = max(state.peakOpenFiles, state.openFiles)
            }
            return node
        }
        guard let node else { throw .system(SystemError(code: 2, operation: "open", path: path)) }
        return MemoryFile(fileSystem: self, node: node)
    }

    public func listDirectory(_ path: String) throws(LogStorageError) -> [String] {
        try state.withLock { state throws(LogStorageError) in
            guard state.directories.contains(path) else { throw .system(SystemError(code: 2, operation: "opendir", path: path)) }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            var names = Set<String>()
            for key in state.entries.keys where key.hasPrefix(prefix) {
                let rest = key.dropFirst(prefix.count)
                if !rest.contains("/") { names.insert(String(rest)) }
            }
            for dir in state.directories where dir.hasPrefix(prefix) {
                let rest = dir.dropFirst(prefix.count)
                if !rest.isEmpty && !rest.contains("/") { names.insert(String(rest)) }
            }
            return Array(names)
        }
    }

    public func createDirectory(_ path: String) throws(LogStorageError) {
        state.withLock { state in
            var current = path
            while current != "/" && current != "." && !current.isEmpty {
                state.directories.insert(current)
                current = StoragePath.parent(of: current)
            }
        }
    }

    public func removeFile(_ path: String) throws(LogStorageError) {
        try state.withLock { state throws(LogStorageError) in
            if try Self.tick(&state, "unlink") { throw .system(SystemError(code: 5, operation: "unlink", path: path)) }
            guard state.entries.removeValue(forKey: path) != nil else {
                throw .system(SystemError(code: 2, operation: "unlink", path: path))
            }
        }
    }

    public func removeTree(_ path: String) throws(LogStorageError) {
        try state.withLock { state throws(LogStorageError) in
            if try Self.tick(&state, "rmdir") { throw .system(SystemError(code: 5, operation: "rmdir", path: path)) }
            let prefix = path + "/"
            for key in state.entries.keys where key == path || key.hasPrefix(prefix) { state.entries[key] = nil }
            // Removing a tree is made durable at once: the engine only removes trees it has
            // already renamed out of the way durably.
            for key in state.durableEntries.keys where key == path || key.hasPrefix(prefix) { state.durableEntries[key] = nil }
            state.directories = state.directories.filter { $0 != path && !$0.hasPrefix(prefix) }
        }
    }

    public func rename(_ from: String, to: String) throws(LogStorageError) {
        try state.withLock { state throws(LogStorageError) in
            if try Self.tick(&state, "rename") { throw .system(SystemError(code: 5, operation: "rename", path: from)) }
            if let node = state.entries.removeValue(forKey: from) {
                state.entries[to] = node
                state.pendingRenames.append((from, to))
                return
            }
            guard state.directories.contains(from) else {
                throw .system(SystemError(code: 2, operation: "rename", path: from))
            }
            // Directory rename: move every entry below it (kept durable, like directories).
            let prefix = from + "/"
            for (key, node) in state.entries where key.hasPrefix(prefix) {
                state.entries[key] = nil
                state.entries[to + "/" + key.dropFirst(prefix.count)] = node
            }
            for (key, node) in state.durableEntries where key.hasPrefix(prefix) {
                state.durableEntries[key] = nil
                state.durableEntries[to + "/" + key.dropFirst(prefix.count)] = node
            }
            state.directories = Set(state.directories.map { dir in
                dir == from ? to : (dir.hasPrefix(prefix) ? to + "/" + dir.dropFirst(prefix.count) : dir)
            })
            state.directories.insert(to)
        }
    }

    public func fileExists(_ path: String) -> Bool { state.withLock { $0.entries[path] != nil } }

    public func directoryExists(_ path: String) -> Bool { state.withLock { $0.directories.contains(path) } }

    public func fileSize(_ path: String) -> Int64? { state.withLock { $0.entries[path].map { Int64($0.data.count) } } }

    public func syncAll(_ path: String) throws(LogStorageError) {
        try state.withLock { state throws(LogStorageError) in
            if try Self.tick(&state, "syncfs") { throw .system(SystemError(code: 5, operation: "syncfs", path: path)) }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            func below(_ key: String) -> Bool { key.hasPrefix(prefix) }
            for (key, node) in state.entries where below(key) { node.durable = node.data }
            for key in state.durableEntries.keys where below(key) { state.durableEntries[key] = nil }
            for (key, node) in state.entries where below(key) { state.durableEntries[key] = node }
            state.pendingRenames.removeAll { below($0.from) && below($0.to) }
            state.syncAllCount += 1
        }
    }

    public func syncDirectory(_ path: String) throws(LogStorageError) {
        try state.withLock { state throws(LogStorageError) in
            if try Self.tick(&state, "fsync") { throw .system(SystemError(code: 5, operation: "fsync", path: path)) }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            func inDirectory(_ key: String) -> Bool {
                key.hasPrefix(prefix) && !key.dropFirst(prefix.count).contains("/")
            }
            for key in state.durableEntries.keys where inDirectory(key) { state.durableEntries[key] = nil }
            for (key, node) in state.entries where inDirectory(key) { state.durableEntries[key] = node }
            state.pendingRenames.removeAll { inDirectory($0.from) && inDirectory($0.to) }
        }
    }

    // MARK: file operations, called by MemoryFile

    func size(of node: Node) -> Int64 { state.withLock { _ in Int64(node.data.count) } }

    func read(_ node: Node, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
        state.withLock { state in
            guard offset >= 0, offset < Int64(node.data.count) else { return 0 }
            let start = Int(offset)
            let count = min(buffer.count, node.data.count - start)
            node.data.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + count)]))
            }
            state.bytesRead += Int64(count)
            return count
        }
    }

    func write(_ node: Node, _ buffer: UnsafeRawBufferPointer, at offset: Int64) throws(LogStorageError) {
        try state.withLock { state throws(LogStorageError) in
            var count = buffer.count
            var failure = state.pendingWriteFailure
            if let limit = failure {
                count = min(count, limit)
                state.pendingWriteFailure = nil
            }
            if try Self.tick(&state, "pwrite") {
                count /= 2
                failure = count
            }
            let start = Int(offset)
            let end = start + count
            if node.data.count < end { node.data.append(contentsOf: repeatElement(0, count: end - node.data.count)) }
            node.data.withUnsafeMutableBytes { target in
                if count > 0, let source = buffer.baseAddress, let destination = target.baseAddress {
                    (destination + start).copyMemory(from: source, byteCount: count)
                }
            }
            state.bytesWritten += Int64(count)
            if failure != nil { throw .system(SystemError(code: 5, operation: "pwrite")) }
        }
    }

    func sync(_ node: Node) throws(LogStorageError) {
        try state.withLock { state throws(LogStorageError) in
            if try Self.tick(&state, "fdatasync") { throw .system(SystemError(code: 5, operation: "fdatasync")) }
            if state.pendingSyncFailure {
                state.pendingSyncFailure = false
                throw .system(SystemError(code: 5, operation: "fdatasync"))
            }
            node.durable = node.data
            state.syncCount += 1
        }
    }

    func truncate(_ node: Node, to length: Int64) throws(LogStorageError) {
        try state.withLock { state throws(LogStorageError) in
            if try Self.tick(&state, "ftruncate") { throw .system(SystemError(code: 5, operation: "ftruncate")) }
            let length = Int(max(0, length))
            if node.data.count > length { node.data.removeLast(node.data.count - length) }
            else if node.data.count < length { node.data.append(contentsOf: repeatElement(0, count: length - node.data.count)) }
        }
    }
}

/// A file of a `MemoryFileSystem`. Thread-safe through the file system's lock.
final class MemoryFile: StorageFile {
    let fileSystem: MemoryFileSystem
    let node: MemoryFileSystem.Node

    init(fileSystem: MemoryFileSystem, node: MemoryFileSystem.Node) {
        self.fileSystem = fileSystem
        self.node = node
    }

    deinit { fileSystem.fileReleased() }

    var descriptor: FileDescriptor? { nil }
    func size() throws(LogStorageError) -> Int64 { fileSystem.size(of: node) }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogStorageError) -> Int {
        fileSystem.read(node, into: buffer, at: offset)
    }
    func write(_ buffer: UnsafeRawBufferPointer, at offset: Int64) throws(LogStorageError) {
        try fileSystem.write(node, buffer, at: offset)
    }
    func sync() throws(LogStorageError) { try fileSystem.sync(node) }
    func truncate(to length: Int64) throws(LogStorageError) { try fileSystem.truncate(node, to: length) }
    func preallocate(length: Int64) throws(LogStorageError) {
        if try size() < length { try fileSystem.truncate(node, to: length) }
    }
}
