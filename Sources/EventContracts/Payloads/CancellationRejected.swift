/// `CancellationRejected` v1: A cancellation request came after brewing started (barista-service); the order carries on; keyed by `orderId`.
public struct CancellationRejected: EventPayload {
    /// The contract name, `"CancellationRejected"`.
    public static let eventType = "CancellationRejected"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.barista`.
    public static let topic = CoffeeTopic.barista

    /// The order's id; also the record key.
    public var orderId: String
    /// Why the cancellation was rejected.
    public var reason: String

    /// Creates the payload.
    public init(orderId: String, reason: String) {
        self.orderId = orderId
        self.reason = reason
    }

    /// The record key: `orderId`.
    public var recordKey: String { orderId }
}
