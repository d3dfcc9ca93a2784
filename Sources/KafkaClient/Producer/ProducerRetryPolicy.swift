/// Retry budget and backoff of a producer, from ``ClientConfig``: `retries` failed attempts
/// are retried, waiting `retryBackoffMs` doubled per attempt up to `maxRetryBackoffMs`.
/// A value type; `Sendable`.
struct ProducerRetryPolicy: Sendable {
    /// Failed attempts that are retried (≥ 0).
    let retries: Int
    /// Wait after the first failure.
    let backoffMs: Int
    /// Longest wait (≥ `backoffMs`).
    let maxBackoffMs: Int

    /// The policy `config` describes (negative values read as 0).
    init(_ config: ClientConfig) {
        retries = max(0, config.retries)
        backoffMs = max(0, config.retryBackoffMs)
        maxBackoffMs = max(backoffMs, config.maxRetryBackoffMs)
    }

    /// Whether a thing that has failed `attempts` times may be tried again.
    func allowsRetry(after attempts: Int) -> Bool { attempts <= retries }

    /// The wait after the `attempt`-th failure (1-based), in nanoseconds.
    func backoffNanos(attempt: Int) -> UInt64 {
        var delay = backoffMs
        for _ in 1..<max(1, min(attempt, 64)) where delay < maxBackoffMs { delay = delay > Int.max / 2 ? Int.max : delay * 2 }
        return Self.nanos(milliseconds: min(delay, maxBackoffMs))
    }

    /// `milliseconds` (negative = 0) in nanoseconds, saturating at 2^62 so that adding it to a
    /// monotonic time cannot overflow — configured timeouts may be as large as `Int.max`.
    static func nanos(milliseconds: Int) -> UInt64 {
        let limit: UInt64 = 1 << 62
        let (product, overflow) = UInt64(max(0, milliseconds)).multipliedReportingOverflow(by: 1_000_000)
        return overflow ? limit : min(product, limit)
    }

    /// `KafkaClientError.isRetriable`, plus BROKER_NOT_AVAILABLE (a leader from stale metadata).
    static func isRetriable(_ error: KafkaClientError) -> Bool {
        if case .broker(.brokerNotAvailable, _) = error { return true }
        return error.isRetriable
    }
}
