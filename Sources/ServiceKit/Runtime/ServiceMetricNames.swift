/// The chassis' metric families (Prometheus names), declared by `ServiceHost`.
public enum ServiceMetricNames {
    /// Records polled from the broker, by topic.
    public static let consumed = "kaffee_service_consumed_total"
    /// Events handled for the first time (effects applied).
    public static let handled = "kaffee_service_handled_total"
    /// Redelivered events skipped by the inbox.
    public static let duplicates = "kaffee_service_duplicates_total"
    /// Handler attempts that failed (each failed try counts).
    public static let failed = "kaffee_service_handler_failures_total"
    /// Records sent to the dead-letter topic.
    public static let deadLettered = "kaffee_service_dead_lettered_total"
    /// Outbox rows published and acknowledged.
    public static let produced = "kaffee_service_produced_total"
    /// Outbox rows not yet acknowledged by the broker.
    public static let outboxDepth = "kaffee_service_outbox_depth"
    /// Records on the consumed topics not yet committed by this service's group, by topic.
    public static let consumerLag = "kaffee_service_consumer_lag"
    /// 1 when `/healthz` says ready, else 0.
    public static let ready = "kaffee_service_ready"

    /// Declares every chassis family on `metrics` with its help text.
    public static func declare(on metrics: Metrics) {
        metrics.declare(consumed, kind: .counter, help: "Records polled from the broker.", labelled: true)
        metrics.declare(handled, kind: .counter, help: "Events handled for the first time.")
        metrics.declare(duplicates, kind: .counter, help: "Redelivered events skipped by the inbox.")
        metrics.declare(failed, kind: .counter, help: "Failed handler attempts.")
        metrics.declare(deadLettered, kind: .counter, help: "Records sent to the dead-letter topic.")
        metrics.declare(produced, kind: .counter, help: "Outbox events published and acknowledged.")
        metrics.declare(outboxDepth, kind: .gauge, help: "Outbox events waiting to be published.")
        metrics.declare(consumerLag, kind: .gauge, help: "Records not yet committed by this service's group.", labelled: true)
        metrics.declare(ready, kind: .gauge, help: "1 when the service is ready.")
    }
}
