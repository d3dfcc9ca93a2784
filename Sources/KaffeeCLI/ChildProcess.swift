import Foundation
import SystemIO

/// A child process started by `kaffee demo` (the broker or a service), its output appended to
/// a log file. Reference type; use from one thread.
final class ChildProcess {
    /// Display name, e.g. "order-service".
    let name: String
    private let process = Process()
    private let logPath: String

    /// Starts `executable` with `arguments` and `environment` added to this process's
    /// environment; stdout and stderr go to `logPath`.
    init(name: String, executable: String, arguments: [String], environment: [String: String], logPath: String) throws(CLIError) {
        self.name = name
        self.logPath = logPath
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            throw .failed("cannot write the log file \(logPath)")
        }
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .failed("cannot start \(name) (\(executable)): \(error)")
        }
    }

    /// Whether it is still running.
    var isRunning: Bool { process.isRunning }

    /// Its process id.
    var pid: Int32 { process.processIdentifier }

    /// The exit status once it exited (nil while running).
    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// Sends SIGTERM and waits up to `graceSeconds` for it to exit, then SIGKILL. Returns the exit status.
    @discardableResult
    func stop(graceSeconds: Double = 15) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(graceSeconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// Kills it with SIGKILL (as a crash would) and waits for it.
    func crash() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The last `lines` lines of its log (for error messages).
    func logTail(_ lines: Int = 15) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "" }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
