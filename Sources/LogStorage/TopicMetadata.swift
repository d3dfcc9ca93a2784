/// A topic as stored: its name, its 16-byte id (Kafka topic ids, for Metadata v10+) and config.
///
/// Persisted as `topic.conf` in the topic's directory, replaced atomically. Text format, one
/// `key value` pair per line: `version 2`, `name NAME`, `id 32-HEX-DIGITS`, `partitions N`, then
/// one line per config set on the topic (`TopicConfig.overrides`; values never hold newlines).
/// Version 1 files (which listed every config) are read too: values equal to that version's
/// built-in defaults were not set on the topic, and a `segment.bytes` below Kafka 4's 1 MiB
/// minimum becomes `internal.segment.bytes`. Unknown keys are an error (the file is ours alone).
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
        var text = "version 2\nname \(name)\nid \(idHex)\npartitions \(config.partitionCount)\n"
        for (key, value) in config.overrides.sorted(by: { $0.key < $1.key }) { text += "\(key) \(value)\n" }
        return Array(text.utf8)
    }

    /// What version 1 files wrote for configs nobody set.
    private static let versionOneDefaults: [String: String] = [
        "cleanup.policy": "delete", "retention.ms": "604800000", "retention.bytes": "-1", "segment.bytes": "1073741824",
        "segment.ms": "604800000", "max.message.bytes": "1048588", "index.interval.bytes": "4096", "durability": "interval",
        "flush.ms": "100",
    ]

    /// Parses a `topic.conf`; throws `corrupt` naming the line that is wrong.
    static func parse(_ bytes: [UInt8], path: String) throws(LogStorageError) -> TopicMetadata {
        var name: String?
        var id: [UInt8]?
        var partitions: Int32?
        var version = 0
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
                guard value == "1" || value == "2" else { throw .corrupt(path: path, position: position, reason: "unknown version \(value)") }
                version = Int(value) ?? 0
            case "name": name = value
            case "id":
                id = parseHex(value)
                if id == nil { throw .corrupt(path: path, position: position, reason: "bad topic id") }
            case "partitions":
                guard let count = Int32(value), count > 0 else { throw .corrupt(path: path, position: position, reason: "bad partition count") }
                partitions = count
            default:
                if version == 1 {
                    if versionOneDefaults[key] == value { continue }
                    if key == "segment.bytes", let size = Int(value), size < 1_048_576 {
                        do { try config.set("internal.segment.bytes", value) } catch {
                            throw .corrupt(path: path, position: position, reason: "\(error)")
                        }
                        continue
                    }
                }
                do { try config.set(key, value) } catch {
                    throw .corrupt(path: path, position: position, reason: "\(error)")
                }
            }
        }
        guard let name, let id, let partitions, version > 0 else {
            throw .corrupt(path: path, position: 0, reason: "missing version, name, id or partitions")
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
