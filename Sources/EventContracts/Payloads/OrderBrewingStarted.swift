/// `OrderBrewingStarted` v1: A barista started on the order (barista-service); status BREWING; keyed by `orderId`.
public struct OrderBrewingStarted: EventPayload {
    /// The contract name, `"OrderBrewingStarted"`.
    public static let eventType = "OrderBrewingStarted"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.barista`.
    public static let topic = CoffeeTopic.barista

    /// The order's id; also the record key.
    public var orderId: String
    /// Who (or which worker) brews it, if known.
    public var barista: String?

    /// Creates the payload.
    public init(orderId: String, barista: String? = nil) {
        self.orderId = orderId
        self.barista = barista
    }

    /// The record key: `orderId`.
    public var recordKey: String { orderId }
}
