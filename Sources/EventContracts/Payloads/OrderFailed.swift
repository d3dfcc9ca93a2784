/// `OrderFailed` v1: The barista cannot make the order, e.g. an unknown drink (barista-service); status FAILED; keyed by `orderId`.
public struct OrderFailed: EventPayload {
    /// The contract name, `"OrderFailed"`.
    public static let eventType = "OrderFailed"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.barista`.
    public static let topic = CoffeeTopic.barista

    /// The order's id; also the record key.
    public var orderId: String
    /// Why the order failed.
    public var reason: String

    /// Creates the payload.
    public init(orderId: String, reason: String) {
        self.orderId = orderId
        self.reason = reason
    }

    /// The record key: `orderId`.
    public var recordKey: String { orderId }
}
