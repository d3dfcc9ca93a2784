public import KafkaProtocol
public import Prometheus

/// What `RequestMetrics` counted for one API key: requests per version, error codes carried by
/// the responses, requests that closed their connection, and the latency of each phase of a
/// request (see `RequestTiming`). A value type, kept inside the API's lock.
///
/// Invariant: the five histograms have the same `count`, the sum of `requestsByVersion`.
public struct ApiRequestStats: Sendable, Equatable {
    /// Versions counted individually (0..<slots); higher ones are counted in the last slot.
    public static let versionSlots = 32

    /// Completed requests per version (index = version).
    public var requestsByVersion: [UInt64] = Array(repeating: 0, count: versionSlots)
    /// Error codes (other than NONE) in the responses, each occurrence (per partition, per group…).
    public var errors: [ErrorCode: UInt64] = [:]
    /// Requests that closed their connection instead of being answered (malformed, unsupported version).
    public var closed: UInt64 = 0
    public var queue = LatencyHistogram()
    public var local = LatencyHistogram()
    public var purgatory = LatencyHistogram()
    public var send = LatencyHistogram()
    public var total = LatencyHistogram()

    public init() {}

    /// All completed requests, every version.
    public var requests: UInt64 { requestsByVersion.reduce(0, &+) }

    /// Counts one completed request of `version` with its phases.
    mutating func record(version: Int16, _ timing: RequestTiming) {
        requestsByVersion[min(max(0, Int(version)), Self.versionSlots - 1)] &+= 1
        queue.observe(nanos: timing.queueNanos)
        local.observe(nanos: timing.localNanos)
        purgatory.observe(nanos: timing.purgatoryNanos)
        send.observe(nanos: timing.sendNanos)
        total.observe(nanos: timing.totalNanos)
    }
}
