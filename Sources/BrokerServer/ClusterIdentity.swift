import SystemIO

/// The cluster id, created once and kept in `<data>/cluster.id` so it is stable across restarts.
enum ClusterIdentity {
    static func load(dataDirectory: String) throws -> String {
        let path = dataDirectory + "/cluster.id"
        if FileSystemCalls.entryKind(path) == .file {
            let fd = try FileDescriptor.open(path, [.readOnly])
            defer { try? fd.close() }
            var bytes = [UInt8](repeating: 0, count: 64)
            let count = try bytes.withUnsafeMutableBytes { try fd.read(into: $0, at: 0) }
            let text = String(decoding: bytes[0..<count], as: UTF8.self).filter { !$0.isWhitespace }
            if !text.isEmpty { return text }
        }
        // 16 random bytes in URL-safe base64 without padding (22 characters), like Kafka's ids.
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let id = String((0..<22).map { _ in alphabet[Int.random(in: 0..<64, using: &generator)] })
        let temporary = path + ".tmp"
        let fd = try FileDescriptor.open(temporary, [.writeOnly, .create, .truncate])
        try Array((id + "\n").utf8).withUnsafeBytes { try fd.write($0, at: 0) }
        try fd.sync()
        try fd.close()
        try FileSystemCalls.rename(temporary, to: path)
        try FileSystemCalls.syncDirectory(dataDirectory)
        return id
    }
}
