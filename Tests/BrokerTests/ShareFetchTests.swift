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

        mutating func fetch(_ member: String, acks: [ShareFetchRequest.AcknowledgementBatch] = [], maxRecords: Int32 = 100, epoch: Int32? = nil,
                            topicId: [UInt8]? = nil) throws -> ShareFetchResponse {
            let sessionEpoch = epoch ?? epochs[member] ?? 0
            let request = ShareFetchRequest(groupId: "baristas", memberId: member, shareSessionEpoch: sessionEpoch, maxWaitMs: 0, minBytes: 1,
                                            maxRecords: maxRecords, batchSize: maxRecords, shareAcquireMode: 1,
                                            topics: [.init(topicId: topicId ?? self.topicId, partitions: [.init(partitionIndex: 0, acknowledgementBatches: acks)])])
            let response = try harness.send(request, version: 2)
            if response.errorCode == .none { epochs[member] = Self.nextEpoch(sessionEpoch) }
            return response
        }

        mutating func acknowledge(_ member: String, _ batches: [ShareAcknowledgeRequest.AcknowledgementBatch], epoch: Int32? = nil,
                                  topicId: [UInt8]? = nil) throws -> ShareAcknowledgeResponse {
            let sessionEpoch = epoch ?? epochs[member] ?? 0
            let request = ShareAcknowledgeRequest(groupId: "baristas", memberId: member, shareSessionEpoch: sessionEpoch,
                                                  topics: [.init(topicId: topicId ?? self.topicId, partitions: [.init(partitionIndex: 0, acknowledgementBatches: batches)])])
            let response = try harness.send(request, version: 2)
            if response.errorCode == .none { epochs[member] = sessionEpoch == -1 ? nil : Self.nextEpoch(sessionEpoch) }
            return response
        }

        /// The first partition error of an acknowledgement.
        mutating func ackError(_ member: String, _ batches: [ShareAcknowledgeRequest.AcknowledgementBatch], topicId: [UInt8]? = nil) throws -> ErrorCode? {
            try acknowledge(member, batches, topicId: topicId).responses.first?.partitions.first?.errorCode
        }

        /// Sets one config of the group (IncrementalAlterConfigs SET on resource type 32).
        mutating func setGroupConfig(_ name: String, _ value: String) throws {
            let alter = IncrementalAlterConfigsRequest(resources: [.init(resourceType: 32, resourceName: "baristas", configs: [
                .init(name: name, configOperation: 0, value: value),
            ])], validateOnly: false)
            #expect(try harness.send(alter, version: 1).responses.first?.errorCode == ErrorCode.none)
        }

        /// The share state of the group's partition of `topic`.
        func state(_ topic: String = "drinks") -> SharePartition? {
            harness.broker.sharePartitionState(group: "baristas", topic: topic, partition: 0)
        }
    }

    static func ack(_ first: Int64, _ last: Int64, _ type: Int8) -> ShareAcknowledgeRequest.AcknowledgementBatch {
        .init(firstOffset: first, lastOffset: last, acknowledgeTypes: [type])
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

    /// A fetch answers only the batches holding what it acquired, as Kafka slices fetched data.
    @Test func theAnswerHoldsOnlyTheBatchesOfTheAcquiredRecords() throws {
        var client = try Client()
        for names in [["a0", "a1", "a2"], ["b3", "b4", "b5"], ["c6", "c7", "c8"]] {
            _ = try client.harness.produce("drinks", BrokerHarness.batch(values: names))
        }
        try client.join("w1")
        try client.join("w2")
        func batchBases(_ response: ShareFetchResponse) throws -> [Int64] {
            guard case .inline(let bytes)? = response.responses.first?.partitions.first?.records else { return [] }
            return try RecordBatchIterator.batches(in: bytes).map(\.header.baseOffset)
        }
        let first = try client.fetch("w1", maxRecords: 1)
        #expect(Self.acquired(first) == [.init(firstOffset: 0, lastOffset: 0, deliveryCount: 1)])
        #expect(try batchBases(first) == [0])
        _ = try client.fetch("w1", acks: [Self.fetchAck(0, 0, 1)], maxRecords: 2)  // 1...2, still batch 0
        let second = try client.fetch("w2", maxRecords: 1)
        #expect(Self.acquired(second) == [.init(firstOffset: 3, lastOffset: 3, deliveryCount: 1)])
        #expect(try batchBases(second) == [3])
        // A larger acquisition spanning two batches gets both, and not the third.
        let third = try client.fetch("w2", maxRecords: 4)
        #expect(Self.acquired(third) == [.init(firstOffset: 4, lastOffset: 7, deliveryCount: 1)])
        #expect(try batchBases(third) == [3, 6])
    }

    static func fetchAck(_ first: Int64, _ last: Int64, _ type: Int8) -> ShareFetchRequest.AcknowledgementBatch {
        .init(firstOffset: first, lastOffset: last, acknowledgeTypes: [type])
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
        // No session yet; a stale epoch.
        try client.join("w1")
        #expect(try client.fetch("w1", epoch: 5).errorCode == .shareSessionNotFound)
        #expect(Self.acquired(try client.fetch("w1")).count == 1)
        #expect(try client.fetch("w1", epoch: 7).errorCode == .invalidShareSessionEpoch)
        // Acknowledgements on the request that opens a session; offsets never acquired; bad order.
        #expect(try client.fetch("w1", acks: [.init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1])], epoch: 0).errorCode == .invalidRequest)
        let never = try client.acknowledge("w1", [.init(firstOffset: 5, lastOffset: 6, acknowledgeTypes: [1])])
        #expect(never.responses.first?.partitions.first?.errorCode == .invalidRequest)
        let disordered = try client.acknowledge("w1", [.init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1]), .init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1])])
        #expect(disordered.responses.first?.partitions.first?.errorCode == .invalidRecordState)
        // The record is still w1's to accept.
        #expect(try client.acknowledge("w1", [.init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1])]).responses.first?.partitions.first?.errorCode == ErrorCode.none)
    }

    // MARK: bad input (Kafka 4.x answers; see KafkaApis.handleShareFetchRequest/handleShareAcknowledgeRequest,
    // SharePartitionManager.newContext/acknowledgeSessionUpdate/acknowledge, SharePartition.acknowledge)

    /// Kafka's share-partition leader does not check group membership: a member id the group
    /// does not know is served (it opens a session and acquires what is available), and it
    /// cannot touch records another member holds.
    @Test func aMemberIdNotInTheGroupIsServedLikeAnyOther() throws {
        var client = try Client()
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["latte", "mocha", "tea"]))
        try client.join("w1")
        #expect(Self.acquired(try client.fetch("w1", maxRecords: 1)) == [.init(firstOffset: 0, lastOffset: 0, deliveryCount: 1)])
        let ghost = try client.fetch("ghost")
        #expect(ghost.errorCode == .none)
        #expect(Self.acquired(ghost) == [.init(firstOffset: 1, lastOffset: 2, deliveryCount: 1)])
        #expect(try client.ackError("ghost", [Self.ack(0, 0, 1)]) == .invalidRecordState)
        #expect(client.state()?.batch(containing: 0)?.memberId == "w1")
        #expect(try client.ackError("w1", [Self.ack(0, 0, 1)]) == ErrorCode.none)
        #expect(try client.ackError("ghost", [Self.ack(1, 2, 1)]) == ErrorCode.none)
        #expect(client.state()?.startOffset == 3)
    }

    /// A non-member's session that stays unused for the group's session timeout is dropped on
    /// the broker's tick (Kafka drops it with the connection) and what it held is released; a
    /// member's idle session stays.
    @Test func anAbandonedNonMemberSessionIsDropped() throws {
        let clock = ManualTimeSource()
        var client = try Client(clock: clock)
        try client.setGroupConfig("share.record.lock.duration.ms", "60000")
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["a", "b"]))
        try client.join("w1")
        #expect(Self.acquired(try client.fetch("ghost", maxRecords: 1)) == [.init(firstOffset: 0, lastOffset: 0, deliveryCount: 1)])
        #expect(Self.acquired(try client.fetch("w1", maxRecords: 1)) == [.init(firstOffset: 1, lastOffset: 1, deliveryCount: 1)])
        clock.advance(millis: 40_000)
        _ = try client.harness.send(ShareGroupHeartbeatRequest(groupId: "baristas", memberId: "w1", memberEpoch: 1), version: 1)
        client.harness.broker.tick()
        #expect(client.harness.broker.shareSessionCount == 2)
        clock.advance(millis: 6_000)
        _ = try client.harness.send(ShareGroupHeartbeatRequest(groupId: "baristas", memberId: "w1", memberEpoch: 1), version: 1)
        client.harness.broker.tick()
        #expect(client.harness.broker.shareSessionCount == 1)
        #expect(try client.fetch("ghost").errorCode == .shareSessionNotFound)
        // Released by the drop (its 60 s lock still ran): delivered again; w1 keeps its own.
        #expect(Self.acquired(try client.fetch("w1")) == [.init(firstOffset: 0, lastOffset: 0, deliveryCount: 2)])
    }

    /// Kafka does not check a ShareFetch against the member's subscription or assignment: a
    /// member fetching a topic it is not subscribed to gets its records; another member's locks
    /// there stay as they were.
    @Test func fetchingATopicOutsideTheSubscriptionIsServed() throws {
        var client = try Client()
        try client.harness.createTopic("snacks", partitions: 1)
        let snacks = try #require(client.harness.store.topic("snacks")?.id)
        _ = try client.harness.produce("snacks", BrokerHarness.batch(values: ["scone", "muffin"]))
        let join = ShareGroupHeartbeatRequest(groupId: "baristas", memberId: "w2", memberEpoch: 0, subscribedTopicNames: ["snacks"])
        #expect(try client.harness.send(join, version: 1).errorCode == .none)
        try client.join("w1")
        #expect(Self.acquired(try client.fetch("w2", maxRecords: 1, topicId: snacks)) == [.init(firstOffset: 0, lastOffset: 0, deliveryCount: 1)])
        let outside = try client.fetch("w1", topicId: snacks)
        #expect(outside.errorCode == .none)
        #expect(outside.responses.first?.partitions.first?.errorCode == ErrorCode.none)
        #expect(Self.acquired(outside) == [.init(firstOffset: 1, lastOffset: 1, deliveryCount: 1)])
        #expect(client.state("snacks")?.batch(containing: 0)?.memberId == "w2")
        #expect(try client.ackError("w2", [Self.ack(0, 0, 1)], topicId: snacks) == ErrorCode.none)
    }

    /// Acknowledging offsets the member does not hold: INVALID_RECORD_STATE (another member's,
    /// available, already acknowledged); past anything acquired: INVALID_REQUEST; a partition the
    /// group has no state for: UNKNOWN_TOPIC_OR_PARTITION; an unknown topic id: UNKNOWN_TOPIC_ID.
    /// A refused list rolls back its earlier batches; the other member's locks are untouched.
    @Test func acknowledgementsOfRecordsNotHeldAreRefusedAndChangeNothing() throws {
        var client = try Client()
        try client.harness.createTopic("snacks", partitions: 1)
        let snacks = try #require(client.harness.store.topic("snacks")?.id)
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["a", "b", "c", "d"]))
        try client.join("w1")
        try client.join("w2")
        #expect(Self.acquired(try client.fetch("w1", maxRecords: 2)) == [.init(firstOffset: 0, lastOffset: 1, deliveryCount: 1)])
        #expect(Self.acquired(try client.fetch("w2", maxRecords: 1)) == [.init(firstOffset: 2, lastOffset: 2, deliveryCount: 1)])
        let before = client.state()
        // w2's own record first, then one of w1's: the whole list fails and w2's accept is undone.
        #expect(try client.ackError("w2", [Self.ack(0, 0, 1), Self.ack(2, 2, 1)]) == .invalidRecordState)
        #expect(try client.ackError("w2", [Self.ack(2, 2, 1), Self.ack(1, 1, 1)]) == .invalidRequest)  // out of order
        #expect(client.state() == before)
        // w1 releases 1: available, so nobody may acknowledge it.
        #expect(try client.ackError("w1", [Self.ack(1, 1, 2)]) == ErrorCode.none)
        #expect(try client.ackError("w1", [Self.ack(1, 1, 1)]) == .invalidRecordState)
        #expect(try client.ackError("w2", [Self.ack(1, 1, 1)]) == .invalidRecordState)
        // Accepted already; past the acquired records; no share state; unknown topic id.
        #expect(try client.ackError("w1", [Self.ack(0, 0, 1)]) == ErrorCode.none)
        #expect(try client.ackError("w1", [Self.ack(0, 0, 1)]) == ErrorCode.none)  // below SPSO now: ignored, as Kafka
        #expect(try client.ackError("w2", [Self.ack(2, 3, 1)]) == .invalidRequest)
        #expect(try client.ackError("w2", [Self.ack(0, 0, 1)], topicId: snacks) == .unknownTopicOrPartition)
        #expect(try client.ackError("w2", [Self.ack(0, 0, 1)], topicId: Array(repeating: 7, count: 16)) == .unknownTopicId)
        // Nothing of w2's changed; it accepts its record.
        #expect(client.state()?.batch(containing: 2)?.memberId == "w2")
        #expect(try client.ackError("w2", [Self.ack(2, 2, 1)]) == ErrorCode.none)
    }

    /// Kafka validates the batch list first (KafkaApis.validateAcknowledgementBatches): out of
    /// order, overlapping, first > last, no type, a type count other than 1 or the batch's
    /// length, an unknown type → INVALID_REQUEST for the partition. A batch starting at the
    /// previous one's last offset passes validation and then fails as INVALID_RECORD_STATE. In a
    /// ShareFetch the error is the partition's AcknowledgeErrorCode and the fetch goes on.
    @Test func malformedAcknowledgementBatchesAreRefusedWhole() throws {
        var client = try Client()
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["a", "b", "c", "d", "e", "f"]))
        try client.join("w1")
        try client.join("w2")
        #expect(Self.acquired(try client.fetch("w1", maxRecords: 4)) == [.init(firstOffset: 0, lastOffset: 3, deliveryCount: 1)])
        #expect(Self.acquired(try client.fetch("w2", maxRecords: 1)) == [.init(firstOffset: 4, lastOffset: 4, deliveryCount: 1)])
        let before = client.state()
        let malformed: [[ShareAcknowledgeRequest.AcknowledgementBatch]] = [
            [Self.ack(2, 3, 1), Self.ack(0, 1, 1)],
            [Self.ack(0, 2, 1), Self.ack(1, 3, 1)],
            [Self.ack(3, 2, 1)],
            [.init(firstOffset: 0, lastOffset: 3, acknowledgeTypes: [])],
            [.init(firstOffset: 0, lastOffset: 3, acknowledgeTypes: [1, 1])],
            [Self.ack(0, 0, 9)],
        ]
        for batches in malformed {
            #expect(try client.ackError("w1", batches) == .invalidRequest)
            #expect(client.state() == before)
        }
        #expect(try client.ackError("w1", [Self.ack(0, 1, 1), Self.ack(1, 3, 1)]) == .invalidRecordState)
        #expect(client.state() == before)
        // Piggybacked on a ShareFetch: the acknowledgement fails, the fetch still acquires.
        let fetched = try client.fetch("w1", acks: [Self.ack(2, 3, 1), Self.ack(0, 1, 1)].map {
            ShareFetchRequest.AcknowledgementBatch(firstOffset: $0.firstOffset, lastOffset: $0.lastOffset, acknowledgeTypes: $0.acknowledgeTypes)
        })
        #expect(fetched.errorCode == .none)
        #expect(fetched.responses.first?.partitions.first?.acknowledgeErrorCode == .invalidRequest)
        #expect(Self.acquired(fetched) == [.init(firstOffset: 5, lastOffset: 5, deliveryCount: 1)])
        #expect(client.state()?.batch(containing: 4)?.memberId == "w2")
        #expect(try client.ackError("w1", [.init(firstOffset: 0, lastOffset: 3, acknowledgeTypes: [1, 1, 3, 1])]) == ErrorCode.none)
    }

    /// Share session errors are top-level and change nothing: a nonzero epoch with no session →
    /// SHARE_SESSION_NOT_FOUND; the wrong epoch → INVALID_SHARE_SESSION_EPOCH (acknowledgements in
    /// the refused request are not applied); ShareAcknowledge with epoch 0 →
    /// INVALID_SHARE_SESSION_EPOCH even without a session. Another member's session goes on.
    @Test func unknownAndStaleShareSessionEpochs() throws {
        var client = try Client()
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["a", "b"]))
        try client.join("w1")
        try client.join("w2")
        #expect(try client.fetch("w1", epoch: 3).errorCode == .shareSessionNotFound)
        let closeNothing = ShareFetchRequest(groupId: "baristas", memberId: "w1", shareSessionEpoch: -1, maxWaitMs: 0, minBytes: 1, maxRecords: 1, batchSize: 1)
        #expect(try client.harness.send(closeNothing, version: 2).errorCode == .shareSessionNotFound)
        #expect(try client.acknowledge("w1", [Self.ack(0, 0, 1)], epoch: 0).errorCode == .invalidShareSessionEpoch)
        #expect(try client.acknowledge("w1", [Self.ack(0, 0, 1)], epoch: 4).errorCode == .shareSessionNotFound)
        #expect(Self.acquired(try client.fetch("w1", maxRecords: 1)) == [.init(firstOffset: 0, lastOffset: 0, deliveryCount: 1)])
        #expect(Self.acquired(try client.fetch("w2", maxRecords: 1)) == [.init(firstOffset: 1, lastOffset: 1, deliveryCount: 1)])
        let current = try #require(client.epochs["w1"])
        // Wrong epochs; acknowledgements in them are not applied.
        let stale = try client.fetch("w1", acks: [.init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1])], epoch: current + 5)
        #expect(stale.errorCode == .invalidShareSessionEpoch)
        #expect(stale.responses.isEmpty)
        #expect(try client.acknowledge("w1", [Self.ack(0, 0, 1)], epoch: current + 1).errorCode == .invalidShareSessionEpoch)
        #expect(try client.acknowledge("w1", [Self.ack(0, 0, 1)], epoch: 0).errorCode == .invalidShareSessionEpoch)
        #expect(client.state()?.batch(containing: 0)?.state == .acquired)
        // The session still expects the same epoch; w2's session and records are untouched.
        #expect(try client.ackError("w1", [Self.ack(0, 0, 1)]) == ErrorCode.none)
        #expect(client.state()?.batch(containing: 1)?.memberId == "w2")
        #expect(try client.ackError("w2", [Self.ack(1, 1, 1)]) == ErrorCode.none)
    }

    /// ShareAcknowledge with epoch -1 applies its acknowledgements, closes the session and
    /// releases what the member still holds (Kafka's releaseSession).
    @Test func closingTheSessionWithShareAcknowledgeReleasesTheRest() throws {
        var client = try Client()
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["a", "b"]))
        try client.join("w1")
        try client.join("w2")
        #expect(Self.acquired(try client.fetch("w1")) == [.init(firstOffset: 0, lastOffset: 1, deliveryCount: 1)])
        let close = try client.acknowledge("w1", [Self.ack(0, 0, 1)], epoch: -1)
        #expect(close.errorCode == .none)
        #expect(close.responses.first?.partitions.first?.errorCode == ErrorCode.none)
        #expect(client.harness.broker.shareSessionCount == 0)
        #expect(Self.acquired(try client.fetch("w2")) == [.init(firstOffset: 1, lastOffset: 1, deliveryCount: 2)])
    }

    /// KIP-1222 (Kafka 4.2): a ShareFetch v2 with IsRenewAck must ask for nothing (MaxBytes,
    /// MinBytes, MaxRecords, MaxWaitMs all 0) else INVALID_REQUEST; it renews and acquires
    /// nothing. Renew (type 4) does not exist in v1: INVALID_REQUEST for the partition.
    @Test func renewAcknowledgementsFollowKip1222() throws {
        let clock = ManualTimeSource()
        var client = try Client(clock: clock)
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["a", "b"]))
        try client.join("w1")
        #expect(Self.acquired(try client.fetch("w1", maxRecords: 1)) == [.init(firstOffset: 0, lastOffset: 0, deliveryCount: 1)])
        let epoch = try #require(client.epochs["w1"])
        let renew = [ShareFetchRequest.AcknowledgementBatch(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [4])]
        func renewFetch(maxRecords: Int32, epoch: Int32) -> ShareFetchRequest {
            ShareFetchRequest(groupId: "baristas", memberId: "w1", shareSessionEpoch: epoch, maxWaitMs: 0, minBytes: 0, maxBytes: 0,
                              maxRecords: maxRecords, batchSize: 0, shareAcquireMode: 0, isRenewAck: true,
                              topics: [.init(topicId: client.topicId, partitions: [.init(partitionIndex: 0, acknowledgementBatches: renew)])])
        }
        #expect(try client.harness.send(renewFetch(maxRecords: 5, epoch: epoch), version: 2).errorCode == .invalidRequest)
        clock.advance(millis: 10_000)
        let renewed = try client.harness.send(renewFetch(maxRecords: 0, epoch: epoch), version: 2)
        #expect(renewed.errorCode == .none)
        #expect(renewed.responses.first?.partitions.first?.acknowledgeErrorCode == ErrorCode.none)
        #expect(Self.acquired(renewed).isEmpty)
        #expect(client.state()?.batch(containing: 0)?.lockDeadline == clock.wallMillis() + 30_000)
        #expect(client.state()?.endOffset == 1)
        client.epochs["w1"] = Client.nextEpoch(epoch)
        // v1 knows no renew.
        let old = ShareAcknowledgeRequest(groupId: "baristas", memberId: "w1", shareSessionEpoch: Client.nextEpoch(epoch),
                                          topics: [.init(topicId: client.topicId, partitions: [.init(partitionIndex: 0, acknowledgementBatches: [
                                              .init(firstOffset: 0, lastOffset: 0, acknowledgeTypes: [4]),
                                          ])])])
        #expect(try client.harness.send(old, version: 1).responses.first?.partitions.first?.errorCode == .invalidRequest)
    }

    // MARK: group configs applied live

    /// `share.record.lock.duration.ms` altered on the group applies to the next acquisition of
    /// an existing share partition (Kafka reads the group config at each acquisition); locks
    /// granted before keep their deadline.
    @Test func aNewLockDurationAppliesToTheNextAcquisition() throws {
        let clock = ManualTimeSource()
        var client = try Client(clock: clock)
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["a", "b"]))
        try client.join("w1")
        try client.join("w2")
        let first = try client.fetch("w1", maxRecords: 1)
        #expect(first.acquisitionLockTimeoutMs == 30_000)
        #expect(Self.acquired(first) == [.init(firstOffset: 0, lastOffset: 0, deliveryCount: 1)])
        try client.setGroupConfig("share.record.lock.duration.ms", "15000")
        let second = try client.fetch("w1", maxRecords: 1)
        #expect(second.acquisitionLockTimeoutMs == 15_000)
        #expect(Self.acquired(second) == [.init(firstOffset: 1, lastOffset: 1, deliveryCount: 1)])
        clock.advance(millis: 15_000)
        client.harness.broker.tick()
        // The new lock expired at the new duration; the old one still holds.
        #expect(client.state()?.batch(containing: 1)?.state == .available)
        #expect(client.state()?.batch(containing: 0)?.memberId == "w1")
        let again = try client.fetch("w2")
        #expect(Self.acquired(again) == [.init(firstOffset: 1, lastOffset: 1, deliveryCount: 2)])
        #expect(again.acquisitionLockTimeoutMs == 15_000)
        // A renew locks for the new duration too.
        clock.advance(millis: 10_000)
        #expect(try client.ackError("w1", [Self.ack(0, 0, 4)]) == ErrorCode.none)
        #expect(client.state()?.batch(containing: 0)?.lockDeadline == clock.wallMillis() + 15_000)
    }

    /// In Kafka 4.2 the delivery count limit and the record-lock limit are broker configs only
    /// (their group configs, KIP-1240, came later): setting them on a group is refused as an
    /// unknown group config and the partition's limits stay the broker's.
    @Test func deliveryAndLockLimitsAreNotGroupConfigsInKafka42() throws {
        var client = try Client()
        for name in ["share.delivery.count.limit", "share.partition.max.record.locks"] {
            let alter = IncrementalAlterConfigsRequest(resources: [.init(resourceType: 32, resourceName: "baristas", configs: [
                .init(name: name, configOperation: 0, value: "200"),
            ])], validateOnly: false)
            let answer = try client.harness.send(alter, version: 1).responses.first
            #expect(answer?.errorCode == .invalidConfig)
            #expect(answer?.errorMessage == "Unknown group config name: \(name)")
        }
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["a"]))
        try client.join("w1")
        _ = try client.fetch("w1")
        #expect(client.state()?.settings.deliveryCountLimit == 5)
        #expect(client.state()?.settings.maxRecordLocks == 2000)
    }

    /// `share.auto.offset.reset` is read when a share partition starts (Kafka: at its
    /// initialisation): a partition the group starts after the change uses the new value, the
    /// existing ones keep their position.
    @Test func aNewAutoOffsetResetAppliesToPartitionsStartedAfterIt() throws {
        var client = try Client()
        try client.harness.createTopic("snacks", partitions: 1)
        let snacks = try #require(client.harness.store.topic("snacks")?.id)
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["a"]))
        _ = try client.harness.produce("snacks", BrokerHarness.batch(values: ["scone"]))
        try client.join("w1")
        #expect(Self.acquired(try client.fetch("w1")).count == 1)
        try client.setGroupConfig("share.auto.offset.reset", "latest")
        _ = try client.harness.produce("drinks", BrokerHarness.batch(values: ["b"]))
        #expect(Self.acquired(try client.fetch("w1")) == [.init(firstOffset: 1, lastOffset: 1, deliveryCount: 1)])
        #expect(Self.acquired(try client.fetch("w1", topicId: snacks)).isEmpty)
        #expect(client.state("snacks")?.startOffset == 1)
    }
}
