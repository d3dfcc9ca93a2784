import Foundation
import SystemIO

/// What a kaffeed binary offers, read from its `--help`: lets `kaffee demo` use a flag only
/// when the binary it starts has it (the demo works with older and newer brokers alike).
enum BrokerHelp {
    /// The text `executable --help` prints (stdout and stderr), or nil when it cannot run or
    /// does not finish within `timeoutSeconds`.
    static func text(of executable: String, timeoutSeconds: Double = 10) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--help"]
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return nil }
        // Read before waiting: a help text larger than the pipe buffer would otherwise block it.
        let output = Locked<Data?>(nil)
        let reader = pipe.fileHandleForReading
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            output.withLock { $0 = reader.readDataToEndOfFile() }
            done.signal()
        }
        guard done.wait(timeout: .now() + timeoutSeconds) == .success else {
            process.terminate()
            return nil
        }
        process.waitUntilExit()
        return output.withLock { $0 }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `executable --help` lists `flag`.
    static func offers(_ flag: String, executable: String) -> Bool {
        text(of: executable)?.contains(flag) ?? false
    }
}
