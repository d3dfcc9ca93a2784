/// The cluster as `KafkaAdmin.describeCluster` reports it. A value type; `Sendable`.
public struct ClusterDescription: Sendable, Equatable {
    /// Which request the description came from. A value type; `Sendable`.
    public enum Source: String, Sendable, Equatable {
        /// DescribeCluster (API key 60).
        case describeCluster
        /// Metadata, for brokers without DescribeCluster.
        case metadata
    }

    /// The cluster id; nil when the broker reports none (Metadata < v2).
    public var clusterId: String?
    /// The controller's node id (a KRaft broker names some live broker); −1 when unknown.
    public var controllerId: Int32
    /// Every broker, by node id.
    public var brokers: [BrokerDescription]
    /// Which request answered.
    public var source: Source

    /// A cluster description; `brokers` are sorted by node id.
    public init(clusterId: String?, controllerId: Int32, brokers: [BrokerDescription], source: Source) {
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.brokers = brokers.sorted { $0.nodeId < $1.nodeId }
        self.source = source
    }

    /// The controller's description, when it is among the brokers.
    public var controller: BrokerDescription? { brokers.first { $0.nodeId == controllerId } }
}
