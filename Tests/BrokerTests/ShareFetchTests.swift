import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import SystemIO
import Testing

/// ShareFetch and ShareAcknowledge through the broker's handlers (no sockets): acquisition,
/// acknowledgement, redelivery, sessions and Kafka's errors.
@Suite struct ShareFetchTests {
    struct Client {
        var harness: BrokerHarness
        let topicId: [UInt8]
        var epochs: [String: Int32] = [:]

        /// The share session epoch after `epoch` (1, 2, …; wraps to 1).
        static func nextEpoch(_ epoch: Int32) -> Int32 { epoch == Int32.max ? 1 : epoch + 1 }

        init(clock: ManualTimeSource = ManualTimeSource()) throws {
            harness = try BrokerHarness(configure: { $0.shareGroups = true }, time: clock)
            try harness.createTopic("drinks", partitions: 1)
            topicId = try #require(harness.store.topic("drinks")?.id)
            // Start each share partition at the log start (the default, latest, would skip what the test produced first).
            let alter = IncrementalAlterConfigsRequest(resources: [.init(resourceType: 32, resourceName: "baristas", configs: [
                .init(name: "share.auto.offset.reset", configOperation: 0, value: "earliest"),
            ])], validateOnly: false)
            _ = try harness.send(alter, version: 1)
        }

        mutating func join(_ member: String) throws {
            let answer = try harness.send(ShareGroupHeartbeatRequest(groupId: "baristas", memberId: member, memberEpoch: 0, subscribedTopicNames: ["drinks"]), version: 1)
            #expect(answer.errorCode == .none)
        }

        mutating func fetch(_ member: String, acks: [ShareFetchRequest.AcknowledgementBatch] = [], maxRecords: Int32 = 100, epoch: Int32? = nil) throws -> ShareFetchResponse {
            let sessionEpoch = epoch ?? epochs[member] ?? 0
            let request = ShareFetchRequest(groupId: "baristas", memberId: member, shareSessionEpoch: sessionEpoch, maxWaitMs: 0, minBytes: 1,
                                            maxRecords: maxRecords, batchSize: maxRecords, shareAcquireMode: 1,
                                            topics: [.init(topicId: topicId, partitions: [.init(partitionIndex: 0, acknowledgementBatches: acks)])])
            let response = try harness.send(request, version: 2)
            if response.errorCode == .none { epochs[member] = Self.nextEpoch(sessionEpoch) }
            return response
        }

        mutating func acknowledge(_ member: String, _ batches: [ShareAcknowledgeRequest.AcknowledgementBatch]) throws -> ShareAcknowledgeResponse {
            let sessionEpoch = epochs[member] ?? 0
            let request = ShareAcknowledgeRequest(groupId: "baristas", memberId: member, shareSessionEpoch: sessionEpoch,
                                                  topics: [.init(topicId: topicId, partitions: [.init(partitionIndex: 0, acknowledgementBatches: batches)])])
            let response = try harness.send(request, version: 2)
            if response.errorCode == .none { epochs[member] = Self.nextEpoch(sessionEpoch) }
            return response
        }
    }

    static func acquired(_ response: ShareFetchResponse) -> [ShareFetchResponse.AcquiredRecords] {
        response.responses.flatMap { $0.partitions.flatMap(\.acquiredRecords) }
    }

    @Test func acquireAcceptReleaseAndReject() throws {
        var client = try Client()
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["latte", "mocha", "flat white"]))
        try client.join("w1")
        try client.join("w2")
        // w1 takes two records, w2 the third.
        let first = try client.fetch("w1", maxRecords: 2)
        #expect(first.errorCode == .none)
        #expect(first.acquisitionLockTimeoutMs == 30_000)
        #expect(Self.acquired(first) == [.init(firstOffset: 0, lastOffset: 1, deliveryCount: 1)])
        #expect(Self.acquired(try client.fetch("w2")) == [.init(firstOffset: 2, lastOffset: 2, deliveryCount: 1)])
        // w2 cannot acknowledge w1's records; nothing changes.
        let stolen = try client.acknowledge("w2", [.init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1])])
        #expect(stolen.responses.first?.partitions.first?.errorCode == .invalidRecordState)
        // w1 accepts 0 and releases 1 (piggybacked on its next fetch), which it gets again, count 2.
        let again = try client.fetch("w1", acks: [.init(firstOffset: 0, lastOffset: 1, acknowledgeTypes: [1, 2])])
        #expect(again.responses.first?.partitions.first?.acknowledgeErrorCode == ErrorCode.none)
        #expect(Self.acquired(again) == [.init(firstOffset: 1, lastOffset: 1, deliveryCount: 2)])
        // Rejected records are never delivered again; accepted ones neither.
        #expect(try client.acknowledge("w1", [.init(firstOffset: 1, lastOffset: 1, acknowledgeTypes: [3])]).responses.first?.partitions.first?.errorCode == ErrorCode.none)
        #expect(try client.acknowledge("w2", [.init(firstOffset: 2, lastOffset: 2, acknowledgeTypes: [1])]).errorCode == .none)
        #expect(Self.acquired(try client.fetch("w1")).isEmpty)
        #expect(Self.acquired(try client.fetch("w2")).isEmpty)
    }

    @Test func locksExpireOnTheBrokersTick() throws {
        let clock = ManualTimeSource()
        var client = try Client(clock: clock)
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["espresso"]))
        try client.join("w1")
        try client.join("w2")
        #expect(Self.acquired(try client.fetch("w1")).count == 1)
        #expect(Self.acquired(try client.fetch("w2")).isEmpty)
        clock.advance(millis: 31_000)
        client.harness.broker.tick()
        // The heartbeats keep both members alive; the lock of w1 has expired.
        _ = try client.harness.send(ShareGroupHeartbeatRequest(groupId: "baristas", memberId: "w2", memberEpoch: 2), version: 1)
        #expect(Self.acquired(try client.fetch("w2")) == [.init(firstOffset: 0, lastOffset: 0, deliveryCount: 2)])
    }

    @Test func closingTheSessionReleasesWhatTheMemberHeld() throws {
        var client = try Client()
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["cortado"]))
        try client.join("w1")
        try client.join("w2")
        #expect(Self.acquired(try client.fetch("w1")).count == 1)
        let close = ShareFetchRequest(groupId: "baristas", memberId: "w1", shareSessionEpoch: -1, maxWaitMs: 0, minBytes: 1, maxRecords: 1, batchSize: 1)
        #expect(try client.harness.send(close, version: 2).errorCode == .none)
        #expect(Self.acquired(try client.fetch("w2")) == [.init(firstOffset: 0, lastOffset: 0, deliveryCount: 2)])
    }

    @Test func shareGroupOffsetsAreDescribedAlteredAndDeleted() throws {
        var client = try Client()
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["a", "b", "c", "d"]))
        try client.join("w1")
        #expect(Self.acquired(try client.fetch("w1", maxRecords: 2)) == [.init(firstOffset: 0, lastOffset: 1, deliveryCount: 1)])
        _ = try client.acknowledge("w1", [.init(firstOffset: 0, lastOffset: 1, acknowledgeTypes: [1])])
        func describe() throws -> DescribeShareGroupOffsetsResponse.DescribeShareGroupOffsetsResponsePartition? {
            let request = DescribeShareGroupOffsetsRequest(groups: [.init(groupId: "baristas", topics: nil)])
            return try client.harness.send(request, version: 1).groups.first?.topics.first?.partitions.first
        }
        #expect(try describe()?.startOffset == 2)
        #expect(try describe()?.lag == 2)
        let unknown = try client.harness.send(DescribeShareGroupOffsetsRequest(groups: [.init(groupId: "nope", topics: nil)]), version: 1)
        #expect(unknown.groups.first?.errorCode == .groupIdNotFound)
        // Altering needs an empty group.
        let alter = AlterShareGroupOffsetsRequest(groupId: "baristas", topics: [.init(topicName: "drinks", partitions: [.init(partitionIndex: 0, startOffset: 0)])])
        #expect(try client.harness.send(alter, version: 0).errorCode == .nonEmptyGroup)
        _ = try client.harness.send(ShareGroupHeartbeatRequest(groupId: "baristas", memberId: "w1", memberEpoch: -1), version: 1)
        #expect(try client.harness.send(alter, version: 0).responses.first?.partitions.first?.errorCode == ErrorCode.none)
        let outOfRange = AlterShareGroupOffsetsRequest(groupId: "baristas", topics: [.init(topicName: "drinks", partitions: [.init(partitionIndex: 0, startOffset: 99)])])
        #expect(try client.harness.send(outOfRange, version: 0).responses.first?.partitions.first?.errorCode == .offsetOutOfRange)
        #expect(try describe()?.startOffset == 0)
        // Back from the start: the accepted records come again after the reset.
        client.epochs = [:]
        try client.join("w2")
        #expect(Self.acquired(try client.fetch("w2")) == [.init(firstOffset: 0, lastOffset: 3, deliveryCount: 1)])
        _ = try client.harness.send(ShareGroupHeartbeatRequest(groupId: "baristas", memberId: "w2", memberEpoch: -1), version: 1)
        let delete = DeleteShareGroupOffsetsRequest(groupId: "baristas", topics: [.init(topicName: "drinks"), .init(topicName: "nope")])
        #expect(try client.harness.send(delete, version: 0).responses.map(\.errorCode) == [.none, .unknownTopicOrPartition])
        #expect(try describe() == nil)
    }

    @Test func badShareRequestsGetKafkasErrors() throws {
        var client = try Client()
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["tea"]))
        // Not a member; no session yet; a stale epoch.
        #expect(try client.fetch("ghost").errorCode == .unknownMemberId)
        try client.join("w1")
        #expect(try client.fetch("w1", epoch: 5).errorCode == .shareSessionNotFound)
        #expect(Self.acquired(try client.fetch("w1")).count == 1)
        #expect(try client.fetch("w1", epoch: 7).errorCode == .invalidShareSessionEpoch)
        // Acknowledgements on the request that opens a session; offsets never acquired; bad order.
        #expect(try client.fetch("w1", acks: [.init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1])], epoch: 0).errorCode == .invalidRequest)
        let never = try client.acknowledge("w1", [.init(firstOffset: 5, lastOffset: 6, acknowledgeTypes: [1])])
        #expect(never.responses.first?.partitions.first?.errorCode == .invalidRequest)
        let disordered = try client.acknowledge("w1", [.init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1]), .init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1])])
        #expect(disordered.responses.first?.partitions.first?.errorCode == .invalidRequest)
        // The record is still w1's to accept.
        #expect(try client.acknowledge("w1", [.init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1])]).responses.first?.partitions.first?.errorCode == ErrorCode.none)
    }
}
