/// `OrderPickedUp` v1: The customer picked up a ready order (order-service); status COMPLETED; keyed by `orderId`.
public struct OrderPickedUp: EventPayload {
    /// The contract name, `"OrderPickedUp"`.
    public static let eventType = "OrderPickedUp"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.orders`.
    public static let topic = CoffeeTopic.orders

    /// The order's id; also the record key.
    public var orderId: String

    /// Creates the payload.
    public init(orderId: String) {
        self.orderId = orderId
    }

    /// The record key: `orderId`.
    public var recordKey: String { orderId }
}
