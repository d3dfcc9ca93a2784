import Glibc
import SystemIO
import Testing

/// `VolumeSpace` (fstatvfs) and `FileSystemCalls.absolutePath` (getcwd), which DescribeLogDirs
/// reports.
@Suite struct VolumeSpaceTests {
    @Test func measuresTheVolumeOfAnExistingDirectoryOrFile() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-volume-")
        defer { try? FileSystemCalls.removeTree(dir) }
        let space = try VolumeSpace.of(dir)
        #expect(space.totalBytes > 0)
        #expect(space.usableBytes >= 0 && space.usableBytes <= space.totalBytes)
        let fd = try FileDescriptor.open(dir + "/f", [.readWrite, .create])
        try fd.close()
        #expect(try VolumeSpace.of(dir + "/f").totalBytes == space.totalBytes, "a file on the same volume measures the same volume")
    }

    @Test func aMissingPathThrowsItsErrno() {
        do {
            _ = try VolumeSpace.of("/nonexistent-kaffee/dir")
            Issue.record("expected an error")
        } catch {
            #expect(error.isNotFound)
            #expect(error.path == "/nonexistent-kaffee/dir")
        }
    }

    @Test func absolutePathsAreTidiedAndRelativeOnesJoinTheWorkingDirectory() throws {
        #expect(FileSystemCalls.absolutePath("/var//lib/./kaffee/") == "/var/lib/kaffee")
        #expect(FileSystemCalls.absolutePath("/") == "/")
        #expect(FileSystemCalls.absolutePath("/a/../b") == "/a/../b", "lexical: .. and links are kept")
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let cwd = try #require(buffer.withUnsafeMutableBufferPointer { pointer in
            getcwd(pointer.baseAddress, pointer.count).map { String(cString: $0) }
        })
        let base = cwd == "/" ? "" : cwd
        #expect(FileSystemCalls.absolutePath("./kaffee-data") == base + "/kaffee-data")
        #expect(FileSystemCalls.absolutePath("data/x") == base + "/data/x")
        #expect(FileSystemCalls.absolutePath(".") == (base.isEmpty ? "/" : base))
    }
}
