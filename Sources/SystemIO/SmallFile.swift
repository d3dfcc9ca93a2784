/// Reads small text files (settings, user lists, secrets) whole. Stateless; thread-safe.
public enum SmallFile {
    /// The UTF-8 text of the file at `path`, or nil when it cannot be read, is larger than
    /// `limit` bytes or is not UTF-8.
    public static func read(_ path: String, limit: Int = 1 << 20) -> String? {
        guard let fd = try? FileDescriptor.open(path, [.readOnly]) else { return nil }
        defer { try? fd.close() }
        guard let size = try? fd.size(), size <= Int64(limit) else { return nil }
        var buffer = [UInt8](repeating: 0, count: Int(size))
        guard let count = try? buffer.withUnsafeMutableBytes({ try fd.read(into: $0, at: 0) }) else { return nil }
        return String(validating: buffer[0..<count], as: UTF8.self)
    }

    /// The first line of the file at `path` (a password or token file, e.g. a Docker secret),
    /// or nil when the file cannot be read or its first line is empty.
    public static func firstLine(_ path: String) -> String? {
        guard let line = read(path)?.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first else { return nil }
        let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
        return trimmed.isEmpty ? nil : String(trimmed)
    }
}
