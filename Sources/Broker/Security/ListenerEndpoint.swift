/// One Kafka listener as clients see it: its name (`PLAINTEXT`, `SASL_PLAINTEXT` or a name
/// mapped to one of them), its security protocol and the address clients are told to use for
/// it. Metadata, FindCoordinator and DescribeCluster answer each client with the advertised
/// address of the listener its request came in on. A value type.
public struct ListenerEndpoint: Sendable, Equatable {
    public var name: String
    public var securityProtocol: SecurityProtocol
    /// Never a wildcard address.
    public var advertisedHost: String
    public var advertisedPort: Int32

    public init(name: String, securityProtocol: SecurityProtocol, advertisedHost: String, advertisedPort: Int32) {
        self.name = name
        self.securityProtocol = securityProtocol
        self.advertisedHost = advertisedHost
        self.advertisedPort = advertisedPort
    }

    /// `NAME://host:port`, as Kafka writes `advertised.listeners`.
    public var advertisedText: String { "\(name)://\(advertisedHost):\(advertisedPort)" }
}
