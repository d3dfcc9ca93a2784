/// How often a failing handler is tried before its record is dead-lettered, and how long to
/// wait between tries: `baseBackoff`, doubling after every failure, capped at `maxBackoff`.
/// Value type; the delays are a pure function of the policy.
public struct RetryPolicy: Sendable, Equatable {
    /// Total tries including the first (≥ 1).
    public var attempts: Int
    /// The wait after the first failure.
    public var baseBackoff: Duration
    /// The longest wait.
    public var maxBackoff: Duration

    /// Creates a policy; `attempts` below 1 is treated as 1, negative durations as zero, and a
    /// `maxBackoff` below `baseBackoff` as `baseBackoff`.
    public init(attempts: Int, baseBackoff: Duration, maxBackoff: Duration) {
        self.attempts = max(1, attempts)
        self.baseBackoff = max(.zero, baseBackoff)
        self.maxBackoff = max(self.baseBackoff, maxBackoff)
    }

    /// 5 tries, 100 ms doubling up to 5 s.
    public static let `default` = RetryPolicy(attempts: 5, baseBackoff: .milliseconds(100), maxBackoff: .seconds(5))

    /// The wait after failed try number `failure` (1-based): `base · 2^(failure−1)`, at most `max`;
    /// nil when no further try follows (`failure ≥ attempts`) or `failure < 1`.
    public func delay(afterFailure failure: Int) -> Duration? {
        guard failure >= 1, failure < attempts else { return nil }
        var delay = baseBackoff
        var doublings = failure - 1
        while doublings > 0, delay < maxBackoff {
            delay = delay * 2
            doublings -= 1
        }
        return min(delay, maxBackoff)
    }

    /// Every wait in order: `attempts − 1` delays.
    public var delays: [Duration] {
        (1..<attempts).compactMap { delay(afterFailure: $0) }
    }
}
