import Glibc

/// A fresh temporary directory for one test's database files; `remove()` deletes it with
/// everything in it (one level deep, which is all the tests create).
struct TestDirectory {
    /// The directory's absolute path.
    let path: String

    /// Creates `/tmp/sqlite-tests.XXXXXX`.
    init() throws {
        var template = Array("/tmp/sqlite-tests.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkdtemp($0) != nil } ?? false
        }
        guard made else { throw TestFileError(operation: "mkdtemp", code: errno) }
        path = template.withUnsafeBufferPointer { buffer in
            String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// `path/name`.
    func file(_ name: String) -> String { path + "/" + name }

    /// Deletes the files in the directory, then the directory (errors ignored).
    func remove() {
        chmod(path, 0o755)
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { unlink(file(name)) }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}

/// A failed libc call in a test helper: the call's name and `errno`.
struct TestFileError: Error {
    /// The libc call that failed.
    let operation: String
    /// The `errno` it set.
    let code: Int32
}

/// Writes `bytes` to `path`, replacing it.
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    guard let file = fopen(path, "wb") else { throw TestFileError(operation: "fopen", code: errno) }
    defer { fclose(file) }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    guard written == bytes.count else { throw TestFileError(operation: "fwrite", code: errno) }
}

/// Overwrites `bytes.count` bytes of `path` at `offset`, keeping the rest.
func patchFile(_ path: String, at offset: Int, _ bytes: [UInt8]) throws {
    guard let file = fopen(path, "r+b") else { throw TestFileError(operation: "fopen", code: errno) }
    defer { fclose(file) }
    guard fseek(file, offset, SEEK_SET) == 0 else { throw TestFileError(operation: "fseek", code: errno) }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    guard written == bytes.count else { throw TestFileError(operation: "fwrite", code: errno) }
}

/// The size of `path` in bytes.
func fileSize(_ path: String) throws -> Int {
    var info = stat()
    guard stat(path, &info) == 0 else { throw TestFileError(operation: "stat", code: errno) }
    return Int(info.st_size)
}

/// Random bytes.
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}

/// True when running as root, where file permissions do not stop writes.
var runningAsRoot: Bool { geteuid() == 0 }

/// The whole content of `path`.
func readFile(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw TestFileError(operation: "fopen", code: errno) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let got = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if got == 0 { break }
        bytes += chunk[0..<got]
    }
    return bytes
}

/// True when `path` exists.
func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

/// `chmod 0444 path`.
func makeReadOnly(_ path: String) throws {
    guard chmod(path, 0o444) == 0 else { throw TestFileError(operation: "chmod", code: errno) }
}
