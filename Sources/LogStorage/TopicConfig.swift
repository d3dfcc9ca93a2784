/// Kafka's `cleanup.policy`. Stored and reported; compaction itself is not implemented, so
/// `compact` topics are retained like `delete` topics with their retention settings.
public enum CleanupPolicy: String, Sendable, Equatable, CaseIterable {
    case delete
    case compact
    case compactDelete = "compact,delete"

    /// Accepts `delete`, `compact`, and `compact,delete` in either order.
    public init?(parsing text: String) {
        switch text.filter({ $0 != " " }) {
        case "delete": self = .delete
        case "compact": self = .compact
        case "compact,delete", "delete,compact": self = .compactDelete
        default: return nil
        }
    }
}

/// A topic's settings: its partition count and the storage configuration of every partition.
///
/// Keys (`TopicConfig.keys`) are Kafka's topic-config names, plus `durability`
/// (`always|interval|never`, see `DurabilityPolicy`) whose interval is `flush.ms`.
public struct TopicConfig: Sendable, Equatable {
    public var partitionCount: Int32
    public var log: LogConfig
    public var cleanupPolicy: CleanupPolicy = .delete
    /// `flush.ms`: the sync interval used whenever `durability` is `interval`.
    public private(set) var flushMillis: Int64 = DurabilityPolicy.defaultIntervalMillis

    public init(partitionCount: Int32, log: LogConfig = LogConfig(), cleanupPolicy: CleanupPolicy = .delete) {
        self.partitionCount = partitionCount
        self.log = log
        self.cleanupPolicy = cleanupPolicy
        if case .interval(let ms) = log.durability { flushMillis = ms }
    }

    /// Every config key this broker understands, in the order they are listed.
    public static let keys = [
        "cleanup.policy", "retention.ms", "retention.bytes", "segment.bytes", "segment.ms",
        "max.message.bytes", "index.interval.bytes", "durability", "flush.ms",
    ]

    /// The current value of every key in `keys`, as text.
    public var entries: [(key: String, value: String)] {
        let durability = switch log.durability {
        case .always: "always"
        case .never: "never"
        case .interval: "interval"
        }
        return [
            ("cleanup.policy", cleanupPolicy.rawValue),
            ("retention.ms", String(log.retentionMillis)),
            ("retention.bytes", String(log.retentionBytes)),
            ("segment.bytes", String(log.segmentBytes)),
            ("segment.ms", String(log.segmentMillis)),
            ("max.message.bytes", String(log.maxBatchBytes)),
            ("index.interval.bytes", String(log.indexIntervalBytes)),
            ("durability", durability),
            ("flush.ms", String(flushMillis)),
        ]
    }

    /// Sets one key from text. Throws `invalidConfig` for an unknown key or a bad value; the
    /// config is unchanged then.
    public mutating func set(_ key: String, _ value: String) throws(LogStorageError) {
        func integer() throws(LogStorageError) -> Int64 {
            guard let number = Int64(value) else { throw .invalidConfig("\(key) must be an integer, got \(value.debugDescription)") }
            return number
        }
        var updated = self
        switch key {
        case "cleanup.policy":
            guard let policy = CleanupPolicy(parsing: value) else { throw .invalidConfig("cleanup.policy must be delete, compact or compact,delete") }
            updated.cleanupPolicy = policy
        case "retention.ms": updated.log.retentionMillis = try integer()
        case "retention.bytes": updated.log.retentionBytes = try integer()
        case "segment.bytes": updated.log.segmentBytes = Int(clamping: try integer())
        case "segment.ms": updated.log.segmentMillis = try integer()
        case "max.message.bytes": updated.log.maxBatchBytes = Int(clamping: try integer())
        case "index.interval.bytes": updated.log.indexIntervalBytes = Int(clamping: try integer())
        case "durability":
            switch value {
            case "always": updated.log.durability = .always
            case "never": updated.log.durability = .never
            case "interval": updated.log.durability = .interval(milliseconds: flushMillis)
            default: throw .invalidConfig("durability must be always, interval or never, got \(value.debugDescription)")
            }
        case "flush.ms":
            let ms = try integer()
            guard ms > 0 else { throw .invalidConfig("flush.ms must be positive, got \(ms)") }
            updated.flushMillis = ms
            if case .interval = updated.log.durability { updated.log.durability = .interval(milliseconds: ms) }
        default:
            throw .invalidConfig("unknown topic config \(key.debugDescription)")
        }
        try updated.log.validate()
        self = updated
    }
}
