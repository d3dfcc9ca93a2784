/// A topic as stored: its name, its 16-byte id (Kafka topic ids, for Metadata v10+) and config.
///
/// Persisted as `topic.conf` in the topic's directory, replaced atomically. Text format, one
/// `key value` pair per line: `version 1`, `name NAME`, `id 32-HEX-DIGITS`, `partitions N`, then
/// every `TopicConfig` key. Unknown keys are an error (the file is ours alone).
public struct TopicMetadata: Sendable, Equatable {
    public static let fileName = "topic.conf"

    public var name: String
    public var id: [UInt8]
    public var config: TopicConfig

    public init(name: String, id: [UInt8], config: TopicConfig) {
        self.name = name
        self.id = id
        self.config = config
    }

    /// A fresh random topic id (never all zeros, which means "no id" on the wire).
    public static func randomID() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var id = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if id.allSatisfy({ $0 == 0 }) { id[15] = 1 }
        return id
    }

    /// The id as 32 lowercase hex digits.
    public var idHex: String {
        id.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    func serialized() -> [UInt8] {
        var text = "version 1\nname \(name)\nid \(idHex)\npartitions \(config.partitionCount)\n"
        for (key, value) in config.entries { text += "\(key) \(value)\n" }
        return Array(text.utf8)
    }

    /// Parses a `topic.conf`; throws `corrupt` naming the line that is wrong.
    static func parse(_ bytes: [UInt8], path: String) throws(LogStorageError) -> TopicMetadata {
        var name: String?
        var id: [UInt8]?
        var partitions: Int32?
        var config = TopicConfig(partitionCount: 1)
        var position: Int64 = 0
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            defer { position += Int64(line.utf8.count + 1) }
            guard !line.isEmpty else { continue }
            guard let space = line.firstIndex(of: " ") else {
                throw .corrupt(path: path, position: position, reason: "expected `key value`")
            }
            let key = String(line[..<space])
            let value = String(line[line.index(after: space)...])
            switch key {
            case "version":
                guard value == "1" else { throw .corrupt(path: path, position: position, reason: "unknown version \(value)") }
            case "name": name = value
            case "id":
                id = parseHex(value)
                if id == nil { throw .corrupt(path: path, position: position, reason: "bad topic id") }
            case "partitions":
                guard let count = Int32(value), count > 0 else { throw .corrupt(path: path, position: position, reason: "bad partition count") }
                partitions = count
            default:
                do { try config.set(key, value) } catch {
                    throw .corrupt(path: path, position: position, reason: "\(error)")
                }
            }
        }
        guard let name, let id, let partitions else {
            throw .corrupt(path: path, position: 0, reason: "missing name, id or partitions")
        }
        config.partitionCount = partitions
        return TopicMetadata(name: name, id: id, config: config)
    }

    private static func parseHex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 32 else { return nil }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: 32, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// Kafka's topic-name rule: 1–249 characters from `[a-zA-Z0-9._-]`, and not `.` or `..`.
    public static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 249, name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
    }
}
