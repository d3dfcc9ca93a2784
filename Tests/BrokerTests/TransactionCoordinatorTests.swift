@testable import Broker
import KafkaProtocol
import LogStorage
import Synchronization
import SystemIO
import Testing

/// Records what the coordinator asks of partitions and groups; can be told to fail.
final class RecordingMarkerWriter: TransactionMarkerWriter {
    struct Markers: Equatable {
        var producerId: Int64
        var epoch: Int16
        var commit: Bool
        var partitions: [TransactionPartition]
    }

    struct Offsets: Equatable {
        var producerId: Int64
        var groups: [String]
        var commit: Bool
    }

    struct Failure: Error {}

    private let state = Mutex<(markers: [Markers], offsets: [Offsets], failing: Bool)>(([], [], false))

    var markers: [Markers] { state.withLock { $0.markers } }
    var offsets: [Offsets] { state.withLock { $0.offsets } }
    func fail(_ failing: Bool) { state.withLock { $0.failing = failing } }

    func writeMarkers(producerId: Int64, producerEpoch: Int16, commit: Bool, partitions: [TransactionPartition]) throws {
        try state.withLock { state throws in
            if state.failing { throw Failure() }
            state.markers.append(Markers(producerId: producerId, epoch: producerEpoch, commit: commit, partitions: partitions))
        }
    }

    func completeOffsets(producerId: Int64, groups: [String], commit: Bool) throws {
        try state.withLock { state throws in
            if state.failing { throw Failure() }
            state.offsets.append(Offsets(producerId: producerId, groups: groups, commit: commit))
        }
    }
}

/// A coordinator over an in-memory store that can be restarted (cleanly or after a crash).
struct CoordinatorFixture {
    let fileSystem = MemoryFileSystem()
    let clock = ManualTimeSource()
    let writer = RecordingMarkerWriter()
    var store: LogStore
    var coordinator: TransactionCoordinator

    init(settings: TransactionSettings = TransactionSettings()) throws {
        (store, coordinator) = try Self.open(fileSystem, clock, writer, settings)
    }

    static func open(_ fileSystem: MemoryFileSystem, _ clock: ManualTimeSource, _ writer: RecordingMarkerWriter,
                     _ settings: TransactionSettings) throws -> (LogStore, TransactionCoordinator) {
        let store = try LogStore.open(dataDirectory: "/data", fileSystem: fileSystem, time: clock, logger: .silent)
        let log = try store.openInternalLog(name: "transactions", config: TransactionLog.config(segmentBytes: 1 << 20))
        let coordinator = TransactionCoordinator(settings: settings, log: TransactionLog(log: log), writer: writer,
                                                 producerIds: try ProducerIdAllocator(store: store), time: clock, logger: .silent)
        try coordinator.recover()
        return (store, coordinator)
    }

    /// Simulates a SIGKILL (unsynced bytes may be lost) and starts again.
    mutating func crashAndRestart(settings: TransactionSettings = TransactionSettings()) throws {
        var random = SystemRandomNumberGenerator()
        fileSystem.crash(using: &random)
        fileSystem.restartProcess()
        (store, coordinator) = try Self.open(fileSystem, clock, writer, settings)
    }

    /// Closes cleanly and starts again.
    mutating func restart(settings: TransactionSettings = TransactionSettings()) throws {
        try coordinator.close()
        try store.close()
        fileSystem.restartProcess()
        (store, coordinator) = try Self.open(fileSystem, clock, writer, settings)
    }

    func initProducer(_ id: String = "tx", timeoutMs: Int32 = 60_000) -> TransactionCoordinator.InitResult {
        coordinator.initProducerId(transactionalId: id, timeoutMs: timeoutMs, expected: nil)
    }
}

private let p0 = TransactionPartition(topic: "orders", partition: 0)
private let p1 = TransactionPartition(topic: "orders", partition: 1)

@Suite struct TransactionCoordinatorTests {
    @Test func initGivesEpochZeroThenBumps() throws {
        let fixture = try CoordinatorFixture()
        let first = fixture.initProducer()
        #expect(first.error == .none)
        #expect(first.producerEpoch == 0)
        let second = fixture.initProducer()
        #expect(second.error == .none)
        #expect(second.producerId == first.producerId)
        #expect(second.producerEpoch == 1)
        let other = fixture.initProducer("other")
        #expect(other.producerId != first.producerId)
    }

    @Test func initRefusesBadIdsAndTimeouts() throws {
        let fixture = try CoordinatorFixture()
        #expect(fixture.initProducer("").error == .invalidRequest)
        #expect(fixture.initProducer(String(repeating: "x", count: 40_000)).error == .invalidRequest)
        #expect(fixture.initProducer(timeoutMs: 0).error == .invalidTransactionTimeout)
        #expect(fixture.initProducer(timeoutMs: 900_001).error == .invalidTransactionTimeout)
        #expect(fixture.coordinator.all().isEmpty)
    }

    @Test func commitWritesMarkersAndOffsets() throws {
        let fixture = try CoordinatorFixture()
        let producer = fixture.initProducer()
        let c = fixture.coordinator
        #expect(c.add(transactionalId: "tx", producerId: producer.producerId, epoch: 0, partitions: [p1, p0], groups: []) == .none)
        #expect(c.add(transactionalId: "tx", producerId: producer.producerId, epoch: 0, partitions: [], groups: ["g"]) == .none)
        #expect(c.describe("tx")?.state == .ongoing)
        #expect(c.verify(transactionalId: "tx", producerId: producer.producerId, epoch: 0, partition: p0) == .none)
        #expect(c.verify(transactionalId: "tx", producerId: producer.producerId, epoch: 0, group: "g") == .none)
        #expect(c.end(transactionalId: "tx", producerId: producer.producerId, epoch: 0, commit: true) == .none)
        #expect(fixture.writer.markers == [.init(producerId: producer.producerId, epoch: 0, commit: true, partitions: [p0, p1])])
        #expect(fixture.writer.offsets == [.init(producerId: producer.producerId, groups: ["g"], commit: true)])
        let state = try #require(c.describe("tx"))
        #expect(state.state == .completeCommit)
        #expect(state.partitions.isEmpty)
        // Retrying the same EndTxn succeeds; the other outcome is refused; neither writes again.
        #expect(c.end(transactionalId: "tx", producerId: producer.producerId, epoch: 0, commit: true) == .none)
        #expect(c.end(transactionalId: "tx", producerId: producer.producerId, epoch: 0, commit: false) == .invalidTxnState)
        #expect(fixture.writer.markers.count == 1)
    }

    @Test func badRequestsGetKafkasErrors() throws {
        let fixture = try CoordinatorFixture()
        let c = fixture.coordinator
        // Unknown id.
        #expect(c.add(transactionalId: "nope", producerId: 1, epoch: 0, partitions: [p0], groups: []) == .invalidProducerIdMapping)
        let producer = fixture.initProducer()
        let id = producer.producerId
        // EndTxn with nothing open.
        #expect(c.end(transactionalId: "tx", producerId: id, epoch: 0, commit: true) == .invalidTxnState)
        // Wrong producer id, wrong epoch.
        #expect(c.add(transactionalId: "tx", producerId: id + 7, epoch: 0, partitions: [p0], groups: []) == .invalidProducerIdMapping)
        #expect(c.add(transactionalId: "tx", producerId: id, epoch: 3, partitions: [p0], groups: []) == .producerFenced)
        // Writing to a partition not added.
        #expect(c.verify(transactionalId: "tx", producerId: id, epoch: 0, partition: p0) == .transactionAbortable)
        #expect(c.add(transactionalId: "tx", producerId: id, epoch: 0, partitions: [p0], groups: []) == .none)
        #expect(c.verify(transactionalId: "tx", producerId: id, epoch: 0, partition: p1) == .transactionAbortable)
        #expect(c.verify(transactionalId: "tx", producerId: id, epoch: 0, group: "g") == .transactionAbortable)
        #expect(c.verify(transactionalId: "other", producerId: id, epoch: 0, partition: p0) == .invalidProducerIdMapping)
        // Nothing was written for any of the refusals.
        #expect(fixture.writer.markers.isEmpty)
    }

    @Test func newProducerFencesOldAndAbortsItsTransaction() throws {
        let fixture = try CoordinatorFixture()
        let c = fixture.coordinator
        let old = fixture.initProducer()
        #expect(c.add(transactionalId: "tx", producerId: old.producerId, epoch: old.producerEpoch, partitions: [p0], groups: ["g"]) == .none)
        let new = fixture.initProducer()
        #expect(new.error == .none)
        #expect(new.producerId == old.producerId)
        #expect(new.producerEpoch == old.producerEpoch + 2)
        // The old transaction was aborted with the fencing epoch.
        #expect(fixture.writer.markers == [.init(producerId: old.producerId, epoch: old.producerEpoch + 1, commit: false, partitions: [p0])])
        #expect(fixture.writer.offsets == [.init(producerId: old.producerId, groups: ["g"], commit: false)])
        // The zombie is fenced everywhere.
        #expect(c.verify(transactionalId: "tx", producerId: old.producerId, epoch: old.producerEpoch, partition: p0) == .producerFenced)
        #expect(c.add(transactionalId: "tx", producerId: old.producerId, epoch: old.producerEpoch, partitions: [p0], groups: []) == .producerFenced)
        #expect(c.end(transactionalId: "tx", producerId: old.producerId, epoch: old.producerEpoch, commit: true) == .producerFenced)
        #expect(c.describe("tx")?.state == .empty)
    }

    @Test func timedOutTransactionIsAbortedAndProducerFenced() throws {
        let fixture = try CoordinatorFixture()
        let c = fixture.coordinator
        let producer = fixture.initProducer(timeoutMs: 5_000)
        #expect(c.add(transactionalId: "tx", producerId: producer.producerId, epoch: 0, partitions: [p0], groups: []) == .none)
        fixture.clock.advance(millis: 4_000)
        c.tick(force: true)
        #expect(c.describe("tx")?.state == .ongoing)
        fixture.clock.advance(millis: 2_000)
        c.tick(force: true)
        #expect(c.describe("tx")?.state == .completeAbort)
        #expect(fixture.writer.markers == [.init(producerId: producer.producerId, epoch: 1, commit: false, partitions: [p0])])
        #expect(c.end(transactionalId: "tx", producerId: producer.producerId, epoch: 0, commit: true) == .producerFenced)
        // The producer starts again with InitProducerId.
        let again = fixture.initProducer()
        #expect(again.producerEpoch == 2)
    }

    @Test func tickScansOnlyEveryInterval() throws {
        var settings = TransactionSettings()
        settings.abortCheckIntervalMs = 10_000
        let fixture = try CoordinatorFixture(settings: settings)
        let c = fixture.coordinator
        let producer = fixture.initProducer(timeoutMs: 1_000)
        c.tick()
        #expect(c.add(transactionalId: "tx", producerId: producer.producerId, epoch: 0, partitions: [p0], groups: []) == .none)
        fixture.clock.advance(millis: 2_000)
        c.tick()
        #expect(c.describe("tx")?.state == .ongoing)
        fixture.clock.advance(millis: 8_000)
        c.tick()
        #expect(c.describe("tx")?.state == .completeAbort)
    }

    @Test func failedMarkersAreRetriedByTick() throws {
        let fixture = try CoordinatorFixture()
        let c = fixture.coordinator
        let producer = fixture.initProducer()
        #expect(c.add(transactionalId: "tx", producerId: producer.producerId, epoch: 0, partitions: [p0], groups: []) == .none)
        fixture.writer.fail(true)
        // The decision is durable, so the client is told it committed.
        #expect(c.end(transactionalId: "tx", producerId: producer.producerId, epoch: 0, commit: true) == .none)
        #expect(c.describe("tx")?.state == .prepareCommit)
        // Until the markers are written, the producer cannot start another transaction.
        #expect(c.add(transactionalId: "tx", producerId: producer.producerId, epoch: 0, partitions: [p0], groups: []) == .concurrentTransactions)
        #expect(c.end(transactionalId: "tx", producerId: producer.producerId, epoch: 0, commit: true) == .concurrentTransactions)
        c.tick(force: true)
        #expect(c.describe("tx")?.state == .prepareCommit)
        fixture.writer.fail(false)
        c.tick(force: true)
        #expect(c.describe("tx")?.state == .completeCommit)
        #expect(fixture.writer.markers.map(\.commit) == [true])
    }

    @Test func stateSurvivesCleanRestart() throws {
        var fixture = try CoordinatorFixture()
        let producer = fixture.initProducer()
        #expect(fixture.coordinator.add(transactionalId: "tx", producerId: producer.producerId, epoch: 0, partitions: [p0, p1], groups: ["g"]) == .none)
        let before = try #require(fixture.coordinator.describe("tx"))
        try fixture.restart()
        #expect(fixture.coordinator.describe("tx") == before)
        #expect(fixture.coordinator.end(transactionalId: "tx", producerId: producer.producerId, epoch: 0, commit: false) == .none)
        #expect(fixture.writer.markers == [.init(producerId: producer.producerId, epoch: 0, commit: false, partitions: [p0, p1])])
        // Producer ids are not reused after a restart.
        try fixture.restart()
        #expect(fixture.initProducer("fresh").producerId != producer.producerId)
    }

    @Test func recoveryFinishesPreparedTransactions() throws {
        var fixture = try CoordinatorFixture()
        let committing = fixture.initProducer("committing")
        let aborting = fixture.initProducer("aborting")
        let open = fixture.initProducer("open", timeoutMs: 10_000)
        let c = fixture.coordinator
        #expect(c.add(transactionalId: "committing", producerId: committing.producerId, epoch: 0, partitions: [p0], groups: ["g"]) == .none)
        #expect(c.add(transactionalId: "aborting", producerId: aborting.producerId, epoch: 0, partitions: [p1], groups: []) == .none)
        #expect(c.add(transactionalId: "open", producerId: open.producerId, epoch: 0, partitions: [p0], groups: []) == .none)
        // The markers cannot be written: the decisions are durable but not carried out.
        fixture.writer.fail(true)
        #expect(c.end(transactionalId: "committing", producerId: committing.producerId, epoch: 0, commit: true) == .none)
        #expect(c.end(transactionalId: "aborting", producerId: aborting.producerId, epoch: 0, commit: false) == .none)
        fixture.writer.fail(false)
        try fixture.crashAndRestart()
        let recovered = fixture.coordinator
        #expect(recovered.describe("committing")?.state == .completeCommit)
        #expect(recovered.describe("aborting")?.state == .completeAbort)
        #expect(recovered.describe("open")?.state == .ongoing)
        let written = fixture.writer.markers
        #expect(written.contains(.init(producerId: committing.producerId, epoch: 0, commit: true, partitions: [p0])))
        #expect(written.contains(.init(producerId: aborting.producerId, epoch: 0, commit: false, partitions: [p1])))
        #expect(fixture.writer.offsets.contains(.init(producerId: committing.producerId, groups: ["g"], commit: true)))
        // The open one times out after the restart.
        fixture.clock.advance(millis: 11_000)
        recovered.tick(force: true)
        #expect(recovered.describe("open")?.state == .completeAbort)
    }

    @Test func idleIdsExpire() throws {
        var settings = TransactionSettings()
        settings.idExpirationMs = 60_000
        var fixture = try CoordinatorFixture(settings: settings)
        _ = fixture.initProducer("idle")
        let busy = fixture.initProducer("busy")
        #expect(fixture.coordinator.add(transactionalId: "busy", producerId: busy.producerId, epoch: 0, partitions: [p0], groups: []) == .none)
        fixture.clock.advance(millis: 61_000)
        // The busy one times out (aborted), the idle one expires.
        fixture.coordinator.tick(force: true)
        #expect(fixture.coordinator.describe("idle") == nil)
        #expect(fixture.coordinator.describe("busy")?.state == .completeAbort)
        try fixture.restart(settings: settings)
        #expect(fixture.coordinator.describe("idle") == nil)
        #expect(fixture.coordinator.describe("busy") != nil)
    }

    @Test func kip360RetryWithExpectedEpoch() throws {
        let fixture = try CoordinatorFixture()
        let c = fixture.coordinator
        let first = fixture.initProducer()
        // A client that knows its id and epoch re-initialises: the epoch is bumped.
        let bumped = c.initProducerId(transactionalId: "tx", timeoutMs: 60_000, expected: (first.producerId, first.producerEpoch))
        #expect(bumped.error == .none)
        #expect(bumped.producerEpoch == first.producerEpoch + 1)
        // Its retry (the response was lost) gets the same answer.
        let retry = c.initProducerId(transactionalId: "tx", timeoutMs: 60_000, expected: (first.producerId, first.producerEpoch))
        #expect(retry == bumped)
        // A stranger's producer id is fenced.
        let stranger = c.initProducerId(transactionalId: "tx", timeoutMs: 60_000, expected: (first.producerId + 99, 0))
        #expect(stranger.error == .producerFenced)
    }

    @Test func epochExhaustionRotatesTheProducerId() throws {
        let fixture = try CoordinatorFixture()
        let c = fixture.coordinator
        var last = fixture.initProducer()
        let firstId = last.producerId
        for _ in 0..<(Int(Int16.max) - 1) { last = fixture.initProducer() }
        #expect(last.producerEpoch == Int16.max - 1)
        #expect(last.producerId == firstId)
        let rotated = fixture.initProducer()
        #expect(rotated.error == .none)
        #expect(rotated.producerId != firstId)
        #expect(rotated.producerEpoch == 0)
        #expect(c.describe("tx")?.previousProducerId == firstId)
    }

    @Test func corruptLogRecordIsSkipped() throws {
        var fixture = try CoordinatorFixture()
        _ = fixture.initProducer("a")
        try fixture.restart()
        #expect(fixture.coordinator.describe("a")?.producerEpoch == 0)
        #expect(TransactionMetadata.decodeValue([0, 1, 2], transactionalId: "a") == nil)
        #expect(TransactionMetadata.decodeKey([9]) == nil)
        // A value claiming a billion partitions is rejected, not allocated.
        var metadata = try #require(fixture.coordinator.describe("a"))
        metadata.partitions = [p0]
        var bytes = metadata.encodeValue()
        let countAt = 1 + 8 + 8 + 2 + 2 + 4 + 1 + 8 + 8
        bytes.replaceSubrange(countAt..<countAt + 4, with: [0x3b, 0x9a, 0xca, 0x00])
        #expect(TransactionMetadata.decodeValue(bytes, transactionalId: "a") == nil)
        #expect(TransactionMetadata.decodeValue(metadata.encodeValue(), transactionalId: "a") == metadata)
    }
}
