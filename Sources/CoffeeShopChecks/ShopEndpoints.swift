public import Net
public import KafkaClient

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
    /// The login for `brokers` when they are a SASL_PLAINTEXT listener (nil: none).
    public var sasl: SaslConfig?

    public init(orderService: HostPort, baristaService: HostPort, notificationService: HostPort, brokers: [HostPort], sasl: SaslConfig? = nil) {
        self.sasl = sasl
        self.orderService = orderService
        self.baristaService = baristaService
        self.notificationService = notificationService
        self.brokers = brokers
    }
}
