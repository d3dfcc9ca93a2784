import KafkaProtocol

extension KafkaAdmin {
    /// The cluster id, controller and brokers (DescribeCluster; from Metadata when the broker
    /// does not offer DescribeCluster — `source` tells which answered).
    ///
    /// - Throws: `.broker(code, ...)` with the broker's message when DescribeCluster fails.
    public func describeCluster() throws(KafkaClientError) -> ClusterDescription {
        try cluster.withRetries("DescribeCluster") { () throws(KafkaClientError) -> ClusterDescription in
            let connection = try anyBroker()
            guard let version = ClientVersions.negotiate(.describeCluster, broker: try connection.apiVersions()) else {
                return try describeClusterFromMetadata(connection)
            }
            let request = DescribeClusterRequest(includeClusterAuthorizedOperations: false, endpointType: 1, includeFencedBrokers: version >= 2)
            let response = try connection.send(request, version: version).0
            guard response.errorCode == .none else {
                throw .broker(response.errorCode, context: Self.context("describe the cluster", response.errorMessage))
            }
            let brokers = response.brokers.map {
                BrokerDescription(nodeId: $0.brokerId, host: $0.host, port: $0.port, rack: $0.rack, isFenced: $0.isFenced)
            }
            return ClusterDescription(clusterId: response.clusterId, controllerId: response.controllerId, brokers: brokers, source: .describeCluster)
        }
    }

    /// The cluster as a Metadata answer without topics describes it (the fallback of
    /// `describeCluster`; internal so tests can compare both on brokers that have DescribeCluster).
    func describeClusterFromMetadata(_ connection: BrokerConnection) throws(KafkaClientError) -> ClusterDescription {
        let response = try connection.send(MetadataRequest(topics: [], allowAutoTopicCreation: false)).0
        let brokers = response.brokers.map { BrokerDescription(nodeId: $0.nodeId, host: $0.host, port: $0.port, rack: $0.rack) }
        return ClusterDescription(clusterId: response.clusterId, controllerId: response.controllerId, brokers: brokers, source: .metadata)
    }
}
