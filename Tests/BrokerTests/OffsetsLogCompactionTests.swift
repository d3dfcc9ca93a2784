import Broker
import KafkaProtocol
import LogStorage
import SystemIO
import Testing

/// The committed-offsets log is compacted by key: however many commits groups make, its size
/// and the replay at start-up stay bounded, and every group's latest offsets (and deletions)
/// survive compaction and restarts.
@Suite struct OffsetsLogCompactionTests {
    func harness(_ fileSystem: MemoryFileSystem, _ clock: ManualTimeSource) throws -> BrokerHarness {
        try BrokerHarness(configure: { $0.offsetsSegmentBytes = 4096 }, time: clock, fileSystem: fileSystem)
    }

    func commit(_ harness: inout BrokerHarness, group: String, offsets: [Int32: Int64]) throws {
        let response = try harness.send(OffsetCommitRequest(groupId: group, generationIdOrMemberEpoch: -1, memberId: "", topics: [
            OffsetCommitRequest.Topic(name: "t", partitions: offsets.sorted { $0.key < $1.key }.map {
                OffsetCommitRequest.Partition(partitionIndex: $0.key, committedOffset: $0.value)
            }),
        ]), version: 8)
        #expect(response.topics.allSatisfy { $0.partitions.allSatisfy { $0.errorCode == .none } })
    }

    func committed(_ harness: inout BrokerHarness, group: String) throws -> [Int32: Int64] {
        let response = try harness.send(OffsetFetchRequest(groupId: group, topics: nil), version: 7)
        var result: [Int32: Int64] = [:]
        for topic in response.topics { for partition in topic.partitions { result[partition.partitionIndex] = partition.committedOffset } }
        return result
    }

    func offsetsLogBytes(_ fileSystem: MemoryFileSystem) throws -> Int {
        try fileSystem.listDirectory("/data/internal/consumer-offsets").filter { $0.hasSuffix(".log") }.reduce(0) {
            $0 + (fileSystem.contents(of: "/data/internal/consumer-offsets/" + $1)?.count ?? 0)
        }
    }

    @Test func manyCommitsCompactToTheLatestPerPartitionAndSurviveARestart() throws {
        let fileSystem = MemoryFileSystem()
        let clock = ManualTimeSource()
        var harness = try harness(fileSystem, clock)
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 4))
        for round in 0..<600 {
            for group in ["a", "b"] {
                try commit(&harness, group: group, offsets: [0: Int64(round), 1: Int64(round * 2), 2: Int64(round * 3), 3: Int64(round * 4)])
            }
        }
        // One group is deleted: its tombstones must win over its commits after compaction too.
        #expect(try harness.send(DeleteGroupsRequest(groupsNames: ["b"]), version: 2).results.first?.errorCode == ErrorCode.none)
        let before = try offsetsLogBytes(fileSystem)
        #expect(before > 100_000)
        let cleaner = LogCleaner(store: harness.store, logger: .silent) { CleanerSettings() }
        var passes = 0
        while cleaner.runOnce().compacted != nil && passes < 20 { passes += 1 }
        #expect(passes >= 1)
        let after = try offsetsLogBytes(fileSystem)
        #expect(after < 3 * 4096, "offsets log: \(before) bytes before compaction, \(after) after")
        #expect(try committed(&harness, group: "a") == [0: 599, 1: 1198, 2: 1797, 3: 2396])
        #expect(try committed(&harness, group: "b").isEmpty)

        try harness.broker.close()
        try harness.store.close()
        var restarted = try self.harness(fileSystem, clock)
        #expect(try committed(&restarted, group: "a") == [0: 599, 1: 1198, 2: 1797, 3: 2396])
        #expect(try committed(&restarted, group: "b").isEmpty, "tombstones still hide the deleted group")
        // New commits go on after the compacted part.
        try commit(&restarted, group: "a", offsets: [0: 1000])
        var random = SplitMix64(seed: 2)
        fileSystem.crash(using: &random)
        var crashed = try self.harness(fileSystem, clock)
        #expect(try committed(&crashed, group: "a")[0] == 1000)
    }
}
