#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`): the soft limit, which
/// `open` and `accept` fail at (`EMFILE`), and the hard ceiling the soft one may be raised to.
///
/// A value type; the functions are thread-safe (the limit is process-wide, so callers raise it
/// once, at start-up).
public struct OpenFileLimit: Sendable, Equatable, CustomStringConvertible {
    /// The limit in force. `UInt64.max` means unlimited.
    public var soft: UInt64
    /// The most the soft limit may be raised to without privileges. `UInt64.max` means unlimited.
    public var hard: UInt64

    public init(soft: UInt64, hard: UInt64) {
        self.soft = soft
        self.hard = hard
    }

    /// The limit now.
    public static func current() throws(SystemError) -> OpenFileLimit {
        var limit = rlimit()
        _ = try retryingOnInterrupt("getrlimit") { getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) }
        return OpenFileLimit(soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max))
    }

    /// Raises the soft limit to the hard one (brokers hold a descriptor per connection, and
    /// the default soft limit, often 1024, is far below what the system allows). An unlimited
    /// hard limit is taken as the kernel's ceiling (`/proc/sys/fs/nr_open`, else 1,048,576).
    /// Returns the limit before and after; never lowers it.
    @discardableResult
    public static func raiseSoftToHard() throws(SystemError) -> (before: OpenFileLimit, after: OpenFileLimit) {
        let before = try current()
        var target = before.hard
        if target == UInt64.max { target = kernelCeiling() }
        guard target > before.soft else { return (before, before) }
        var limit = rlimit(rlim_cur: rlim_t(target), rlim_max: rlim_t(before.hard))
        _ = try retryingOnInterrupt("setrlimit") { setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) }
        return (before, try current())
    }

    /// `/proc/sys/fs/nr_open`: no descriptor limit may exceed it.
    private static func kernelCeiling() -> UInt64 {
        let fallback: UInt64 = 1 << 20
        guard let descriptor = try? FileDescriptor.open("/proc/sys/fs/nr_open", .readOnly) else { return fallback }
        defer { try? descriptor.close() }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = (try? bytes.withUnsafeMutableBytes { buffer throws(SystemError) in try descriptor.read(into: buffer, at: 0) }) ?? 0
        let text = String(decoding: bytes[0..<count], as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return UInt64(text) ?? fallback
    }

    public var description: String {
        func text(_ value: UInt64) -> String { value == UInt64.max ? "unlimited" : String(value) }
        return "soft \(text(soft)), hard \(text(hard))"
    }
}
