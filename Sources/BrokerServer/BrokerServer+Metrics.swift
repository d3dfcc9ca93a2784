import Broker
import LogStorage
import Prometheus
import SystemIO

extension BrokerServer {
    /// kaffeed's version, as `kaffee_build_info` reports it.
    public static let version = "0.1.0"

    /// The `/metrics` text: build info, start time and uptime, connections per listener, the
    /// broker's request, traffic, partition, group and transaction metrics, and the storage's
    /// fsyncs. Everything except the request-path counters is read now; with `--metrics false`
    /// the request, traffic and fsync families are absent and the gauges remain. Thread-safe.
    public func renderMetrics() -> String {
        var writer = MetricsWriter()
        writer.family("kaffee_build_info", .gauge, help: "Always 1; the labels say which kaffeed this is.")
        writer.sample("kaffee_build_info", [("version", Self.version)], Int64(1))
        let now = SystemTimeSource().wallMillis()
        writer.family("kaffee_start_time_seconds", .gauge, help: "When kaffeed started, in seconds since the Unix epoch.")
        writer.sample("kaffee_start_time_seconds", [], Double(startMillis) / 1000)
        writer.family("kaffee_uptime_seconds", .gauge, help: "Seconds since kaffeed started.")
        writer.sample("kaffee_uptime_seconds", [], Double(max(0, now - startMillis)) / 1000)
        let connections = listenerConnections
        writer.family("kaffee_connections", .gauge, help: "Open client connections, per listener.")
        for (endpoint, count) in zip(endpoints, connections) {
            writer.sample("kaffee_connections", [("listener", endpoint.name)], Int64(count.open))
        }
        writer.family("kaffee_connections_accepted_total", .counter, help: "Client connections accepted, per listener.")
        for (endpoint, count) in zip(endpoints, connections) {
            writer.sample("kaffee_connections_accepted_total", [("listener", endpoint.name)], count.accepted)
        }
        broker.renderMetrics(into: &writer)
        if let fsyncs {
            writer.family("kaffee_log_fsync_seconds", .histogram,
                          help: "Syncs of the data directory and their latency: file = fdatasync of a segment, index or state file; directory = fsync of a directory; filesystem = syncfs.")
            for kind in FsyncMetrics.Kind.allCases {
                writer.histogram("kaffee_log_fsync_seconds", [("kind", kind.rawValue)], fsyncs.histogram(kind))
            }
        }
        return writer.text
    }
}
