/// `OrderCancellationRequested` v1: The customer asked to cancel an order (order-service); keyed by `orderId`.
public struct OrderCancellationRequested: EventPayload {
    /// The contract name, `"OrderCancellationRequested"`.
    public static let eventType = "OrderCancellationRequested"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.orders`.
    public static let topic = CoffeeTopic.orders

    /// The order's id; also the record key.
    public var orderId: String
    /// Why the customer cancels, if given.
    public var reason: String?

    /// Creates the payload.
    public init(orderId: String, reason: String? = nil) {
        self.orderId = orderId
        self.reason = reason
    }

    /// The record key: `orderId`.
    public var recordKey: String { orderId }
}
