/// The fixed upper bounds of a latency histogram, in seconds (rendered as `le`) and in
/// nanoseconds (compared when observing). Invariant: strictly increasing, positive; the
/// implicit last bucket is `+Inf`. Immutable value; `Sendable`.
public struct HistogramBuckets: Sendable, Equatable {
    /// Upper bounds in seconds.
    public let seconds: [Double]
    /// The same bounds in nanoseconds (rounded).
    public let nanos: [UInt64]

    /// Buckets with these upper bounds (seconds, strictly increasing; anything else is sorted
    /// and deduplicated).
    public init(seconds: [Double]) {
        let bounds = Array(Set(seconds.filter { $0 > 0 && $0.isFinite })).sorted()
        self.seconds = bounds
        self.nanos = bounds.map { UInt64(($0 * 1e9).rounded()) }
    }

    /// 100 µs to 10 s, about three buckets per decade: request phases and fsyncs.
    public static let latency = HistogramBuckets(seconds: [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ])

    /// The index of the bucket `nanos` falls into: the first bound ≥ it, or `nanos.count`
    /// (the `+Inf` bucket).
    public func index(ofNanos value: UInt64) -> Int {
        var low = 0
        var high = nanos.count
        while low < high {
            let mid = (low + high) / 2
            if nanos[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
