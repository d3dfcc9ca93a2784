/// `DrinkRequested` v1: one drink of an order to brew (barista-service's order desk); the work
/// item of the brewing queue `coffee.brew-queue`, taken by the barista workers through a share
/// group; keyed by `orderId`.
public struct DrinkRequested: EventPayload {
    /// The contract name, `"DrinkRequested"`.
    public static let eventType = "DrinkRequested"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.brew-queue`.
    public static let topic = CoffeeTopic.brewQueue

    /// The order's id; also the record key.
    public var orderId: String
    /// The ticket's id (`<orderId>-<n>`): which drink of the order this is.
    public var ticketId: String
    /// The drink, a name on the menu.
    public var drink: String
    /// The size.
    public var size: DrinkSize

    /// Creates the payload.
    public init(orderId: String, ticketId: String, drink: String, size: DrinkSize) {
        self.orderId = orderId
        self.ticketId = ticketId
        self.drink = drink
        self.size = size
    }

    /// The record key: `orderId`.
    public var recordKey: String { orderId }
}
