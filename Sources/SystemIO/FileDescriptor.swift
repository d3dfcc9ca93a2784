#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// An open file descriptor and the positional I/O calls the storage engine needs.
///
/// A plain value wrapper around an `Int32`: it does not close itself; the owner calls
/// `close()` exactly once. Positional calls (`pread`/`pwrite`) do not move a shared file
/// position, so one descriptor may be used from several threads at once.
public struct FileDescriptor: Sendable, Hashable {
    /// The raw descriptor number.
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The process's standard error.
    public static let standardError = FileDescriptor(rawValue: 2)
    /// The process's standard output.
    public static let standardOutput = FileDescriptor(rawValue: 1)
    /// The process's standard input.
    public static let standardInput = FileDescriptor(rawValue: 0)

    /// Whether the descriptor is a terminal (for live progress lines).
    public var isTerminal: Bool { isatty(rawValue) == 1 }

    /// Reads what is available at the current position (blocking); 0 at end of file.
    public func readAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        return try retryingOnInterrupt("read") { Glibc.read(rawValue, base, buffer.count) }
    }

    /// How to open a file.
    public struct OpenOptions: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let readOnly = OpenOptions([])
        public static let readWrite = OpenOptions(rawValue: O_RDWR)
        public static let writeOnly = OpenOptions(rawValue: O_WRONLY)
        public static let create = OpenOptions(rawValue: O_CREAT)
        public static let exclusive = OpenOptions(rawValue: O_EXCL)
        public static let truncate = OpenOptions(rawValue: O_TRUNC)
        public static let append = OpenOptions(rawValue: O_APPEND)
        public static let directory = OpenOptions(rawValue: O_DIRECTORY)
    }

    /// Opens `path` (always with `O_CLOEXEC`); new files get `mode` (default 0644).
    public static func open(_ path: String, _ options: OpenOptions, mode: UInt32 = 0o644) throws(SystemError) -> FileDescriptor {
        let flags = options.rawValue | O_CLOEXEC
        let fd = try retryingOnInterrupt("open", path: path) { Glibc.open(path, flags, mode_t(mode)) }
        return FileDescriptor(rawValue: fd)
    }

    /// Closes the descriptor. EINTR is not retried: on Linux the descriptor is gone either way.
    public func close() throws(SystemError) {
        if Glibc.close(rawValue) == -1 && errno != EINTR { throw SystemError.current("close") }
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns fewer only at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SystemError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = try retryingOnInterrupt("pread") {
                Glibc.pread(rawValue, base + done, buffer.count - done, off_t(offset) + off_t(done))
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes all of `buffer` at `offset`, looping over short writes.
    public func write(_ buffer: UnsafeRawBufferPointer, at offset: Int64) throws(SystemError) {
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let n = try retryingOnInterrupt("pwrite") {
                Glibc.pwrite(rawValue, base + done, buffer.count - done, off_t(offset) + off_t(done))
            }
            done += n
        }
    }

    /// Writes all of `buffer` at the current position (for pipes, sockets and stderr).
    public func writeAll(_ buffer: UnsafeRawBufferPointer) throws(SystemError) {
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let n = try retryingOnInterrupt("write") { Glibc.write(rawValue, base + done, buffer.count - done) }
            done += n
        }
    }

    /// Flushes file data (and the metadata needed to read it back, such as its size) to stable storage.
    public func dataSync() throws(SystemError) {
        _ = try retryingOnInterrupt("fdatasync") { Glibc.fdatasync(rawValue) }
    }

    /// Flushes data and all metadata; used on directories so new or renamed entries survive power loss.
    public func sync() throws(SystemError) {
        _ = try retryingOnInterrupt("fsync") { Glibc.fsync(rawValue) }
    }

    /// Sets the file's length.
    public func truncate(to length: Int64) throws(SystemError) {
        _ = try retryingOnInterrupt("ftruncate") { Glibc.ftruncate(rawValue, off_t(length)) }
    }

    /// Reserves disk space for the first `length` bytes (`posix_fallocate`); the file grows to
    /// at least `length`, the new bytes read as zeros.
    public func allocate(length: Int64) throws(SystemError) {
        // posix_fallocate returns the error number instead of setting errno.
        let result = Glibc.posix_fallocate(rawValue, 0, off_t(length))
        if result != 0 { throw SystemError(code: result, operation: "posix_fallocate") }
    }

    /// The file's current size in bytes.
    public func size() throws(SystemError) -> Int64 {
        var info = stat()
        _ = try retryingOnInterrupt("fstat") { Glibc.fstat(rawValue, &info) }
        return Int64(info.st_size)
    }

    /// Copies up to `count` bytes starting at `offset` of this file to `destination` inside the
    /// kernel (`sendfile(2)`); returns how many bytes were sent, which may be fewer than asked
    /// (a non-blocking socket that is full, or end of file). Never copies through user space.
    public func send(to destination: FileDescriptor, offset: Int64, count: Int) throws(SystemError) -> Int {
        var position = off_t(offset)
        return try retryingOnInterrupt("sendfile") { Glibc.sendfile(destination.rawValue, rawValue, &position, count) }
    }
}
