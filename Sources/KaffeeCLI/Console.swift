import SystemIO
import Synchronization

/// Where a command's output goes: standard output (buffered, flushed on `flush()`), standard
/// error for messages, or in-memory buffers for tests. Thread-safe.
public final class Console: Sendable {
    private let out = Mutex<[UInt8]>([])
    private let err = Mutex<[UInt8]>([])
    private let captures: Bool

    /// The real standard output and error.
    public static func standard() -> Console { Console(captures: false) }
    /// A console that keeps everything in memory (`captured`).
    public static func capturing() -> Console { Console(captures: true) }

    private init(captures: Bool) { self.captures = captures }

    /// Whether standard error is a terminal (live progress lines go there).
    public var isInteractive: Bool { !captures && FileDescriptor.standardError.isTerminal }

    public func print(_ line: String) { write(Array((line + "\n").utf8)) }

    public func write(_ bytes: [UInt8]) {
        let full = out.withLock { buffer -> [UInt8]? in
            buffer += bytes
            guard !captures, buffer.count >= 64 * 1024 else { return nil }
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if let full { full.withUnsafeBytes { try? FileDescriptor.standardOutput.writeAll($0) } }
    }

    /// A message for the user on standard error (unbuffered).
    public func error(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        if captures { err.withLock { $0 += bytes } } else {
            flush()
            bytes.withUnsafeBytes { try? FileDescriptor.standardError.writeAll($0) }
        }
    }

    /// Rewrites the current terminal line on standard error (progress).
    public func progress(_ line: String) {
        guard isInteractive else { return }
        Array(("\r\u{1B}[2K" + line).utf8).withUnsafeBytes { try? FileDescriptor.standardError.writeAll($0) }
    }

    public func flush() {
        guard !captures else { return }
        let pending = out.withLock { buffer -> [UInt8] in
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if !pending.isEmpty { pending.withUnsafeBytes { try? FileDescriptor.standardOutput.writeAll($0) } }
    }

    /// Everything printed so far (capturing consoles only).
    public var captured: (out: String, err: String) {
        (String(decoding: out.withLock { $0 }, as: UTF8.self), String(decoding: err.withLock { $0 }, as: UTF8.self))
    }
}
