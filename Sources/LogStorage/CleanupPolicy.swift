/// Kafka's `cleanup.policy`: delete old segments by retention, compact by key, or both.
public enum CleanupPolicy: String, Sendable, Equatable, CaseIterable {
    case delete
    case compact
    case compactDelete = "compact,delete"
    /// An empty list: neither compacted nor deleted (Kafka 4 accepts it; data is kept forever).
    case keepAll = ""

    /// Accepts `delete`, `compact`, and `compact,delete` in either order (spaces ignored).
    public init?(parsing text: String) {
        let items = Set(text.split(separator: ",").map { $0.filter { $0 != " " } })
        switch items {
        case []: self = .keepAll
        case ["delete"]: self = .delete
        case ["compact"]: self = .compact
        case ["compact", "delete"]: self = .compactDelete
        default: return nil
        }
    }

    /// Whether the log cleaner keeps only the latest record per key.
    public var compacts: Bool { self == .compact || self == .compactDelete }

    /// Whether `retention.ms` / `retention.bytes` delete old segments.
    public var deletes: Bool { self == .delete || self == .compactDelete }
}
