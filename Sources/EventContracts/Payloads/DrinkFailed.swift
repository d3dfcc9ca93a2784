/// `DrinkFailed` v1: a drink failed on every attempt a worker made; the worker dead-lettered its
/// queue record and rejected it (archived). Its order fails; keyed by `orderId`.
public struct DrinkFailed: EventPayload {
    /// The contract name, `"DrinkFailed"`.
    public static let eventType = "DrinkFailed"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.brew-results`.
    public static let topic = CoffeeTopic.brewResults

    /// The order's id; also the record key.
    public var orderId: String
    /// The ticket's id, as in the `DrinkRequested`.
    public var ticketId: String
    /// The worker that gave up.
    public var worker: String
    /// How many deliveries the drink had, the last included.
    public var attempts: Int
    /// Why it failed.
    public var reason: String

    /// Creates the payload.
    public init(orderId: String, ticketId: String, worker: String, attempts: Int, reason: String) {
        self.orderId = orderId
        self.ticketId = ticketId
        self.worker = worker
        self.attempts = attempts
        self.reason = reason
    }

    /// The record key: `orderId`.
    public var recordKey: String { orderId }
}
