public import SQLite
public import SystemIO
internal import Synchronization

/// The file sink: appends every delivered notification as one JSON line (`NotificationRecord.json`,
/// which carries `notificationId` and `eventId`) to a file, fdatasyncs it, then marks the
/// notifications `sink_written` in the database. Lines go in `notificationId` order.
///
/// Guarantee: every delivered notification reaches the file at least once. A crash between the
/// fsync and the mark repeats those lines after the restart, so readers dedupe by
/// `notificationId`. A crash in the middle of a write can leave a partial last line; opening
/// the file cuts it off (its notifications are not marked, so they are written again).
///
/// Thread-safe: one lock serialises passes and guards the open descriptor.
public final class NotificationFileSink: Sendable {
    /// The file's path.
    public let path: String
    private let logger: Logger
    private let descriptor = Mutex<FileDescriptor?>(nil)

    /// Most notifications appended per write (and per marking transaction).
    public static let batchSize = 500

    /// A sink for `path` (opened on first use or by `open()`).
    public init(path: String, logger: Logger = .silent) {
        self.path = path
        self.logger = logger
    }

    /// Opens the file now (creating it, and cutting off a partial last line) so a bad path
    /// fails at start; throws `SystemError` naming the path.
    public func open() throws {
        try descriptor.withLock { fd in
            if fd == nil { fd = try openRepaired() }
        }
    }

    /// Appends every delivered, not yet written notification in `database`, fsyncs, marks them
    /// written, and returns how many lines were appended. On a write error the file is closed
    /// (the next pass reopens and repairs it) and the error rethrown; nothing is marked then.
    @discardableResult
    public func writePending(database: Database) throws -> Int {
        try descriptor.withLock { fd in
            var total = 0
            while true {
                let records = try NotificationStore.unwritten(limit: Self.batchSize, in: database)
                if records.isEmpty { break }
                let file: FileDescriptor
                if let open = fd {
                    file = open
                } else {
                    file = try openRepaired()
                    fd = file
                }
                var bytes: [UInt8] = []
                for record in records {
                    bytes.append(contentsOf: record.json.utf8)
                    bytes.append(UInt8(ascii: "\n"))
                }
                do {
                    try bytes.withUnsafeBytes { try file.writeAll($0) }
                    try file.dataSync()
                } catch {
                    try? file.close()
                    fd = nil
                    throw error
                }
                try database.transaction { db in
                    try NotificationStore.markWritten(ids: records.map(\.notificationId), in: db)
                }
                total += records.count
                if records.count < Self.batchSize { break }
            }
            return total
        }
    }

    /// Closes the file (a later `writePending` reopens it).
    public func close() {
        descriptor.withLock { fd in
            if let open = fd { try? open.close() }
            fd = nil
        }
    }

    /// Opens for appending (creating the file and syncing its directory when new) and cuts
    /// off a last line that has no newline (a write torn by a crash).
    private func openRepaired() throws -> FileDescriptor {
        let existed = FileSystemCalls.entryKind(path) != nil
        let fd = try FileDescriptor.open(path, [.readWrite, .create, .append])
        do {
            let size = try fd.size()
            let keep = try Self.lengthThroughLastNewline(fd, size: size)
            if keep < size {
                logger.warning("notification sink \(path): cutting off a partial last line "
                    + "(bytes \(keep)..<\(size)); its notifications are written again")
                try fd.truncate(to: keep)
                try fd.dataSync()
            }
            if !existed {
                try fd.dataSync()
                try FileSystemCalls.syncDirectory(Self.parentDirectory(of: path))
            }
        } catch {
            try? fd.close()
            throw error
        }
        return fd
    }

    /// The length of the file up to and including its last `\n` (0 when there is none).
    static func lengthThroughLastNewline(_ fd: FileDescriptor, size: Int64) throws -> Int64 {
        var end = size
        let chunk = 4096
        var buffer = [UInt8](repeating: 0, count: chunk)
        while end > 0 {
            let start = max(0, end - Int64(chunk))
            let count = Int(end - start)
            let read = try buffer.withUnsafeMutableBytes { raw in
                try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<count]), at: start)
            }
            if let index = buffer[0..<min(read, count)].lastIndex(of: UInt8(ascii: "\n")) {
                return start + Int64(index) + 1
            }
            end = start
        }
        return 0
    }

    /// The directory part of `path` (`.` for a bare name, `/` for a file in the root).
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}
