public import SystemIO

/// One open file as the storage engine sees it: positional reads and writes, sync, truncate.
///
/// Implementations are reference types that close their file when the last reference goes, so
/// a `FileRegion` handed to a reader keeps a segment's file readable even after retention
/// deleted the segment. All methods must be safe to call from several threads at once.
public protocol StorageFile: AnyObject, Sendable {
    /// The current length of the file in bytes.
    func size() throws(LogStorageError) -> Int64
    /// Reads up to `buffer.count` bytes at `offset`; returns fewer only at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogStorageError) -> Int
    /// Writes all of `buffer` at `offset`; the bytes are durable only after `sync()`.
    func write(_ buffer: UnsafeRawBufferPointer, at offset: Int64) throws(LogStorageError)
    /// Makes everything written so far (data and size) durable.
    func sync() throws(LogStorageError)
    /// Sets the length of the file.
    func truncate(to length: Int64) throws(LogStorageError)
    /// Reserves space so the file is at least `length` bytes (zeros past the data).
    func preallocate(length: Int64) throws(LogStorageError)
    /// The OS descriptor when the file is a real file (for `sendfile`); nil for simulated files.
    var descriptor: FileDescriptor? { get }
}

extension StorageFile {
    /// Reads exactly `count` bytes at `offset` into a new array; fewer if the file ends first.
    ///
    /// `count` must already be bounded by the caller (never taken raw from a length field).
    public func readBytes(at offset: Int64, count: Int) throws(LogStorageError) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        // Array's closure APIs are untyped-rethrows; carry the typed error out in a Result.
        let got = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(LogStorageError) in try read(into: buffer, at: offset) }
        }
        let count = try got.get()
        if count < bytes.count { bytes.removeLast(bytes.count - count) }
        return bytes
    }

    /// Writes all of `bytes` at `offset`.
    public func write(_ bytes: [UInt8], at offset: Int64) throws(LogStorageError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(LogStorageError) in try write(buffer, at: offset) }
        }
        try result.get()
    }
}

/// The directory-level operations the storage engine needs, over real or simulated files.
///
/// Paths are plain `/`-separated strings. Implementations are thread-safe.
public protocol StorageFileSystem: Sendable {
    /// Opens a file for reading and writing, creating it (empty) when `create` is true.
    func openFile(_ path: String, create: Bool) throws(LogStorageError) -> any StorageFile
    /// Entry names in a directory (no `.`/`..`), any order.
    func listDirectory(_ path: String) throws(LogStorageError) -> [String]
    /// Creates a directory and any missing parents.
    func createDirectory(_ path: String) throws(LogStorageError)
    /// Removes one file.
    func removeFile(_ path: String) throws(LogStorageError)
    /// Removes a directory and everything in it; missing is fine.
    func removeTree(_ path: String) throws(LogStorageError)
    /// Atomically replaces `to` with `from`.
    func rename(_ from: String, to: String) throws(LogStorageError)
    /// Whether a file exists at `path`.
    func fileExists(_ path: String) -> Bool
    /// Whether a directory exists at `path`.
    func directoryExists(_ path: String) -> Bool
    /// Makes creations, renames and removals inside `path` durable.
    func syncDirectory(_ path: String) throws(LogStorageError)
    /// The size of the file at `path` without opening it, or nil when there is none.
    func fileSize(_ path: String) -> Int64?
    /// Makes everything written below `path` durable at once: file contents and sizes and
    /// directory entries, as if every file and directory there had been synced (one `syncfs`
    /// instead of thousands of fsyncs when many partitions open, close or are created together).
    func syncAll(_ path: String) throws(LogStorageError)
}

extension StorageFileSystem {
    /// Replaces the file at `path` with `bytes` atomically and durably: write a temporary file,
    /// sync it, rename it over `path`, sync the directory. A crash leaves either the old or the
    /// new content, never a mix.
    public func writeAtomically(_ bytes: [UInt8], to path: String) throws(LogStorageError) {
        let temporary = path + ".tmp"
        let file = try openFile(temporary, create: true)
        try file.truncate(to: 0)
        try file.write(bytes, at: 0)
        try file.sync()
        try rename(temporary, to: path)
        try syncDirectory(StoragePath.parent(of: path))
    }

    /// The whole content of a small file (metadata, checkpoints), or nil if it does not exist.
    /// Files larger than `limit` are an error rather than an unbounded allocation.
    public func readSmallFile(_ path: String, limit: Int = 1 << 20) throws(LogStorageError) -> [UInt8]? {
        let file: any StorageFile
        do {
            file = try openFile(path, create: false)
        } catch .system(let error) where error.isNotFound {
            return nil
        }
        let size = try file.size()
        guard size <= Int64(limit) else {
            throw LogStorageError.corrupt(path: path, position: 0, reason: "metadata file is \(size) bytes, limit \(limit)")
        }
        return try file.readBytes(at: 0, count: Int(size))
    }
}

/// Path helpers (no I/O).
public enum StoragePath {
    /// `a/b/c` → `a/b`; `c` → `.`.
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// Joins two path pieces with one `/`.
    public static func join(_ a: String, _ b: String) -> String {
        a.hasSuffix("/") ? a + b : a + "/" + b
    }
}
