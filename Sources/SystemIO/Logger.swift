#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Severity of a log line, lowest first.
public enum LogLevel: Int, Sendable, Comparable, CustomStringConvertible {
    case debug, info, warning, error

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .debug: "DEBUG"
        case .info: "INFO"
        case .warning: "WARN"
        case .error: "ERROR"
        }
    }

    /// Parses `debug`, `info`, `warn`/`warning`, `error` (any case).
    public init?(name: String) {
        switch name.lowercased() {
        case "debug": self = .debug
        case "info": self = .info
        case "warn", "warning": self = .warning
        case "error": self = .error
        default: return nil
        }
    }
}

/// A small value-type logger: one line per event, `TIMESTAMP LEVEL component: message`.
///
/// The sink decides where lines go (stderr by default; tests capture them). Thread-safe as long
/// as the sink is; the default sink writes each line with a single `write(2)`.
public struct Logger: Sendable {
    /// Receives every line at or above `minimumLevel`.
    public typealias Sink = @Sendable (_ level: LogLevel, _ component: String, _ message: String) -> Void

    public var component: String
    public var minimumLevel: LogLevel
    private let sink: Sink

    public init(component: String, minimumLevel: LogLevel = .info, sink: @escaping Sink = Logger.standardError) {
        self.component = component
        self.minimumLevel = minimumLevel
        self.sink = sink
    }

    /// The same sink and level under another component name.
    public func named(_ component: String) -> Logger {
        Logger(component: component, minimumLevel: minimumLevel, sink: sink)
    }

    /// A logger that drops everything.
    public static let silent = Logger(component: "", minimumLevel: .error, sink: { _, _, _ in })

    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        guard level >= minimumLevel else { return }
        sink(level, component, message())
    }

    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }

    /// Writes `2026-11-24T20:34:27.123Z LEVEL component: message` to standard error.
    public static let standardError: Sink = { level, component, message in
        let line = "\(utcTimestamp()) \(level) \(component): \(message)\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeBytes { try? FileDescriptor.standardError.writeAll($0) }
        bytes.removeAll()
    }

    /// The current UTC time as ISO 8601 with milliseconds.
    static func utcTimestamp() -> String {
        UTCTime.format(unixMillis: SystemTimeSource().wallMillis())
    }
}
