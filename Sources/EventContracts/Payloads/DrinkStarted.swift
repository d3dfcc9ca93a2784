/// `DrinkStarted` v1: a barista worker took a drink from the brewing queue and started it; keyed
/// by `orderId`. A drink redelivered after a worker died is started again (a later `attempt`).
public struct DrinkStarted: EventPayload {
    /// The contract name, `"DrinkStarted"`.
    public static let eventType = "DrinkStarted"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.brew-results`.
    public static let topic = CoffeeTopic.brewResults

    /// The order's id; also the record key.
    public var orderId: String
    /// The ticket's id, as in the `DrinkRequested`.
    public var ticketId: String
    /// The worker that brews it.
    public var worker: String
    /// Which delivery of the drink this is (1 the first time).
    public var attempt: Int

    /// Creates the payload.
    public init(orderId: String, ticketId: String, worker: String, attempt: Int) {
        self.orderId = orderId
        self.ticketId = ticketId
        self.worker = worker
        self.attempt = attempt
    }

    /// The record key: `orderId`.
    public var recordKey: String { orderId }
}
