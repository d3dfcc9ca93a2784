#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Directory-level system calls: create, list, remove, rename, stat.
///
/// Stateless and thread-safe; each function is one syscall (plus EINTR retry) unless it says otherwise.
public enum FileSystemCalls {
    /// Creates `path` and any missing parents (mode 0755). Existing directories are fine.
    /// One `mkdir` when the parent exists (the usual case), else one per component.
    public static func createDirectories(_ path: String) throws(SystemError) {
        if Glibc.mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if Glibc.mkdir(prefix, 0o755) == -1 && errno != EEXIST {
                throw SystemError.current("mkdir", path: prefix)
            }
            prefix += "/"
        }
    }

    /// Names of the entries in `path`, without `.` and `..`, in no particular order.
    public static func listDirectory(_ path: String) throws(SystemError) -> [String] {
        guard let dir = Glibc.opendir(path) else { throw SystemError.current("opendir", path: path) }
        defer { Glibc.closedir(dir) }
        var names: [String] = []
        while let entry = Glibc.readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file (not a directory).
    public static func removeFile(_ path: String) throws(SystemError) {
        _ = try retryingOnInterrupt("unlink", path: path) { Glibc.unlink(path) }
    }

    /// Removes `path` and everything below it; a missing path is not an error.
    public static func removeTree(_ path: String) throws(SystemError) {
        var info = stat()
        if Glibc.lstat(path, &info) == -1 {
            if errno == ENOENT { return }
            throw SystemError.current("lstat", path: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in try listDirectory(path) { try removeTree(path + "/" + name) }
            _ = try retryingOnInterrupt("rmdir", path: path) { Glibc.rmdir(path) }
        } else {
            try removeFile(path)
        }
    }

    /// Atomically renames `from` to `to`, replacing `to` if it exists.
    public static func rename(_ from: String, to: String) throws(SystemError) {
        _ = try retryingOnInterrupt("rename", path: from) { Glibc.rename(from, to) }
    }

    /// What kind of thing is at `path`, if anything.
    public enum EntryKind: Sendable { case file, directory, other }

    /// The kind of entry at `path`, or nil when nothing is there.
    public static func entryKind(_ path: String) -> EntryKind? {
        var info = stat()
        // fstatat rather than stat: in Swift `stat` names both the struct and the function.
        guard Glibc.fstatat(AT_FDCWD, path, &info, 0) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// Creates a fresh, uniquely named directory `<parent>/<prefix>XXXXXX` (`mkdtemp`) and
    /// returns its path.
    public static func makeTemporaryDirectory(in parent: String = "/tmp", prefix: String) throws(SystemError) -> String {
        var template = Array((parent + "/" + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return Glibc.mkdtemp(base) != nil
        }
        guard made else { throw SystemError.current("mkdtemp", path: parent) }
        return template.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { String(cString: $0) } ?? ""
        }
    }

    /// Flushes every file system's dirty data (`sync(2)`); benchmarks use it to start each
    /// measurement from the same writeback state.
    public static func syncEverything() {
        Glibc.sync()
    }

    /// The size in bytes of the regular file at `path` (`stat`, without opening it), or nil
    /// when nothing or something else is there.
    public static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard Glibc.fstatat(AT_FDCWD, path, &info, 0) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Makes everything written to the file system holding `path` durable at once: file data,
    /// sizes and directory entries (`syncfs(2)`; waits for the writeback, reports its errors on
    /// Linux 5.8+). One call instead of an fsync per file when thousands of files changed.
    /// Falls back to `sync(2)` (every file system) where `syncfs` is missing.
    public static func syncFileSystem(containing path: String) throws(SystemError) {
        let fd = try FileDescriptor.open(path, [.readOnly])
        defer { try? fd.close() }
        guard let syncfs = syncfsFunction else {
            Glibc.sync()
            return
        }
        _ = try retryingOnInterrupt("syncfs", path: path) { syncfs(fd.rawValue) }
    }

    /// `syncfs` is a GNU extension the Glibc module does not import; it is looked up once.
    private static let syncfsFunction: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = Glibc.dlsym(nil, "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()

    /// Fsyncs a directory so that entries created, renamed or removed in it survive power loss.
    public static func syncDirectory(_ path: String) throws(SystemError) {
        let fd = try FileDescriptor.open(path, [.readOnly, .directory])
        defer { try? fd.close() }
        try fd.sync()
    }
}
