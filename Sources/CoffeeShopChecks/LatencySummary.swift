/// Percentiles of a set of latencies in milliseconds (nearest-rank). Value type.
public struct LatencySummary: Sendable, Equatable {
    /// How many samples.
    public var count: Int
    public var p50: Int64
    public var p99: Int64
    public var max: Int64

    /// Summarises `samples` (nil when empty).
    public init?(_ samples: [Int64]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        func rank(_ p: Double) -> Int64 {
            let index = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
        }
        count = sorted.count
        p50 = rank(0.50)
        p99 = rank(0.99)
        max = sorted[sorted.count - 1]
    }

    /// "p50 12 ms, p99 40 ms, max 51 ms (n=200)".
    public var text: String { "p50 \(p50) ms, p99 \(p99) ms, max \(max) ms (n=\(count))" }

    /// Order placed → barista declared it ready, per READY/COMPLETED order.
    public static func placedToReady(_ state: ShopState) -> LatencySummary? {
        LatencySummary(state.orders.orders.compactMap { o in
            guard let placed = o.placedAtMs, let ready = o.readyAtMs else { return nil }
            return ready - placed
        })
    }

    /// Order placed → its "ready" notification delivered.
    public static func placedToNotified(_ state: ShopState) -> LatencySummary? {
        let placed = Dictionary(state.orders.orders.compactMap { o in o.placedAtMs.map { (o.orderId, $0) } },
                                uniquingKeysWith: { a, _ in a })
        return LatencySummary(state.notifications.notifications.compactMap { n in
            guard n.kind == "ready", let delivered = n.deliveredAtMs, let at = placed[n.orderId] else { return nil }
            return delivered - at
        })
    }
}
