public import Net

/// Where the shop's services and broker are. Value type.
public struct ShopEndpoints: Sendable, Equatable {
    /// The order-service's HTTP address.
    public var orderService: HostPort
    /// The barista-service's HTTP address.
    public var baristaService: HostPort
    /// The notification-service's HTTP address.
    public var notificationService: HostPort
    /// The bootstrap brokers (for the dead-letter topic).
    public var brokers: [HostPort]

    public init(orderService: HostPort, baristaService: HostPort, notificationService: HostPort, brokers: [HostPort]) {
        self.orderService = orderService
        self.baristaService = baristaService
        self.notificationService = notificationService
        self.brokers = brokers
    }
}
