public import LogStorage

/// A group config (Kafka's `GroupConfig`): its definition and the broker configs that supply
/// its default and bound it.
public struct GroupConfigDefinition: Sendable {
    public let definition: ConfigDefinition
    /// The broker config whose value is the default (`group.consumer.session.timeout.ms`).
    let brokerDefault: String?
    /// Broker configs bounding the value: (minimum name, maximum name).
    let bounds: (min: String, max: String)?

    init(_ definition: ConfigDefinition, brokerDefault: String? = nil, bounds: (String, String)? = nil) {
        self.definition = definition
        self.brokerDefault = brokerDefault
        self.bounds = bounds.map { (min: $0.0, max: $0.1) }
    }

    public var name: String { definition.name }
}

/// Every group config of Kafka 4.2 (consumer groups of KIP-848, share groups of KIP-932,
/// streams groups), with Kafka's validation: type and range, then the broker's bounds, then
/// session timeout above heartbeat interval. Set with IncrementalAlterConfigs / AlterConfigs on
/// resource type 32 (GROUP); a group needs not exist to be configured, as in Kafka.
public enum GroupConfigDefinitions {
    public static let all: [GroupConfigDefinition] = [
        .init(.init("consumer.session.timeout.ms", .int, "45000", .atLeast(1), "Session timeout of the group's consumers (KIP-848 protocol)."),
              brokerDefault: "group.consumer.session.timeout.ms",
              bounds: ("group.consumer.min.session.timeout.ms", "group.consumer.max.session.timeout.ms")),
        .init(.init("consumer.heartbeat.interval.ms", .int, "5000", .atLeast(1), "Heartbeat interval of the group's consumers (KIP-848 protocol)."),
              brokerDefault: "group.consumer.heartbeat.interval.ms",
              bounds: ("group.consumer.min.heartbeat.interval.ms", "group.consumer.max.heartbeat.interval.ms")),
        .init(.init("share.session.timeout.ms", .int, "45000", .atLeast(1), "Session timeout of the share group's members."),
              brokerDefault: "group.share.session.timeout.ms",
              bounds: ("group.share.min.session.timeout.ms", "group.share.max.session.timeout.ms")),
        .init(.init("share.heartbeat.interval.ms", .int, "5000", .atLeast(1), "Heartbeat interval of the share group's members."),
              brokerDefault: "group.share.heartbeat.interval.ms",
              bounds: ("group.share.min.heartbeat.interval.ms", "group.share.max.heartbeat.interval.ms")),
        .init(.init("share.record.lock.duration.ms", .int, "30000", .atLeast(1000), "How long a share-group member holds a record it was given."),
              brokerDefault: "group.share.record.lock.duration.ms",
              bounds: ("group.share.min.record.lock.duration.ms", "group.share.max.record.lock.duration.ms")),
        .init(.init("share.auto.offset.reset", .string, "latest", .shareAutoOffsetReset,
                    "Where a share group starts on a partition: earliest, latest or by_duration:<ISO-8601 duration>.")),
        .init(.init("share.isolation.level", .string, "read_uncommitted", .oneOf(["read_committed", "read_uncommitted"]),
                    "Whether share-group members see records of open or aborted transactions.")),
        .init(.init("streams.session.timeout.ms", .int, "45000", .atLeast(1), "Session timeout of the streams group's members."),
              bounds: ("group.streams.min.session.timeout.ms", "group.streams.max.session.timeout.ms")),
        .init(.init("streams.heartbeat.interval.ms", .int, "5000", .atLeast(1), "Heartbeat interval of the streams group's members."),
              bounds: ("group.streams.min.heartbeat.interval.ms", "group.streams.max.heartbeat.interval.ms")),
        .init(.init("streams.num.standby.replicas", .int, "0", .atLeast(0), "Standby replicas of a streams group's tasks."),
              bounds: ("", "group.streams.max.standby.replicas")),
        .init(.init("streams.initial.rebalance.delay.ms", .int, "3000", .atLeast(0), "Wait for more members when a streams group forms.")),
    ]

    static let byName: [String: GroupConfigDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public static func definition(_ name: String) -> GroupConfigDefinition? { byName[name] }

    /// Kafka's checks of a group's configs once each value is valid on its own: the broker's
    /// bounds and session timeout above heartbeat interval. `broker` gives a broker config's
    /// current value. Returns Kafka's message for the first failure, or nil.
    static func problem(in values: [String: String], broker: (String) -> String?) -> String? {
        for name in boundsOrder {
            guard let entry = byName[name], let bounds = entry.bounds, let text = values[name], let value = Int64(text) else { continue }
            if !bounds.min.isEmpty, let min = broker(bounds.min).flatMap({ Int64($0) }), value < min {
                return "\(entry.name) must be greater than or equal to \(bounds.min)"
            }
            if let max = broker(bounds.max).flatMap({ Int64($0) }), value > max {
                return "\(entry.name) must be less than or equal to \(bounds.max)"
            }
        }
        for prefix in ["consumer", "share", "streams"] {
            let session = "\(prefix).session.timeout.ms"
            let heartbeat = "\(prefix).heartbeat.interval.ms"
            guard values[session] != nil || values[heartbeat] != nil else { continue }
            let sessionValue = effective(session, values, broker).flatMap { Int64($0) } ?? 0
            let heartbeatValue = effective(heartbeat, values, broker).flatMap { Int64($0) } ?? 0
            if sessionValue <= heartbeatValue { return "\(session) must be greater than \(heartbeat)" }
        }
        return nil
    }

    /// The order Kafka's `GroupConfig.validateValues` checks the bounds in (heartbeat first).
    static let boundsOrder = [
        "consumer.heartbeat.interval.ms", "consumer.session.timeout.ms", "share.heartbeat.interval.ms", "share.session.timeout.ms",
        "share.record.lock.duration.ms", "streams.heartbeat.interval.ms", "streams.session.timeout.ms", "streams.num.standby.replicas",
    ]

    /// A group config's value: set on the group, else the broker's default, else the built-in one.
    static func effective(_ name: String, _ values: [String: String], _ broker: (String) -> String?) -> String? {
        if let value = values[name] { return value }
        guard let entry = byName[name] else { return nil }
        if let brokerName = entry.brokerDefault, let value = broker(brokerName) { return value }
        return entry.definition.defaultValue
    }
}
