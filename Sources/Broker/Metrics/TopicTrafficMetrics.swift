import Synchronization

/// Per-topic `TopicTraffic` counters. Handlers add a request's totals per topic in one lock
/// acquisition (never per record or per partition). Counters of deleted topics stay (counters
/// must not go backwards); their number is bounded by the topics ever created while running.
///
/// Thread-safe; reference type.
public final class TopicTrafficMetrics: Sendable {
    private let topics = Mutex<[String: TopicTraffic]>([:])

    public init() {}

    /// Adds a Produce request's appended bytes and records, per topic.
    func produced(_ totals: [(topic: String, bytes: Int, records: Int)]) {
        add(totals) { traffic, bytes, records in
            traffic.bytesIn &+= bytes
            traffic.recordsIn &+= records
        }
    }

    /// Adds a Fetch answer's record bytes and covered offsets, per topic.
    func fetched(_ totals: [(topic: String, bytes: Int, records: Int)]) {
        add(totals) { traffic, bytes, records in
            traffic.bytesOut &+= bytes
            traffic.recordsOut &+= records
        }
    }

    /// One lock for all of a request's topics.
    private func add(_ totals: [(topic: String, bytes: Int, records: Int)], _ apply: (inout TopicTraffic, UInt64, UInt64) -> Void) {
        guard !totals.isEmpty else { return }
        topics.withLock { topics in
            for total in totals {
                apply(&topics[total.topic, default: TopicTraffic()], UInt64(max(0, total.bytes)), UInt64(max(0, total.records)))
            }
        }
    }

    /// The counters of `topic` (zero if never touched).
    public func traffic(_ topic: String) -> TopicTraffic { topics.withLock { $0[topic] ?? TopicTraffic() } }

    /// Every topic's counters.
    public var all: [String: TopicTraffic] { topics.withLock { $0 } }
}
