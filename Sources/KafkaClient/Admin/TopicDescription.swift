/// A topic as `KafkaAdmin.describeTopic` reports it: id, partitions and configuration.
/// A value type; `Sendable`.
public struct TopicDescription: Sendable, Equatable {
    /// The topic name.
    public var name: String
    /// The 16-byte topic id (all zero when the broker reports none, Metadata < v10).
    public var id: [UInt8]
    /// Whether this is an internal topic (e.g. `__consumer_offsets`).
    public var isInternal: Bool
    /// Every partition, by index.
    public var partitions: [PartitionDescription]
    /// Every configuration entry the broker reported, sorted by name.
    public var configs: [ConfigEntry]

    /// A topic description.
    public init(name: String, id: [UInt8], isInternal: Bool = false, partitions: [PartitionDescription], configs: [ConfigEntry]) {
        self.name = name
        self.id = id
        self.isInternal = isInternal
        self.partitions = partitions
        self.configs = configs
    }

    /// The topic id as Kafka prints it: 22 characters of URL-safe base64 without padding.
    public var idBase64: String { TopicIdFormat.base64URL(id) }

    /// The topic id as 32 lowercase hex digits.
    public var idHex: String { TopicIdFormat.hex(id) }

    /// Whether the broker reported a topic id (not all zero).
    public var hasId: Bool { id.contains { $0 != 0 } }

    /// The configuration entry named `name`, if reported.
    public func config(_ name: String) -> ConfigEntry? {
        configs.first { $0.name == name }
    }
}

/// Text forms of 16-byte topic ids.
enum TopicIdFormat {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    private static let hexDigits = Array("0123456789abcdef")

    /// URL-safe base64 without padding (Java `Base64.getUrlEncoder().withoutPadding()`).
    static func base64URL(_ bytes: [UInt8]) -> String {
        var output = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var bits: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { bits |= UInt32(byte) << (16 - 8 * UInt32(offset)) }
            let characters = chunk.count + 1
            for position in 0..<characters {
                output.append(alphabet[Int((bits >> (18 - 6 * UInt32(position))) & 0x3F)])
            }
            index += 3
        }
        return output
    }

    /// Lowercase hex, two digits per byte.
    static func hex(_ bytes: [UInt8]) -> String {
        var output = ""
        for byte in bytes {
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
        return output
    }
}
