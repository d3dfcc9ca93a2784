/// Observations of durations in fixed buckets (`HistogramBuckets`): per-bucket counts (not
/// cumulative; the last one is `+Inf`), the sum in nanoseconds and the count. A value type
/// meant to live inside a lock owned by its user (`Histogram` is the locked one).
///
/// Invariant: `counts.count == buckets.nanos.count + 1` and `count == counts.reduce(0, +)`.
public struct LatencyHistogram: Sendable, Equatable {
    public let buckets: HistogramBuckets
    /// Observations per bucket, non-cumulative; the last entry is the `+Inf` bucket.
    public private(set) var counts: [UInt64]
    /// The sum of all observations, in nanoseconds (wrapping after 584 years of latency).
    public private(set) var sumNanos: UInt64 = 0
    /// How many observations.
    public private(set) var count: UInt64 = 0

    /// An empty histogram over `buckets`.
    public init(buckets: HistogramBuckets = .latency) {
        self.buckets = buckets
        counts = Array(repeating: 0, count: buckets.nanos.count + 1)
    }

    /// Records one duration.
    public mutating func observe(nanos: UInt64) {
        counts[buckets.index(ofNanos: nanos)] &+= 1
        sumNanos &+= nanos
        count &+= 1
    }

    /// The sum in seconds.
    public var sumSeconds: Double { Double(sumNanos) / 1e9 }

    /// Cumulative counts per bound, as `_bucket` lines show them (the last is `+Inf`, equal to
    /// `count`).
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return counts.map { running &+= $0; return running }
    }
}
