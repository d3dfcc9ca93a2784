internal import Synchronization
import Prometheus

/// Thread-safe counters and gauges with labels, rendered in the Prometheus text exposition
/// format (version 0.0.4). Reference type, `Sendable`; every call takes one lock.
///
/// Families render in declaration order; a family's series sorted by their label text; label
/// names within a series sorted. A declared unlabelled family with no series yet renders as
/// `name 0`; a family declared `labelled` renders only its `# HELP`/`# TYPE` lines until touched.
public final class Metrics: Sendable {
    /// A metric family's type.
    public enum Kind: String, Sendable {
        case counter, gauge
    }

    private struct Family {
        var name: String
        var kind: Kind
        var help: String
        var labelled: Bool
        var series: [String: (labels: [(String, String)], value: Double)] = [:]
    }

    private struct State {
        var order: [String] = []
        var families: [String: Family] = [:]
    }

    private let state = Mutex(State())

    /// An empty registry.
    public init() {}

    /// Declares a family (re-declaring keeps the first declaration).
    public func declare(_ name: String, kind: Kind, help: String, labelled: Bool = false) {
        state.withLock { state in
            guard state.families[name] == nil else { return }
            state.order.append(name)
            state.families[name] = Family(name: name, kind: kind, help: help, labelled: labelled)
        }
    }

    /// Adds `amount` (≥ 0 for counters) to the series; declares the family as a counter if new.
    public func increment(_ name: String, labels: [String: String] = [:], by amount: Double = 1) {
        update(name, labels: labels, defaultKind: .counter) { $0 += amount }
    }

    /// Sets the series to `value`; declares the family as a gauge if new.
    public func set(_ name: String, labels: [String: String] = [:], to value: Double) {
        update(name, labels: labels, defaultKind: .gauge) { $0 = value }
    }

    /// The series' current value, nil when never touched.
    public func value(_ name: String, labels: [String: String] = [:]) -> Double? {
        let (key, _) = Self.key(labels)
        return state.withLock { $0.families[name]?.series[key]?.value }
    }

    private func update(_ name: String, labels: [String: String], defaultKind: Kind, _ change: (inout Double) -> Void) {
        let (key, sorted) = Self.key(labels)
        state.withLock { state in
            if state.families[name] == nil {
                state.order.append(name)
                state.families[name] = Family(name: name, kind: defaultKind, help: name, labelled: !labels.isEmpty)
            }
            var value = state.families[name]?.series[key]?.value ?? 0
            change(&value)
            state.families[name]?.series[key] = (sorted, value)
        }
    }

    private static func key(_ labels: [String: String]) -> (String, [(String, String)]) {
        if labels.isEmpty { return ("", []) }
        let sorted = labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return (renderLabels(sorted), sorted)
    }

    /// The whole registry in the text exposition format, ending with a newline.
    public func render() -> String {
        state.withLock { state in
            var out = ""
            for name in state.order {
                guard let family = state.families[name] else { continue }
                out += "# HELP \(name) \(Self.escapeHelp(family.help))\n"
                out += "# TYPE \(name) \(family.kind.rawValue)\n"
                if family.series.isEmpty {
                    if !family.labelled { out += "\(name) 0\n" }
                    continue
                }
                for key in family.series.keys.sorted() {
                    out += "\(name)\(key) \(Self.format(family.series[key]?.value ?? 0))\n"
                }
            }
            return out
        }
    }

    /// `{a="1",b="x"}`, or empty for no labels.
    static func renderLabels(_ labels: [(String, String)]) -> String { PrometheusText.labels(labels) }

    /// Escapes `\`, `"` and newline in a label value.
    public static func escapeLabelValue(_ value: String) -> String { PrometheusText.escapeLabelValue(value) }

    /// Escapes `\` and newline in help text.
    static func escapeHelp(_ text: String) -> String { PrometheusText.escapeHelp(text) }

    /// Integral values without a fraction, `+Inf`/`-Inf`/`NaN` as Prometheus spells them.
    static func format(_ value: Double) -> String { PrometheusText.format(value) }
}

/// The chassis' standard metrics on a `Metrics` registry.
public struct ServiceMetrics: Sendable {
    public static let consumed = "kaffee_service_consumed_total"
    public static let produced = "kaffee_service_produced_total"
    public static let handled = "kaffee_service_handled_total"
    public static let failed = "kaffee_service_failed_total"
    public static let deadLettered = "kaffee_service_dead_lettered_total"
    public static let outboxDepth = "kaffee_service_outbox_depth"
    public static let consumerLag = "kaffee_service_consumer_lag"

    /// The registry (a service may declare more families on it).
    public let registry: Metrics

    /// Declares the standard families on `registry`.
    public init(registry: Metrics = Metrics()) {
        self.registry = registry
        registry.declare(Self.consumed, kind: .counter, help: "Records consumed.")
        registry.declare(Self.produced, kind: .counter, help: "Records produced and acknowledged.")
        registry.declare(Self.handled, kind: .counter, help: "Records handled successfully.")
        registry.declare(Self.failed, kind: .counter, help: "Handler attempts that failed.")
        registry.declare(Self.deadLettered, kind: .counter, help: "Records sent to the dead-letter topic.")
        registry.declare(Self.outboxDepth, kind: .gauge, help: "Outbox rows waiting to be sent.")
        registry.declare(Self.consumerLag, kind: .gauge, help: "High watermark minus committed offset, per partition.", labelled: true)
    }

    public func consumed(_ n: Int = 1) { registry.increment(Self.consumed, by: Double(n)) }
    public func produced(_ n: Int = 1) { registry.increment(Self.produced, by: Double(n)) }
    public func handled(_ n: Int = 1) { registry.increment(Self.handled, by: Double(n)) }
    public func failed(_ n: Int = 1) { registry.increment(Self.failed, by: Double(n)) }
    public func deadLettered(_ n: Int = 1) { registry.increment(Self.deadLettered, by: Double(n)) }
    public func setOutboxDepth(_ depth: Int) { registry.set(Self.outboxDepth, to: Double(depth)) }
    public func setConsumerLag(topic: String, partition: Int32, lag: Int64) {
        registry.set(Self.consumerLag, labels: ["topic": topic, "partition": String(partition)], to: Double(lag))
    }

    /// The registry's text exposition.
    public func render() -> String { registry.render() }
}
