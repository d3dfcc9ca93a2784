import Broker
import KafkaProtocol
import Testing

/// DescribeCluster against a KRaft broker listener (research B.5).
@Suite struct DescribeClusterTests {
    @Test(arguments: Int16(0)...2)
    func describesThisBrokerAsTheWholeCluster(version: Int16) throws {
        var harness = try BrokerHarness { $0.nodeId = 3 }
        let response = try harness.send(DescribeClusterRequest(), version: version)
        #expect(response == DescribeClusterResponse(
            throttleTimeMs: 0, errorCode: .none, errorMessage: nil, endpointType: 1, clusterId: "test-cluster", controllerId: 3,
            brokers: [DescribeClusterResponse.DescribeClusterBroker(brokerId: 3, host: "broker.test", port: 19092, rack: nil, isFenced: false)],
            clusterAuthorizedOperations: Int32.min))
        let withOperations = try harness.send(DescribeClusterRequest(includeClusterAuthorizedOperations: true, includeFencedBrokers: true), version: version)
        // CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE.
        #expect(withOperations.clusterAuthorizedOperations == 8096)
        #expect(withOperations.brokers.map(\.brokerId) == [3], "no fenced brokers to add")
    }

    @Test func askingABrokerForControllersIsAMismatch() throws {
        var harness = try BrokerHarness()
        for version in Int16(1)...2 {
            let response = try harness.send(DescribeClusterRequest(includeClusterAuthorizedOperations: true, endpointType: 2), version: version)
            #expect(response == DescribeClusterResponse(
                errorCode: .mismatchedEndpointType,
                errorMessage: "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER"))
            #expect(response.brokers.isEmpty && response.clusterId.isEmpty && response.controllerId == -1)
        }
    }

    @Test func unknownEndpointTypesAreUnsupported() throws {
        var harness = try BrokerHarness()
        for (type, version) in [(Int8(0), Int16(1)), (3, 2), (-1, 1)] {
            let response = try harness.send(DescribeClusterRequest(endpointType: type), version: version)
            #expect(response == DescribeClusterResponse(errorCode: .unsupportedEndpointType, errorMessage: "Unsupported endpoint type \(type)"))
        }
    }
}
