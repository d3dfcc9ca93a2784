import Broker
import KafkaProtocol
import Testing

/// The eight admin APIs are advertised with Kafka 4's ranges (DescribeLogDirs keeps v0 for
/// kafka-python), and a version just outside a range closes the connection like any
/// unsupported version.
@Suite struct AdminApiVersionsTests {
    @Test func advertisedRanges() {
        let expected = [
            ApiVersionRange(.createPartitions, 0, 3), ApiVersionRange(.deleteRecords, 0, 2), ApiVersionRange(.offsetDelete, 0, 0),
            ApiVersionRange(.describeLogDirs, 0, 4), ApiVersionRange(.describeCluster, 0, 2), ApiVersionRange(.offsetForLeaderEpoch, 2, 4),
            ApiVersionRange(.electLeaders, 0, 2), ApiVersionRange(.listPartitionReassignments, 0, 0),
        ]
        for range in expected { #expect(SupportedVersions.range(for: range.apiKey) == range) }
    }

    /// Frames of each API at versions outside its range.
    static let outOfRange: [(String, @Sendable (BrokerHarness) -> [UInt8])] = [
        ("CreatePartitions v4", { $0.frame(CreatePartitionsRequest(), version: 4, correlationId: 1) }),
        ("DeleteRecords v3", { $0.frame(DeleteRecordsRequest(), version: 3, correlationId: 1) }),
        ("OffsetDelete v1", { $0.frame(OffsetDeleteRequest(), version: 1, correlationId: 1) }),
        ("DescribeLogDirs v5", { $0.frame(DescribeLogDirsRequest(), version: 5, correlationId: 1) }),
        ("DescribeCluster v3", { $0.frame(DescribeClusterRequest(), version: 3, correlationId: 1) }),
        ("OffsetForLeaderEpoch v1 (removed in Kafka 4)", { $0.frame(OffsetForLeaderEpochRequest(), version: 1, correlationId: 1) }),
        ("OffsetForLeaderEpoch v5", { $0.frame(OffsetForLeaderEpochRequest(), version: 5, correlationId: 1) }),
        ("ElectLeaders v3", { $0.frame(ElectLeadersRequest(), version: 3, correlationId: 1) }),
        ("ListPartitionReassignments v1", { $0.frame(ListPartitionReassignmentsRequest(), version: 1, correlationId: 1) }),
    ]

    @Test func versionsOutsideTheRangesCloseTheConnection() throws {
        let harness = try BrokerHarness()
        for (name, frame) in Self.outOfRange {
            guard case .close = harness.broker.handle(frame: frame(harness)) else {
                Issue.record("\(name) must close the connection")
                continue
            }
        }
    }
}
