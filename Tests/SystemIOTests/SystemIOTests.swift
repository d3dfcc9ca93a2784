import Glibc
import SystemIO
import Synchronization
import Testing

@Suite struct SystemIOTests {
    @Test func positionalReadWriteTruncateAndSize() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-io-")
        defer { try? FileSystemCalls.removeTree(dir) }
        let fd = try FileDescriptor.open(dir + "/f", [.readWrite, .create])
        defer { try? fd.close() }
        let data = Array("hello, world".utf8)
        try data.withUnsafeBytes { try fd.write($0, at: 100) }
        #expect(try fd.size() == 112)
        var buffer = [UInt8](repeating: 0, count: 20)
        let got = try buffer.withUnsafeMutableBytes { try fd.read(into: $0, at: 100) }
        #expect(got == 12, "short only at end of file")
        #expect(Array(buffer[0..<12]) == data)
        try fd.dataSync()
        try fd.truncate(to: 105)
        #expect(try fd.size() == 105)
        #expect(FileSystemCalls.entryKind(dir + "/f") == .file)
        #expect(FileSystemCalls.entryKind(dir) == .directory)
        #expect(FileSystemCalls.entryKind(dir + "/missing") == nil)
        try FileSystemCalls.syncDirectory(dir)
    }

    @Test func errorsCarryErrnoOperationAndPath() throws {
        do {
            _ = try FileDescriptor.open("/nonexistent-kaffee/x", [.readOnly])
            Issue.record("open of a missing file succeeded")
        } catch {
            #expect(error.isNotFound)
            #expect(error.operation == "open")
            #expect(error.description.contains("/nonexistent-kaffee/x"))
            #expect(error.description.contains("No such file"))
        }
    }

    @Test func directoriesAreCreatedListedRenamedAndRemoved() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-dir-")
        defer { try? FileSystemCalls.removeTree(dir) }
        try FileSystemCalls.createDirectories(dir + "/a/b/c")
        try FileSystemCalls.createDirectories(dir + "/a/b/c")
        let fd = try FileDescriptor.open(dir + "/a/b/file", [.readWrite, .create])
        try fd.close()
        #expect(try FileSystemCalls.listDirectory(dir + "/a/b").sorted() == ["c", "file"])
        try FileSystemCalls.rename(dir + "/a/b/file", to: dir + "/a/moved")
        #expect(try FileSystemCalls.listDirectory(dir + "/a").sorted() == ["b", "moved"])
        try FileSystemCalls.removeTree(dir + "/a")
        #expect(FileSystemCalls.entryKind(dir + "/a") == nil)
        try FileSystemCalls.removeTree(dir + "/a")  // missing is fine
    }

    @Test func sendfileCopiesARangeToAPipe() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-sendfile-")
        defer { try? FileSystemCalls.removeTree(dir) }
        let file = try FileDescriptor.open(dir + "/f", [.readWrite, .create])
        defer { try? file.close() }
        let data = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try data.withUnsafeBytes { try file.write($0, at: 0) }
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let reader = FileDescriptor(rawValue: fds[0])
        let writer = FileDescriptor(rawValue: fds[1])
        defer { try? reader.close(); try? writer.close() }
        var sent = 0
        while sent < 1000 { sent += try file.send(to: writer, offset: Int64(100 + sent), count: 1000 - sent) }
        var received = [UInt8](repeating: 0, count: 1000)
        var got = 0
        while got < 1000 {
            let n = received.withUnsafeMutableBytes { Glibc.read(reader.rawValue, $0.baseAddress! + got, 1000 - got) }
            #expect(n > 0)
            if n <= 0 { break }
            got += n
        }
        #expect(received == Array(data[100..<1100]))
    }

    @Test func loggerFormatsOneLinePerEventAndFiltersByLevel() {
        let lines = Mutex<[String]>([])
        let logger = Logger(component: "store", minimumLevel: .info) { level, component, message in
            lines.withLock { $0.append("\(level) \(component): \(message)") }
        }
        logger.debug("hidden")
        logger.info("opened")
        logger.named("log").warning("corrupt at byte 12")
        #expect(lines.withLock { $0 } == ["INFO store: opened", "WARN log: corrupt at byte 12"])
        #expect(LogLevel(name: "WARN") == .warning)
        #expect(LogLevel(name: "loud") == nil)
    }

    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualTimeSource(wallMillis: 1000)
        let mono = clock.monotonicNanos()
        #expect(clock.wallMillis() == 1000)
        clock.advance(millis: 250)
        #expect(clock.wallMillis() == 1250)
        #expect(clock.monotonicNanos() == mono + 250_000_000)
        let real = SystemTimeSource()
        #expect(real.wallMillis() > 1_700_000_000_000)
        #expect(real.monotonicNanos() > 0)
    }
}
