/// The broker's request-path metrics: per-API request counters and latencies, and per-topic
/// traffic. Given to `Broker.init` when metrics are on (`--metrics true`); with none, handlers
/// record nothing. Gauges (offsets, sizes, groups, parked requests) are not here: they are
/// read from the broker's state when `/metrics` is scraped (`Broker.renderMetrics`).
///
/// Thread-safe; reference type.
public final class BrokerMetrics: Sendable {
    public let requests = RequestMetrics()
    public let topics = TopicTrafficMetrics()

    public init() {}
}
