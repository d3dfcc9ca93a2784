/// What a config request is about: a topic, one broker, the cluster-wide broker defaults, or a
/// consumer group (Kafka's `ConfigResource`). A value type; `Sendable`.
public enum ConfigResource: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A topic by name (resource type 2).
    case topic(String)
    /// One broker by node id (resource type 4, name = the id in decimal). Requests about it
    /// are sent to that broker, since only it knows its static configuration.
    case broker(Int32)
    /// The dynamic defaults shared by every broker (resource type 4 with the empty name).
    case brokerDefaults
    /// A consumer group by id (resource type 32; group configs such as
    /// `consumer.session.timeout.ms`).
    case group(String)

    /// The wire resource type: 2 topic, 4 broker, 32 group.
    public var wireType: Int8 {
        switch self {
        case .topic: 2
        case .broker, .brokerDefaults: 4
        case .group: 32
        }
    }

    /// The wire resource name: the topic or group name, the broker id, or "" for the defaults.
    public var wireName: String {
        switch self {
        case .topic(let name), .group(let name): name
        case .broker(let id): String(id)
        case .brokerDefaults: ""
        }
    }

    /// The broker a request about this resource must go to (nil: any broker).
    var brokerId: Int32? {
        if case .broker(let id) = self { return id }
        return nil
    }

    /// Whether `type` and `name` (from an answer) denote this resource.
    func matches(type: Int8, name: String) -> Bool {
        type == wireType && name == wireName
    }

    /// E.g. `topic orders`, `broker 1`, `the cluster-wide broker defaults`, `group billing`.
    public var description: String {
        switch self {
        case .topic(let name): "topic \(name)"
        case .broker(let id): "broker \(id)"
        case .brokerDefaults: "the cluster-wide broker defaults"
        case .group(let name): "group \(name)"
        }
    }
}
