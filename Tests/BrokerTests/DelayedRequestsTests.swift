@testable import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import SystemIO
import Synchronization
import Testing

/// Requests that wait do so in the purgatory, not on a thread: `process` returns `.pending`
/// at once, and the reply arrives when an append, a sync or the coordinator completes the
/// request, or its deadline passes (`tick` with a manual clock).
@Suite struct DelayedRequestsTests {
    func frame<R: KafkaRequest>(_ harness: BrokerHarness, _ request: R, version: Int16) -> [UInt8] {
        harness.frame(request, version: version, correlationId: 7)
    }

    func decode<M: ProtocolMessage>(_ reply: BrokerReply?, as type: M.Type, _ key: ApiKey, version: Int16) throws -> M {
        let present = try #require(reply)
        let bytes = try #require(try present.materialize())
        return try FrameCodec.decodeResponse(Array(bytes.dropFirst(4)), as: M.self, apiKey: key, version: version).body
    }

    @Test func aLongPollIsPendingWithoutAThreadAndAnAppendCompletesIt() throws {
        let clock = ManualTimeSource()
        var harness = try BrokerHarness(time: clock)
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 2))
        let reply = harness.broker.process(frame: frame(harness, BrokerHarness.fetch("t", partition: 1, offset: 0, maxWaitMs: 30_000), version: 12))
        guard case .pending(let pending) = reply else { Issue.record("expected a pending fetch, got \(reply)"); return }
        #expect(harness.broker.parkedFetches == 1)
        // An append to another partition does not complete it; one to its partition does.
        _ = try harness.produce("t", partition: 0, BrokerHarness.batch(values: ["elsewhere"]))
        #expect(!pending.isComplete)
        _ = try harness.produce("t", partition: 1, BrokerHarness.batch(values: ["here"]))
        let response = try decode(pending.wait(timeoutNanos: 5_000_000_000), as: FetchResponse.self, .fetch, version: 12)
        let records = try BrokerHarness.records(in: response.responses.first?.partitions.first?.records)
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["here"])
        #expect(harness.broker.parkedFetches == 0)
    }

    @Test func aLongPollAnswersEmptyAtItsDeadlineOnTheBrokersClock() throws {
        let clock = ManualTimeSource()
        let harness = try BrokerHarness(time: clock)
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        guard case .pending(let pending) = harness.broker.process(frame: frame(harness, BrokerHarness.fetch("t", offset: 0, maxWaitMs: 500), version: 12)) else {
            Issue.record("expected a pending fetch")
            return
        }
        clock.advance(millis: 499)
        harness.broker.tick()
        #expect(!pending.isComplete)
        clock.advance(millis: 1)
        harness.broker.tick()
        let response = try decode(pending.wait(timeoutNanos: 1_000_000_000), as: FetchResponse.self, .fetch, version: 12)
        #expect(response.responses.first?.partitions.first?.errorCode == ErrorCode.none)
        #expect(response.responses.first?.partitions.first?.records?.count == 0)
    }

    @Test func shutdownAnswersEveryWaitingRequestAtOnce() throws {
        let harness = try BrokerHarness(time: ManualTimeSource())
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        let replies = (0..<5).map { _ in harness.broker.process(frame: frame(harness, BrokerHarness.fetch("t", offset: 0, maxWaitMs: 30_000), version: 12)) }
        #expect(harness.broker.parkedFetches == 5)
        harness.broker.beginShutdown()
        for reply in replies {
            guard case .pending(let pending) = reply else { Issue.record("expected pending"); continue }
            #expect(pending.isComplete)
        }
    }

    @Test func produceUnderAlwaysWaitsForItsSyncOffTheRequestThread() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try BrokerHarness(time: ManualTimeSource(), fileSystem: fileSystem)
        var config = TopicConfig(partitionCount: 4)
        try config.set("durability", "always")
        try harness.store.createTopic("t", config: config)
        let syncsBefore = fileSystem.syncCount
        var pendings: [PendingReply] = []
        for partition in Int32(0)..<4 {
            let request = ProduceRequest(acks: -1, timeoutMs: 10_000, topicData: [.init(name: "t", partitionData: [
                .init(index: partition, records: .inline(BrokerHarness.batch(values: ["p\(partition)"]))),
            ])])
            guard case .pending(let pending) = harness.broker.process(frame: frame(harness, request, version: 9)) else {
                Issue.record("an always append must wait for its sync")
                continue
            }
            pendings.append(pending)
        }
        for pending in pendings {
            let response = try decode(pending.wait(timeoutNanos: 10_000_000_000), as: ProduceResponse.self, .produce, version: 9)
            #expect(response.responses.first?.partitionResponses.first?.errorCode == ErrorCode.none)
            #expect(response.responses.first?.partitionResponses.first?.baseOffset == 0)
        }
        #expect(fileSystem.syncCount > syncsBefore)
        for partition in Int32(0)..<4 { #expect(try harness.store.partition("t", partition).durableOffset == 1) }
        // A fetch then sees the synced record.
        let fetched = try harness.send(BrokerHarness.fetch("t", partition: 2, offset: 0), version: 12)
        #expect(try BrokerHarness.records(in: fetched.responses.first?.partitions.first?.records).count == 1)
    }

    @Test func aSyncThatFailsAnswersKafkaStorageError() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try BrokerHarness(time: ManualTimeSource(), fileSystem: fileSystem)
        var config = TopicConfig(partitionCount: 1)
        try config.set("durability", "always")
        try harness.store.createTopic("t", config: config)
        // The append's write takes effect; the fdatasync after it fails.
        fileSystem.die(afterOperations: 2)
        let response = try harness.produce("t", BrokerHarness.batch(values: ["lost"]))
        #expect(response?.errorCode == .kafkaStorageError)
        #expect(response?.baseOffset == -1)
    }

    @Test func aProduceThatCannotSyncInTimeAnswersRequestTimedOut() throws {
        // The sync threads are stopped, so nothing ever syncs; the deadline answers.
        let clock = ManualTimeSource()
        let harness = try BrokerHarness(time: clock)
        var config = TopicConfig(partitionCount: 1)
        try config.set("durability", "always")
        try harness.store.createTopic("t", config: config)
        harness.broker.syncs.stop()
        let request = ProduceRequest(acks: -1, timeoutMs: 1_000, topicData: [.init(name: "t", partitionData: [
            .init(index: 0, records: .inline(BrokerHarness.batch(values: ["slow"]))),
        ])])
        guard case .pending(let pending) = harness.broker.process(frame: frame(harness, request, version: 9)) else {
            Issue.record("expected pending")
            return
        }
        clock.advance(millis: 1_000)
        harness.broker.tick()
        let response = try decode(pending.wait(timeoutNanos: 1_000_000_000), as: ProduceResponse.self, .produce, version: 9)
        #expect(response.responses.first?.partitionResponses.first?.errorCode == .requestTimedOut)
    }

    @Test func purgatoryNeverMissesANotifyThatRacesAWatch() async throws {
        let purgatory = Purgatory()
        let available = Locked(false)
        var operations: [DelayedOperation] = []
        for round in 0..<2_000 {
            available.withLock { $0 = false }
            let operation = DelayedOperation(kind: .fetch, keys: ["k\(round)"], deadline: .max) { force in
                available.withLock { $0 } || force ? .noResponse : nil
            }
            operations.append(operation)
            async let notifier: Void = {
                available.withLock { $0 = true }
                purgatory.notify("k\(round)")
            }()
            purgatory.watch(operation)
            await notifier
            #expect(operation.pending.isComplete, "round \(round): the notify was missed")
        }
        #expect(purgatory.count() == 0)
    }
}
