/// `OrderPlaced` v1: a member placed an order (order-service); status PLACED; keyed by `orderId`.
public struct OrderPlaced: EventPayload {
    /// The contract name, `"OrderPlaced"`.
    public static let eventType = "OrderPlaced"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.orders`.
    public static let topic = CoffeeTopic.orders

    /// The order's id; also the record key.
    public var orderId: String
    /// The member's id.
    public var memberId: String
    /// The drinks ordered, in order (the schema allows 1...20 lines).
    public var items: [OrderItem]
    /// When the order was accepted (RFC 3339 text).
    public var placedAt: String

    /// Creates the payload.
    public init(orderId: String, memberId: String, items: [OrderItem], placedAt: String) {
        self.orderId = orderId
        self.memberId = memberId
        self.items = items
        self.placedAt = placedAt
    }

    /// The record key: `orderId`.
    public var recordKey: String { orderId }
}
