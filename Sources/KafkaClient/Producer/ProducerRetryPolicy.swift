/// Retry budget and backoff of a producer, from ``ClientConfig``: `retries` failed attempts
/// are retried, waiting `retryBackoffMs` doubled per attempt up to `maxRetryBackoffMs`.
/// A value type; `Sendable`.
struct ProducerRetryPolicy: Sendable {
    let retries: Int
    let backoffMs: Int
    let maxBackoffMs: Int

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
        for _ in 1..<max(1, min(attempt, 32)) where delay < maxBackoffMs { delay *= 2 }
        return UInt64(min(delay, maxBackoffMs)) * 1_000_000
    }

    /// `KafkaClientError.isRetriable`, plus BROKER_NOT_AVAILABLE (a leader from stale metadata).
    static func isRetriable(_ error: KafkaClientError) -> Bool {
        if case .broker(.brokerNotAvailable, _) = error { return true }
        return error.isRetriable
    }
}
