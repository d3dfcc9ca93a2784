import Broker
import KafkaProtocol
import Testing

/// KIP-430 without an authorizer: asked for, the authorized operations are every operation
/// Kafka supports on the resource (what librdkafka's admin tests expect: 8 for a topic, 7 for
/// the cluster, 5 for a group); not asked for, Int32.min.
@Suite struct AuthorizedOperationsTests {
    static func operations(_ bits: Int32) -> [Int] { (0..<32).filter { bits & (1 << $0) != 0 } }

    @Test func topicClusterAndGroupOperations() throws {
        var harness = try BrokerHarness()
        let metadata = try harness.send(MetadataRequest(topics: [.init(name: "ops")], allowAutoTopicCreation: true,
                                                        includeClusterAuthorizedOperations: true, includeTopicAuthorizedOperations: true), version: 8)
        #expect(Self.operations(try #require(metadata.topics.first).topicAuthorizedOperations) == [3, 4, 5, 6, 7, 8, 10, 11])
        #expect(Self.operations(metadata.clusterAuthorizedOperations) == [5, 7, 8, 9, 10, 11, 12])
        let cluster = try harness.send(DescribeClusterRequest(includeClusterAuthorizedOperations: true), version: 0)
        #expect(Self.operations(cluster.clusterAuthorizedOperations).count == 7)
        let asked = try harness.send(DescribeGroupsRequest(groups: ["g"], includeAuthorizedOperations: true), version: 5)
        #expect(Self.operations(try #require(asked.groups.first).authorizedOperations) == [3, 6, 8, 10, 11])
        let notAsked = try harness.send(DescribeGroupsRequest(groups: ["g"]), version: 5)
        #expect(notAsked.groups.first?.authorizedOperations == Int32.min)
    }
}
