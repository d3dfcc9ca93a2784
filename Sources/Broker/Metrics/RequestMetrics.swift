public import KafkaProtocol
public import Prometheus
import Synchronization

/// Per-API request counters and latency histograms: one `ApiRequestStats` behind its own small
/// lock per API key, in a fixed array indexed by the key's number, so requests of different
/// APIs never contend and a request costs one lock acquisition when it completes (plus one
/// when its response carries errors). Requests with a key this broker does not know are
/// counted only when they close their connection (`unknownClosed`).
///
/// Thread-safe; reference type.
public final class RequestMetrics: Sendable {
    private final class Slot: Sendable {
        let stats = Mutex(ApiRequestStats())
    }

    /// Index = API key number; nil for numbers that are no `ApiKey`.
    private let slots: [Slot?]
    private let unknown = Mutex<UInt64>(0)

    public init() {
        let highest = ApiKey.allCases.map { Int($0.rawValue) }.max() ?? 0
        var slots: [Slot?] = Array(repeating: nil, count: highest + 1)
        for key in ApiKey.allCases { slots[Int(key.rawValue)] = Slot() }
        self.slots = slots
    }

    private func slot(_ apiKey: Int16) -> Slot? {
        let index = Int(apiKey)
        guard index >= 0 && index < slots.count else { return nil }
        return slots[index]
    }

    /// Counts a completed request (answered, or acks=0 Produce) with its phases; one lock.
    public func record(apiKey: Int16, version: Int16, timing: RequestTiming) {
        slot(apiKey)?.stats.withLock { $0.record(version: version, timing) }
    }

    /// Counts a request that closed its connection (`apiKey` as read from the frame, maybe unknown).
    public func recordClosed(apiKey: Int16?) {
        if let apiKey, let slot = slot(apiKey) {
            slot.stats.withLock { $0.closed &+= 1 }
        } else {
            unknown.withLock { $0 &+= 1 }
        }
    }

    /// Counts the error codes (other than NONE) `response` carries; takes the lock only when
    /// there are some.
    public func recordErrors(apiKey: ApiKey, _ response: any ProtocolMessage) {
        var first: ErrorCode?
        var more: [ErrorCode] = []
        response.forEachErrorCode { code in
            guard code != .none else { return }
            if first == nil { first = code } else { more.append(code) }
        }
        guard let first, let slot = slot(apiKey.rawValue) else { return }
        slot.stats.withLock { stats in
            stats.errors[first, default: 0] &+= 1
            for code in more { stats.errors[code, default: 0] &+= 1 }
        }
    }

    /// A copy of what was counted for `apiKey`.
    public func stats(_ apiKey: ApiKey) -> ApiRequestStats {
        slot(apiKey.rawValue)?.stats.withLock { $0 } ?? ApiRequestStats()
    }

    /// Requests counted over every API (the console's requests/s).
    public var totalRequests: UInt64 {
        slots.reduce(0) { sum, slot in sum &+ (slot?.stats.withLock { $0.requests } ?? 0) }
    }

    /// Requests with an unknown API key (they close their connection).
    public var unknownClosed: UInt64 { unknown.withLock { $0 } }

    /// Writes the request families (APIs never requested are left out).
    public func render(into writer: inout MetricsWriter) {
        let all = ApiKey.allCases.sorted { $0.rawValue < $1.rawValue }.map { ($0, stats($0)) }
        let used = all.filter { $0.1.requests > 0 || $0.1.closed > 0 || !$0.1.errors.isEmpty }
        writer.family("kaffee_requests_total", .counter, help: "Requests answered (or taken without an answer, acks=0), per API and version.")
        for (key, stats) in used {
            for (version, count) in stats.requestsByVersion.enumerated() where count > 0 {
                writer.sample("kaffee_requests_total", [("api", key.description), ("version", String(version))], count)
            }
        }
        writer.family("kaffee_request_errors_total", .counter,
                      help: "Error codes carried by responses, per API and Kafka error name (each occurrence: per partition, group, ...).")
        for (key, stats) in used {
            for (code, count) in stats.errors.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                writer.sample("kaffee_request_errors_total", [("api", key.description), ("error", code.kafkaName)], count)
            }
        }
        writer.family("kaffee_requests_closed_total", .counter,
                      help: "Requests that closed their connection instead of an answer (malformed, unsupported API or version).")
        for (key, stats) in used where stats.closed > 0 {
            writer.sample("kaffee_requests_closed_total", [("api", key.description)], stats.closed)
        }
        let unknownCount = unknownClosed
        if unknownCount > 0 { writer.sample("kaffee_requests_closed_total", [("api", "unknown")], unknownCount) }
        let phases: [(String, String, KeyPath<ApiRequestStats, LatencyHistogram>)] = [
            ("kaffee_request_queue_seconds", "Frame received until a handler thread starts on it.", \.queue),
            ("kaffee_request_local_seconds", "Time in the request handler.", \.local),
            ("kaffee_request_purgatory_seconds", "Time waiting in the purgatory (long-poll fetches, joins, produce syncs); 0 for requests that did not wait.", \.purgatory),
            ("kaffee_request_send_seconds", "Answer ready until its last byte is written to the socket.", \.send),
            ("kaffee_request_total_seconds", "Frame received until the answer is written.", \.total),
        ]
        for (name, help, path) in phases {
            writer.family(name, .histogram, help: help)
            for (key, stats) in used where stats.requests > 0 {
                writer.histogram(name, [("api", key.description)], stats[keyPath: path])
            }
        }
    }
}
