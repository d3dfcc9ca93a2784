public import SystemIO

/// The real file system, through `SystemIO`. Stateless and thread-safe (except for the syncs
/// it counts in `fsyncs`, itself thread-safe).
public struct PosixFileSystem: StorageFileSystem {
    /// Where syncs are counted and timed (nil: not measured).
    public let fsyncs: FsyncMetrics?

    /// The file system; syncs are timed into `fsyncs` when given.
    public init(fsyncs: FsyncMetrics? = nil) {
        self.fsyncs = fsyncs
    }

    public func openFile(_ path: String, create: Bool) throws(LogStorageError) -> any StorageFile {
        do {
            let options: FileDescriptor.OpenOptions = create ? [.readWrite, .create] : [.readWrite]
            return PosixFile(descriptor: try FileDescriptor.open(path, options), path: path, fsyncs: fsyncs)
        } catch { throw .system(error) }
    }

    public func listDirectory(_ path: String) throws(LogStorageError) -> [String] {
        do { return try FileSystemCalls.listDirectory(path) } catch { throw .system(error) }
    }

    public func createDirectory(_ path: String) throws(LogStorageError) {
        do { try FileSystemCalls.createDirectories(path) } catch { throw .system(error) }
    }

    public func removeFile(_ path: String) throws(LogStorageError) {
        do { try FileSystemCalls.removeFile(path) } catch { throw .system(error) }
    }

    public func removeTree(_ path: String) throws(LogStorageError) {
        do { try FileSystemCalls.removeTree(path) } catch { throw .system(error) }
    }

    public func rename(_ from: String, to: String) throws(LogStorageError) {
        do { try FileSystemCalls.rename(from, to: to) } catch { throw .system(error) }
    }

    public func fileExists(_ path: String) -> Bool { FileSystemCalls.entryKind(path) == .file }

    public func directoryExists(_ path: String) -> Bool { FileSystemCalls.entryKind(path) == .directory }

    public func syncDirectory(_ path: String) throws(LogStorageError) {
        guard let fsyncs else { return try Self.syncDirectoryNow(path) }
        try fsyncs.timed(.directory) { () throws(LogStorageError) in try Self.syncDirectoryNow(path) }
    }

    private static func syncDirectoryNow(_ path: String) throws(LogStorageError) {
        do { try FileSystemCalls.syncDirectory(path) } catch { throw .system(error) }
    }

    public func fileSize(_ path: String) -> Int64? { FileSystemCalls.fileSize(path) }

    /// `syncfs` of the file system holding `path` (the data directory must be one file system).
    public func syncAll(_ path: String) throws(LogStorageError) {
        guard let fsyncs else { return try Self.syncAllNow(path) }
        try fsyncs.timed(.filesystem) { () throws(LogStorageError) in try Self.syncAllNow(path) }
    }

    private static func syncAllNow(_ path: String) throws(LogStorageError) {
        do { try FileSystemCalls.syncFileSystem(containing: path) } catch { throw .system(error) }
    }
}

/// A real file; closes its descriptor when the last reference goes away.
///
/// Thread-safe: only positional I/O is used, and the descriptor never changes.
public final class PosixFile: StorageFile {
    private let fd: FileDescriptor
    /// The path the file was opened at (for error messages).
    public let path: String
    private let fsyncs: FsyncMetrics?

    init(descriptor: FileDescriptor, path: String, fsyncs: FsyncMetrics? = nil) {
        self.fd = descriptor
        self.path = path
        self.fsyncs = fsyncs
    }

    deinit { try? fd.close() }

    public var descriptor: FileDescriptor? { fd }

    public func size() throws(LogStorageError) -> Int64 {
        do { return try fd.size() } catch { throw .system(error) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogStorageError) -> Int {
        do { return try fd.read(into: buffer, at: offset) } catch { throw .system(error) }
    }

    public func write(_ buffer: UnsafeRawBufferPointer, at offset: Int64) throws(LogStorageError) {
        do { try fd.write(buffer, at: offset) } catch { throw .system(error) }
    }

    public func sync() throws(LogStorageError) {
        guard let fsyncs else { return try syncNow() }
        try fsyncs.timed(.file) { () throws(LogStorageError) in try syncNow() }
    }

    private func syncNow() throws(LogStorageError) {
        do { try fd.dataSync() } catch { throw .system(error) }
    }

    public func truncate(to length: Int64) throws(LogStorageError) {
        do { try fd.truncate(to: length) } catch { throw .system(error) }
    }

    public func preallocate(length: Int64) throws(LogStorageError) {
        do { try fd.allocate(length: length) } catch { throw .system(error) }
    }
}
