/// Collected latencies (microseconds) and their percentiles. Not thread-safe; callers lock.
struct LatencyStats {
    private(set) var samples: [Int64] = []

    mutating func add(_ micros: Int64) { samples.append(micros) }

    var count: Int { samples.count }

    /// p50, p99, p99.9 and max in milliseconds (nil without samples).
    func summary() -> (average: Double, p50: Double, p99: Double, p999: Double, max: Double)? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        func at(_ fraction: Double) -> Double {
            let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
            return Double(sorted[max(0, index)]) / 1000
        }
        let average = Double(sorted.reduce(0, +)) / Double(sorted.count) / 1000
        return (average, at(0.5), at(0.99), at(0.999), Double(sorted[sorted.count - 1]) / 1000)
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return String(rounded)
    }
}
