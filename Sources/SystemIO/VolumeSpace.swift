#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The size and free space of the file system volume holding a path (`fstatvfs`), as Kafka
/// reports it for a log directory (DescribeLogDirs v4+ `TotalBytes` / `UsableBytes`).
///
/// A plain value; `Sendable`. Sizes saturate at `Int64.max` instead of overflowing, as Kafka
/// clamps the JDK's negative sizes of volumes over 8 EiB.
public struct VolumeSpace: Sendable, Equatable {
    /// Bytes in the whole volume (`f_blocks × f_frsize`).
    public var totalBytes: Int64
    /// Bytes an unprivileged process may still write (`f_bavail × f_frsize`), the JDK's
    /// `getUsableSpace`; smaller than the free space when blocks are reserved for root.
    public var usableBytes: Int64

    public init(totalBytes: Int64, usableBytes: Int64) {
        self.totalBytes = totalBytes
        self.usableBytes = usableBytes
    }

    /// The volume holding `path` (any file or directory on it that may be opened for
    /// reading). Throws when `open` or `fstatvfs` fails, e.g. `ENOENT` for a missing path.
    public static func of(_ path: String) throws(SystemError) -> VolumeSpace {
        // fstatvfs on a descriptor: in Swift `statvfs` names both the struct and the function,
        // and the struct wins.
        let fd = try FileDescriptor.open(path, [.readOnly])
        defer { try? fd.close() }
        var info = statvfs()
        _ = try retryingOnInterrupt("fstatvfs", path: path) { Glibc.fstatvfs(fd.rawValue, &info) }
        return VolumeSpace(totalBytes: bytes(blocks: UInt64(info.f_blocks), size: UInt64(info.f_frsize)),
                           usableBytes: bytes(blocks: UInt64(info.f_bavail), size: UInt64(info.f_frsize)))
    }

    private static func bytes(blocks: UInt64, size: UInt64) -> Int64 {
        let (product, overflow) = blocks.multipliedReportingOverflow(by: size)
        return overflow || product > UInt64(Int64.max) ? .max : Int64(product)
    }
}
