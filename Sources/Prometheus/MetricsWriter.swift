/// Builds a Prometheus text exposition (version 0.0.4): a family's `# HELP` and `# TYPE` lines
/// once, then its samples; histograms as cumulative `_bucket` lines ending with `le="+Inf"`,
/// then `_sum` and `_count`. A value type; not thread-safe (build one per scrape).
///
/// Invariant the caller keeps: each family is begun once, and its samples follow it directly
/// (the format wants a family's lines together).
public struct MetricsWriter {
    /// The text written so far.
    public private(set) var text = ""

    public init() {}

    /// Begins a family: its `# HELP` and `# TYPE` lines.
    public mutating func family(_ name: String, _ type: MetricType, help: String) {
        text += "# HELP \(name) \(PrometheusText.escapeHelp(help))\n"
        text += "# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample line `name{labels} value`.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        text += PrometheusText.labels(labels)
        text += " "
        text += PrometheusText.format(value)
        text += "\n"
    }

    /// One sample line with an integer value.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Int64) {
        text += name
        text += PrometheusText.labels(labels)
        text += " \(value)\n"
    }

    /// One sample line with an unsigned integer value.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: UInt64) {
        text += name
        text += PrometheusText.labels(labels)
        text += " \(value)\n"
    }

    /// A histogram's series for `labels` (its family begun as `.histogram` with `name`):
    /// `name_bucket{labels,le="…"}` per bound and `+Inf`, then `name_sum` (seconds) and `name_count`.
    public mutating func histogram(_ name: String, _ labels: [(String, String)] = [], _ histogram: LatencyHistogram) {
        let cumulative = histogram.cumulativeCounts
        for (index, bound) in histogram.buckets.seconds.enumerated() {
            sample(name + "_bucket", labels + [("le", PrometheusText.format(bound))], cumulative[index])
        }
        sample(name + "_bucket", labels + [("le", "+Inf")], histogram.count)
        sample(name + "_sum", labels, histogram.sumSeconds)
        sample(name + "_count", labels, histogram.count)
    }

    /// Appends text rendered elsewhere (whole families, ending with a newline).
    public mutating func append(raw: String) {
        text += raw
    }
}
