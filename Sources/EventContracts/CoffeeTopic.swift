/// The coffee shop's topics, as declared in `Topics/<name>/topic.json`.
public enum CoffeeTopic: String, CaseIterable, Sendable, Hashable {
    /// Member registrations, keyed by member id.
    case members = "coffee.members"
    /// What customers do to orders, keyed by order id.
    case orders = "coffee.orders"
    /// The barista's decisions about orders, keyed by order id.
    case barista = "coffee.barista"
    /// The brewing queue: drinks to brew (`DrinkRequested`), keyed by order id, consumed by the
    /// barista workers through a share group.
    case brewQueue = "coffee.brew-queue"
    /// What the barista workers did with the drinks (`DrinkStarted`, `DrinkBrewed`,
    /// `DrinkFailed`), keyed by order id, consumed by the barista-service's order desk.
    case brewResults = "coffee.brew-results"
    /// Dead letters: records that could not be decoded or handled, keyed by the original key.
    case dlq = "coffee.dlq"

    /// The topic name on the broker, e.g. `"coffee.orders"`.
    public var name: String { rawValue }
}
