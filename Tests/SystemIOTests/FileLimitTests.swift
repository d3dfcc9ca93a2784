import SystemIO
import Testing

/// The descriptor limit kaffeed raises at start, and the file-system calls bulk storage work uses.
@Suite struct FileLimitTests {
    @Test func raisingTheSoftLimitReachesTheHardOneAndNeverLowersIt() throws {
        let before = try OpenFileLimit.current()
        #expect(before.soft <= before.hard)
        let (reported, after) = try OpenFileLimit.raiseSoftToHard()
        #expect(reported == before)
        #expect(after.soft >= before.soft)
        #expect(after.hard == before.hard)
        #expect(after.soft == before.hard || before.hard == UInt64.max, "the soft limit is the hard one now")
        #expect(try OpenFileLimit.current() == after)
        // A second call has nothing left to do.
        #expect(try OpenFileLimit.raiseSoftToHard().after == after)
        #expect(OpenFileLimit(soft: 1024, hard: UInt64.max).description == "soft 1024, hard unlimited")
    }

    @Test func fileSizeAndSyncFileSystem() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-fs-")
        defer { try? FileSystemCalls.removeTree(dir) }
        let fd = try FileDescriptor.open(dir + "/f", [.readWrite, .create])
        try Array("twelve bytes".utf8).withUnsafeBytes { try fd.write($0, at: 0) }
        try fd.close()
        #expect(FileSystemCalls.fileSize(dir + "/f") == 12)
        #expect(FileSystemCalls.fileSize(dir) == nil, "a directory has no file size")
        #expect(FileSystemCalls.fileSize(dir + "/missing") == nil)
        try FileSystemCalls.syncFileSystem(containing: dir)
        #expect(throws: SystemError.self) { try FileSystemCalls.syncFileSystem(containing: dir + "/missing") }
        // Creating a directory whose parent exists, or that exists already, or with missing parents.
        try FileSystemCalls.createDirectories(dir + "/a")
        try FileSystemCalls.createDirectories(dir + "/a")
        try FileSystemCalls.createDirectories(dir + "/b/c/d")
        #expect(FileSystemCalls.entryKind(dir + "/b/c/d") == .directory)
    }

    @Test func cpuTimeAdvances() {
        let start = ProcessControl.cpuTimeNanos()
        var sum: UInt64 = 0
        var spins = 0
        while ProcessControl.cpuTimeNanos() == start && spins < 100_000_000 {
            sum &+= UInt64(spins)
            spins += 1
        }
        #expect(ProcessControl.cpuTimeNanos() > start, "spun \(spins) times (\(sum))")
    }
}
