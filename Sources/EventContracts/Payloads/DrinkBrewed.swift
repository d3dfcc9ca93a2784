/// `DrinkBrewed` v1: a barista worker finished a drink; keyed by `orderId`. Published before the
/// worker acknowledges the queue record, so a worker that dies in between publishes it again
/// (consumers treat a second one for the same ticket as a repeat).
public struct DrinkBrewed: EventPayload {
    /// The contract name, `"DrinkBrewed"`.
    public static let eventType = "DrinkBrewed"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.brew-results`.
    public static let topic = CoffeeTopic.brewResults

    /// The order's id; also the record key.
    public var orderId: String
    /// The ticket's id, as in the `DrinkRequested`.
    public var ticketId: String
    /// The worker that brewed it.
    public var worker: String
    /// Which delivery of the drink this was (1 the first time).
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
