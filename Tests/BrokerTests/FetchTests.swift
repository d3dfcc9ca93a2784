import Broker
import Glibc
import KafkaProtocol
import KafkaRecords
import LogStorage
import SystemIO
import Synchronization
import Testing

/// Polls (with a deadline) until a fetch is parked in the broker; blocks the calling thread.
func waitUntilParked(_ broker: Broker) -> Bool {
    let deadline = ContinuousClock.now + .seconds(10)
    while broker.parkedFetches == 0 && ContinuousClock.now < deadline { usleep(1000) }
    return broker.parkedFetches == 1
}


@Suite struct FetchTests {
    @Test(arguments: Int16(4)...12)
    func fetchReturnsTheContainingBatchWhole(version: Int16) throws {
        var harness = try BrokerHarness()
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a", "b", "c"]))
        _ = try harness.produce("t", BrokerHarness.batch(values: ["d", "e"]))
        let response = try harness.send(BrokerHarness.fetch("t", offset: 1), version: version)
        let partition = try #require(response.responses.first?.partitions.first)
        #expect(partition.errorCode == .none)
        #expect(partition.highWatermark == 5)
        #expect(partition.lastStableOffset == 5)
        if version >= 5 { #expect(partition.logStartOffset == 0) }
        if version >= 11 { #expect(partition.preferredReadReplica == -1) }
        let records = try BrokerHarness.records(in: partition.records)
        #expect(records.map(\.offset) == [0, 1, 2, 3, 4], "starts at the batch containing offset 1")
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["a", "b", "c", "d", "e"])
        if version >= 7 { #expect(response.sessionId == 0, "sessions are declined") }
    }

    @Test func everyRequestedPartitionIsAnswered() throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 2))
        _ = try harness.produce("t", partition: 1, BrokerHarness.batch(values: ["x"]))
        let request = FetchRequest(maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, topics: [
            FetchRequest.FetchTopic(topic: "t", partitions: [
                FetchRequest.FetchPartition(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20),
                FetchRequest.FetchPartition(partition: 1, fetchOffset: 0, partitionMaxBytes: 1 << 20),
                FetchRequest.FetchPartition(partition: 7, fetchOffset: 0, partitionMaxBytes: 1 << 20),
            ]),
            FetchRequest.FetchTopic(topic: "missing", partitions: [FetchRequest.FetchPartition(partition: 0, fetchOffset: 0, partitionMaxBytes: 100)]),
            FetchRequest.FetchTopic(topic: "t", partitions: [FetchRequest.FetchPartition(partition: 1, fetchOffset: 5, partitionMaxBytes: 100)]),
        ])
        let response = try harness.send(request, version: 12)
        let answered = response.responses.flatMap { topic in topic.partitions.map { (topic.topic, $0) } }
        #expect(answered.map { "\($0.0)-\($0.1.partitionIndex)" } == ["t-0", "t-1", "t-7", "missing-0", "t-1"])
        #expect(answered.map(\.1.errorCode) == [.none, .none, .unknownTopicOrPartition, .unknownTopicOrPartition, .offsetOutOfRange])
        #expect(answered[2].1.highWatermark == -1 && answered[2].1.logStartOffset == -1)
        #expect(answered[4].1.highWatermark == 1 && answered[4].1.logStartOffset == 0, "out of range still reports the offsets")
        #expect(try BrokerHarness.records(in: answered[1].1.records).count == 1)
        #expect(answered[0].1.records?.count == 0)
    }

    @Test func byteLimitsAreRespectedButOneBatchAlwaysComesBack() throws {
        var harness = try BrokerHarness()
        for i in 0..<5 { _ = try harness.produce("t", BrokerHarness.batch(values: [String(repeating: "\(i)", count: 500)])) }
        let one = try harness.send(BrokerHarness.fetch("t", offset: 0, partitionMaxBytes: 10), version: 11)
        #expect(try BrokerHarness.records(in: one.responses.first?.partitions.first?.records).count == 1, "KIP-74: one whole batch even over the limit")
        let two = try harness.send(BrokerHarness.fetch("t", offset: 0, partitionMaxBytes: 1300), version: 11)
        #expect(try BrokerHarness.records(in: two.responses.first?.partitions.first?.records).count == 2)
        let capped = try harness.send(BrokerHarness.fetch("t", offset: 0, maxBytes: 1300), version: 11)
        #expect(try BrokerHarness.records(in: capped.responses.first?.partitions.first?.records).count == 2)
    }

    @Test func incrementalFetchSessionsAreNotFound() throws {
        var harness = try BrokerHarness()
        var request = BrokerHarness.fetch("t", offset: 0)
        request.sessionId = 42
        request.sessionEpoch = 3
        let response = try harness.send(request, version: 12)
        #expect(response.errorCode == .fetchSessionIdNotFound)
    }

    @Test func longPollWaitsForMaxWaitThenAnswersEmptyWithoutError() throws {
        var harness = try BrokerHarness(time: SystemTimeSource())
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        let clock = ContinuousClock()
        let started = clock.now
        let response = try harness.send(BrokerHarness.fetch("t", offset: 0, maxWaitMs: 200), version: 12)
        let elapsed = clock.now - started
        #expect(elapsed >= .milliseconds(190) && elapsed < .seconds(3))
        #expect(response.errorCode == .none)
        #expect(response.responses.first?.partitions.first?.errorCode == ErrorCode.none)
        #expect(response.responses.first?.partitions.first?.records?.count == 0)
    }

    @Test func aParkedFetchWakesUpWhenDataArrives() throws {
        var harness = try BrokerHarness(time: SystemTimeSource())
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        let frame = harness.frame(BrokerHarness.fetch("t", offset: 0, maxWaitMs: 10_000), version: 12, correlationId: 1)
        let broker = harness.broker
        let fetch = try BackgroundCall { broker.handle(frame: frame) }
        #expect(waitUntilParked(broker), "the fetch never parked")
        _ = try harness.produce("t", BrokerHarness.batch(values: ["wake"]))
        let (reply, elapsed) = try #require(fetch.wait())
        #expect(elapsed < .seconds(5), "the fetch returned long before its max wait")
        let bytes = try #require(try reply.materialize())
        let (_, response) = try FrameCodec.decodeResponse(Array(bytes.dropFirst(4)), as: FetchResponse.self, apiKey: .fetch, version: 12)
        let records = try BrokerHarness.records(in: response.responses.first?.partitions.first?.records)
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["wake"])
    }

    @Test func shutdownReleasesParkedFetches() throws {
        let harness = try BrokerHarness(time: SystemTimeSource())
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        let frame = harness.frame(BrokerHarness.fetch("t", offset: 0, maxWaitMs: 20_000), version: 12, correlationId: 1)
        let broker = harness.broker
        let fetch = try BackgroundCall { broker.handle(frame: frame) }
        #expect(waitUntilParked(broker), "the fetch never parked")
        broker.beginShutdown()
        let (_, elapsed) = try #require(fetch.wait())
        #expect(elapsed < .seconds(5))
    }
}
