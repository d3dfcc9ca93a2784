@testable import Broker
import KafkaRecords
import LogStorage
import SystemIO
import Testing

/// A share-partition store over an in-memory file system that can be restarted (cleanly or
/// after a crash), as `CoordinatorFixture` does for transactions.
struct ShareStoreFixture {
    let fileSystem = MemoryFileSystem()
    let clock = ManualTimeSource()
    var settings = ShareGroupSettings()
    var store: LogStore
    var shares: SharePartitionStore
    var skipped: [Int64] = []

    init() throws {
        (store, shares, skipped) = try Self.open(fileSystem, clock, settings)
    }

    static func open(_ fileSystem: MemoryFileSystem, _ clock: ManualTimeSource,
                     _ settings: ShareGroupSettings) throws -> (LogStore, SharePartitionStore, [Int64]) {
        let store = try LogStore.open(dataDirectory: "/data", fileSystem: fileSystem, time: clock, logger: .silent)
        let log = try store.openInternalLog(name: ShareStateLog.name, config: ShareStateLog.config(segmentBytes: 1 << 20))
        let shares = SharePartitionStore(log: ShareStateLog(log: log), time: clock)
        var skipped: [Int64] = []
        try shares.recover(settings: { _ in settings }, skipped: { skipped.append($0) })
        return (store, shares, skipped)
    }

    /// Simulates a SIGKILL with power loss (unsynced bytes may be lost) and starts again.
    mutating func crashAndRestart() throws {
        var random = SystemRandomNumberGenerator()
        fileSystem.crash(using: &random)
        fileSystem.restartProcess()
        (store, shares, skipped) = try Self.open(fileSystem, clock, settings)
    }

    /// Closes cleanly and starts again.
    mutating func restart() throws {
        try shares.close()
        try store.close()
        fileSystem.restartProcess()
        (store, shares, skipped) = try Self.open(fileSystem, clock, settings)
    }
}

private let key = SharePartitionKey(group: "workers", topic: "orders", partition: 0)
private let other = SharePartitionKey(group: "workers", topic: "orders", partition: 1)

private func ack(_ first: Int64, _ last: Int64, _ type: ShareAckType) -> ShareAckBatch {
    ShareAckBatch(firstOffset: first, lastOffset: last, type: type)
}

@Suite struct ShareStateStoreTests {
    @Test func recordFormatRoundTrips() {
        let record = ShareStateRecord(stateEpoch: 3, startOffset: 10, batches: [
            ShareStateBatch(firstOffset: 10, lastOffset: 12, state: .acquired, deliveryCount: 2),
            ShareStateBatch(firstOffset: 13, lastOffset: 13, state: .acknowledged, deliveryCount: 1),
            ShareStateBatch(firstOffset: 14, lastOffset: 20, state: .archived, deliveryCount: 5),
        ])
        #expect(ShareStateRecord.decodeValue(record.encodeValue()) == record)
        #expect(ShareStateRecord.decodeKey(ShareStateRecord.encodeKey(key)) == key)
        var badState = record.encodeValue()
        badState[17 + 16] = 3
        #expect(ShareStateRecord.decodeValue(badState) == nil)
        #expect(ShareStateRecord.decodeValue(Array(record.encodeValue().dropLast())) == nil)
        #expect(ShareStateRecord.decodeValue([1] + record.encodeValue().dropFirst()) == nil)
        #expect(ShareStateRecord.decodeKey([1] + ShareStateRecord.encodeKey(key).dropFirst()) == nil)
        let overlapping = ShareStateRecord(stateEpoch: 0, startOffset: 0, batches: [
            ShareStateBatch(firstOffset: 0, lastOffset: 5, state: .acknowledged, deliveryCount: 1),
            ShareStateBatch(firstOffset: 5, lastOffset: 6, state: .acknowledged, deliveryCount: 1),
        ])
        #expect(ShareStateRecord.decodeValue(overlapping.encodeValue()) == nil)
    }

    @Test func acceptedNeverRedeliveredAfterCrash() throws {
        var fixture = try ShareStoreFixture()
        _ = try fixture.shares.initialize(key, settings: fixture.settings, startOffset: 0)
        #expect(try fixture.shares.acquire(key, memberId: "a", fetched: [0...9], maxRecords: 500, mode: .batchOptimized)
                    == [ShareAcquiredRecords(firstOffset: 0, lastOffset: 9, deliveryCount: 1)])
        #expect(fixture.shares.acknowledge(key, memberId: "a", batches: [ack(0, 2, .accept), ack(5, 5, .reject), ack(6, 6, .accept)])
                    == [.none, .none, .none])
        try fixture.crashAndRestart()
        #expect(fixture.skipped.isEmpty)
        let recovered = try #require(fixture.shares.partition(key))
        #expect(recovered.startOffset == 3)
        #expect(recovered.acquiredCount == 0)
        // 3, 4, 7, 8, 9 come back with their count kept (now 2); 5 and 6 never do.
        #expect(try fixture.shares.acquire(key, memberId: "b", fetched: [3...9], maxRecords: 500, mode: .batchOptimized)
                    == [ShareAcquiredRecords(firstOffset: 3, lastOffset: 4, deliveryCount: 2),
                        ShareAcquiredRecords(firstOffset: 7, lastOffset: 9, deliveryCount: 2)])
    }

    @Test func startOffsetAndEpochSurviveRestarts() throws {
        var fixture = try ShareStoreFixture()
        _ = try fixture.shares.initialize(key, settings: fixture.settings, startOffset: 40)
        try fixture.crashAndRestart()
        #expect(fixture.shares.partition(key)?.startOffset == 40)
        _ = try fixture.shares.acquire(key, memberId: "a", fetched: [40...44], maxRecords: 500, mode: .recordLimit)
        #expect(fixture.shares.acknowledge(key, memberId: "a", batches: [ack(40, 44, .accept)]) == [.none])
        try fixture.shares.reset(key, startOffset: 100)
        try fixture.restart()
        let restored = try #require(fixture.shares.partition(key))
        #expect(restored.startOffset == 100)
        #expect(restored.stateEpoch == 1)
        // Initialising an existing partition keeps its state.
        #expect(try fixture.shares.initialize(key, settings: fixture.settings, startOffset: 0).startOffset == 100)
    }

    @Test func deliveryLimitHoldsAcrossCrashes() throws {
        var fixture = try ShareStoreFixture()
        fixture.settings.deliveryCountLimit = 2
        try fixture.crashAndRestart()
        _ = try fixture.shares.initialize(key, settings: fixture.settings, startOffset: 0)
        for _ in 0..<2 {
            #expect(try fixture.shares.acquire(key, memberId: "a", fetched: [0...0], maxRecords: 1, mode: .recordLimit).count == 1)
            try fixture.crashAndRestart()
        }
        // Acquired twice, crashed twice: archived, never a third delivery.
        #expect(try fixture.shares.acquire(key, memberId: "a", fetched: [0...0], maxRecords: 1, mode: .recordLimit).isEmpty)
        #expect(fixture.shares.partition(key)?.startOffset == 1)
    }

    @Test func lockExpiryAndMemberLeavingAreStored() throws {
        var fixture = try ShareStoreFixture()
        fixture.settings.recordLockDurationMs = 1000
        try fixture.restart()
        _ = try fixture.shares.initialize(key, settings: fixture.settings, startOffset: 0)
        _ = try fixture.shares.initialize(other, settings: fixture.settings, startOffset: 0)
        _ = try fixture.shares.acquire(key, memberId: "a", fetched: [0...1], maxRecords: 500, mode: .batchOptimized)
        _ = try fixture.shares.acquire(other, memberId: "b", fetched: [0...1], maxRecords: 500, mode: .batchOptimized)
        #expect(fixture.shares.releaseAll(group: "workers", memberId: "a"))
        #expect(fixture.shares.partition(key)?.acquiredCount == 0)
        #expect(fixture.shares.partition(other)?.acquiredCount == 2)
        fixture.clock.advance(millis: 1000)
        fixture.shares.expireLocks()
        #expect(fixture.shares.partition(other)?.acquiredCount == 0)
        #expect(fixture.shares.acknowledge(other, memberId: "b", batches: [ack(0, 1, .accept)]) == [.invalidRecordState])
        #expect(fixture.shares.acknowledge(SharePartitionKey(group: "x", topic: "y", partition: 0), memberId: "b",
                                           batches: [ack(0, 1, .accept)]) == [.invalidRecordState])
    }

    @Test func deleteTombstonesState() throws {
        var fixture = try ShareStoreFixture()
        _ = try fixture.shares.initialize(key, settings: fixture.settings, startOffset: 7)
        _ = try fixture.shares.initialize(other, settings: fixture.settings, startOffset: 8)
        try fixture.shares.delete([key])
        #expect(fixture.shares.partition(key) == nil)
        try fixture.crashAndRestart()
        #expect(fixture.shares.partition(key) == nil)
        #expect(fixture.shares.partition(other)?.startOffset == 8)
    }

    @Test func corruptRecordsAreSkippedAndReported() throws {
        var fixture = try ShareStoreFixture()
        _ = try fixture.shares.initialize(key, settings: fixture.settings, startOffset: 5)
        let log = try fixture.store.openInternalLog(name: ShareStateLog.name, config: ShareStateLog.config(segmentBytes: 1 << 20))
        try ShareStateLog(log: log).append([
            RecordInput(key: [9, 9, 9], value: [1, 2, 3], timestamp: 0),  // unknown key version
            RecordInput(key: ShareStateRecord.encodeKey(key), value: [0, 1], timestamp: 0),  // truncated value
            RecordInput(key: nil, value: [0], timestamp: 0),  // no key
        ])
        try fixture.restart()
        #expect(fixture.skipped.count == 3)
        #expect(fixture.shares.partition(key)?.startOffset == 5)
    }

    @Test func failedWriteChangesNothing() throws {
        let fixture = try ShareStoreFixture()
        _ = try fixture.shares.initialize(key, settings: fixture.settings, startOffset: 0)
        _ = try fixture.shares.acquire(key, memberId: "a", fetched: [0...3], maxRecords: 500, mode: .batchOptimized)
        let before = fixture.shares.partition(key)
        fixture.fileSystem.failNextWrite(afterBytes: 0)
        // A refused list changes nothing, so it writes nothing (the failure stays armed).
        #expect(fixture.shares.acknowledge(key, memberId: "a", batches: [ack(0, 3, .accept), ack(9, 9, .accept)])
                    == [.none, .invalidRequest])
        #expect(fixture.shares.acknowledge(key, memberId: "a", batches: [ack(0, 1, .accept), ack(2, 3, .release)])
                    == [.kafkaStorageError, .kafkaStorageError])
        #expect(fixture.shares.partition(key) == before)
    }
}
