/// The coffee shop's topics, as declared in `Topics/<name>/topic.json`.
public enum CoffeeTopic: String, CaseIterable, Sendable, Hashable {
    /// Member registrations, keyed by member id.
    case members = "coffee.members"
    /// What customers do to orders, keyed by order id.
    case orders = "coffee.orders"
    /// The barista's decisions about orders, keyed by order id.
    case barista = "coffee.barista"
    /// Dead letters: records that could not be decoded or handled, keyed by the original key.
    case dlq = "coffee.dlq"

    /// The topic name on the broker, e.g. `"coffee.orders"`.
    public var name: String { rawValue }
}
