/// `OrderReady` v1: Every drink of the order is ready (barista-service); status READY; keyed by `orderId`.
public struct OrderReady: EventPayload {
    /// The contract name, `"OrderReady"`.
    public static let eventType = "OrderReady"
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
