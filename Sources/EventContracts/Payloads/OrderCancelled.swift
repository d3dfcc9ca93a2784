/// `OrderCancelled` v1: The order was cancelled before brewing started (barista-service); status CANCELLED; keyed by `orderId`.
public struct OrderCancelled: EventPayload {
    /// The contract name, `"OrderCancelled"`.
    public static let eventType = "OrderCancelled"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.barista`.
    public static let topic = CoffeeTopic.barista

    /// The order's id; also the record key.
    public var orderId: String

    /// Creates the payload.
    public init(orderId: String) {
        self.orderId = orderId
    }

    /// The record key: `orderId`.
    public var recordKey: String { orderId }
}
