/// One broker of a described cluster. A value type; `Sendable`.
public struct BrokerDescription: Sendable, Equatable, Hashable {
    /// The broker's node id.
    public var nodeId: Int32
    /// The host it advertises.
    public var host: String
    /// The port it advertises.
    public var port: Int32
    /// Its rack, nil when none is configured.
    public var rack: String?
    /// Whether the controller has fenced it (DescribeCluster v2+ with fenced brokers asked
    /// for; false otherwise).
    public var isFenced: Bool

    /// A broker description.
    public init(nodeId: Int32, host: String, port: Int32, rack: String? = nil, isFenced: Bool = false) {
        self.nodeId = nodeId
        self.host = host
        self.port = port
        self.rack = rack
        self.isFenced = isFenced
    }

    /// `host:port`.
    public var address: String { "\(host):\(port)" }
}
