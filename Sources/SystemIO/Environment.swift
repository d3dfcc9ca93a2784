#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Process environment variables.
public enum Environment {
    /// The value of `name`, or nil when unset.
    public static func get(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// The process id.
    public static var processId: Int32 { getpid() }
}
