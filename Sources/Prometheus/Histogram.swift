import Synchronization

/// A thread-safe `LatencyHistogram` (one lock per observation). Reference type, `Sendable`.
public final class Histogram: Sendable {
    private let data: Mutex<LatencyHistogram>

    /// An empty histogram over `buckets`.
    public init(buckets: HistogramBuckets = .latency) {
        data = Mutex(LatencyHistogram(buckets: buckets))
    }

    /// Records one duration.
    public func observe(nanos: UInt64) {
        data.withLock { $0.observe(nanos: nanos) }
    }

    /// A copy of the current counts.
    public var snapshot: LatencyHistogram { data.withLock { $0 } }
}
