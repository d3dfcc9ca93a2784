#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A failed system call: the `errno` it set, the call's name, and the path it was about, if any.
///
/// Value type, `Sendable`. `description` is the text a log line or CLI error shows.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The raw `errno` value.
    public let code: Int32
    /// The system call or operation that failed (`"open"`, `"pwrite"`, ...).
    public let operation: String
    /// The file or directory the call was about, when there is one.
    public let path: String?

    public init(code: Int32, operation: String, path: String? = nil) {
        self.code = code
        self.operation = operation
        self.path = path
    }

    /// Captures the current thread's `errno` for `operation`.
    static func current(_ operation: String, path: String? = nil) -> SystemError {
        SystemError(code: errno, operation: operation, path: path)
    }

    /// True when the error means "no such file or directory".
    public var isNotFound: Bool { code == ENOENT }
    /// True when the error means "file exists".
    public var isAlreadyExists: Bool { code == EEXIST }
    /// A socket timeout (`SO_RCVTIMEO`/`SO_SNDTIMEO`) expired: EAGAIN / EWOULDBLOCK.
    public var isTimeout: Bool { code == EAGAIN || code == EWOULDBLOCK }

    public var description: String {
        let message = String(cString: strerror(code))
        if let path { return "\(operation) \(path): \(message) (errno \(code))" }
        return "\(operation): \(message) (errno \(code))"
    }
}

/// Runs `call` until it returns something other than -1 with `EINTR`; throws any other failure.
///
/// Every syscall wrapper in this module goes through here so interrupted calls are retried in
/// exactly one place.
@inline(__always)
func retryingOnInterrupt<R: BinaryInteger>(
    _ operation: String, path: String? = nil, _ call: () -> R
) throws(SystemError) -> R {
    while true {
        let result = call()
        if result != -1 { return result }
        if errno == EINTR { continue }
        throw SystemError.current(operation, path: path)
    }
}
