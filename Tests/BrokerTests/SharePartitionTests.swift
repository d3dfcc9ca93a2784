@testable import Broker
import Testing

/// A partition behind a reference, so `#expect` can call its mutating methods.
@dynamicMemberLookup
private final class PartitionBox {
    var state: SharePartition

    init(_ state: SharePartition) { self.state = state }

    subscript<T>(dynamicMember path: KeyPath<SharePartition, T>) -> T { state[keyPath: path] }

    func acquire(memberId: String, logOffsets: Range<Int64>, maxRecords: Int = 500, mode: ShareAcquireMode = .batchOptimized,
                 now: Int64 = 0) -> [ShareAcquiredRecords] {
        state.acquire(memberId: memberId, logOffsets: logOffsets, maxRecords: maxRecords, mode: mode, now: now)
    }

    func acquire(memberId: String, fetched: [ClosedRange<Int64>], maxRecords: Int = 500, mode: ShareAcquireMode = .batchOptimized,
                 now: Int64 = 0) -> [ShareAcquiredRecords] {
        state.acquire(memberId: memberId, fetched: fetched, maxRecords: maxRecords, mode: mode, now: now)
    }

    func acknowledge(memberId: String, batches: [ShareAckBatch], now: Int64 = 0) -> [ShareError] {
        state.acknowledge(memberId: memberId, batches: batches, now: now)
    }

    func expireLocks(now: Int64) -> Bool { state.expireLocks(now: now) }
    func releaseAll(memberId: String) -> Bool { state.releaseAll(memberId: memberId) }
    func logStartOffsetMoved(to offset: Int64) -> Bool { state.logStartOffsetMoved(to: offset) }
    func batch(containing offset: Int64) -> ShareStateBatch? { state.batch(containing: offset) }
    func count(of recordState: ShareRecordState) -> Int64 { state.count(of: recordState) }
}

private func partition(start: Int64 = 0, configure: (inout ShareGroupSettings) -> Void = { _ in }) -> PartitionBox {
    var settings = ShareGroupSettings()
    configure(&settings)
    return PartitionBox(SharePartition(settings: settings, startOffset: start))
}

private func records(_ first: Int64, _ last: Int64, _ count: Int16) -> ShareAcquiredRecords {
    ShareAcquiredRecords(firstOffset: first, lastOffset: last, deliveryCount: count)
}

private func ack(_ first: Int64, _ last: Int64, _ type: ShareAckType) -> ShareAckBatch {
    ShareAckBatch(firstOffset: first, lastOffset: last, type: type)
}

@Suite struct SharePartitionTests {
    @Test func acquireAcceptAdvancesStart() {
        let p = partition()
        #expect(p.acquire(memberId: "a", logOffsets: 0..<10, maxRecords: 500, mode: .batchOptimized, now: 0) == [records(0, 9, 1)])
        #expect(p.acquiredCount == 10)
        #expect(p.inFlightCount == 10)
        // Acquired records are not handed out twice.
        #expect(p.acquire(memberId: "b", logOffsets: 0..<10, maxRecords: 500, mode: .batchOptimized, now: 0).isEmpty)
        #expect(p.acknowledge(memberId: "a", batches: [ack(0, 4, .accept)], now: 1) == [.none])
        #expect(p.startOffset == 5)
        #expect(p.inFlightCount == 5)
        #expect(p.acknowledge(memberId: "a", batches: [ack(5, 9, .accept)], now: 1) == [.none])
        #expect(p.startOffset == 10)
        #expect(p.stateBatches.isEmpty)
        // Accepted records are never delivered again.
        #expect(p.acquire(memberId: "a", logOffsets: 0..<12, maxRecords: 500, mode: .batchOptimized, now: 2) == [records(10, 11, 1)])
    }

    @Test func releaseRedeliversWithCountTwo() {
        let p = partition()
        _ = p.acquire(memberId: "a", logOffsets: 0..<5, maxRecords: 500, mode: .batchOptimized, now: 0)
        #expect(p.acknowledge(memberId: "a", batches: [ack(1, 2, .release)], now: 1) == [.none])
        #expect(p.nextFetchOffset == 1)
        #expect(p.acquire(memberId: "b", logOffsets: 1..<5, maxRecords: 500, mode: .batchOptimized, now: 2) == [records(1, 2, 2)])
        #expect(p.batch(containing: 1)?.memberId == "b")
    }

    @Test func rejectAndGapArchive() {
        let p = partition()
        _ = p.acquire(memberId: "a", logOffsets: 0..<6, maxRecords: 500, mode: .batchOptimized, now: 0)
        let types: [Int8] = [3, 0, 1, 2, 1, 3]
        #expect(p.acknowledge(memberId: "a", batches: [ShareAckBatch(firstOffset: 0, lastOffset: 5, types: types)], now: 1) == [.none])
        #expect(p.startOffset == 3)
        #expect(p.batch(containing: 3)?.state == .available)
        #expect(p.batch(containing: 5)?.state == .archived)
        // Only the released record comes back.
        #expect(p.acquire(memberId: "a", logOffsets: 0..<6, maxRecords: 500, mode: .batchOptimized, now: 2) == [records(3, 3, 2)])
        #expect(p.acknowledge(memberId: "a", batches: [ack(3, 3, .accept)], now: 3) == [.none])
        #expect(p.startOffset == 6)
    }

    @Test func expiredLocksMakeRecordsAvailableAgain() {
        let p = partition { $0.recordLockDurationMs = 1000 }
        _ = p.acquire(memberId: "a", logOffsets: 0..<3, maxRecords: 500, mode: .batchOptimized, now: 0)
        #expect(p.earliestLockDeadline == 1000)
        #expect(!p.expireLocks(now: 999))
        #expect(p.expireLocks(now: 1000))
        #expect(p.acquiredCount == 0)
        #expect(p.batch(containing: 0)?.deliveryCount == 1)
        // An acknowledgement after expiry is refused.
        #expect(p.acknowledge(memberId: "a", batches: [ack(0, 2, .accept)], now: 1001) == [.invalidRecordState])
        #expect(p.acquire(memberId: "b", logOffsets: 0..<3, maxRecords: 500, mode: .batchOptimized, now: 1001) == [records(0, 2, 2)])
    }

    @Test func acquireExpiresLocksItself() {
        let p = partition { $0.recordLockDurationMs = 1000 }
        _ = p.acquire(memberId: "a", logOffsets: 0..<3, maxRecords: 500, mode: .batchOptimized, now: 0)
        #expect(p.acquire(memberId: "b", logOffsets: 0..<3, maxRecords: 500, mode: .batchOptimized, now: 1000) == [records(0, 2, 2)])
    }

    @Test func deliveryLimitArchives() {
        let p = partition { $0.deliveryCountLimit = 3 }
        for delivery in Int16(1)...3 {
            #expect(p.acquire(memberId: "a", logOffsets: 0..<2, maxRecords: 500, mode: .batchOptimized, now: 0) == [records(0, 1, delivery)])
            #expect(p.acknowledge(memberId: "a", batches: [ack(0, 1, .release)], now: 0) == [.none])
        }
        #expect(p.startOffset == 2)
        #expect(p.acquire(memberId: "a", logOffsets: 0..<2, maxRecords: 500, mode: .batchOptimized, now: 0).isEmpty)
        // Lock expiry at the limit archives too.
        _ = p.acquire(memberId: "a", logOffsets: 2..<3, maxRecords: 500, mode: .batchOptimized, now: 0)
        for now in [Int64(30_000), 60_000] {
            #expect(p.expireLocks(now: now))
            _ = p.acquire(memberId: "a", logOffsets: 2..<3, maxRecords: 500, mode: .batchOptimized, now: now)
        }
        #expect(p.batch(containing: 2)?.deliveryCount == 3)
        #expect(p.expireLocks(now: 90_000))
        #expect(p.startOffset == 3)
    }

    @Test func windowCapLimitsRecordsInFlight() {
        let p = partition { $0.maxRecordLocks = 10 }
        #expect(p.acquire(memberId: "a", logOffsets: 0..<100, maxRecords: 500, mode: .batchOptimized, now: 0) == [records(0, 9, 1)])
        #expect(!p.canAcquire)
        #expect(p.acquire(memberId: "b", logOffsets: 10..<100, maxRecords: 500, mode: .batchOptimized, now: 0).isEmpty)
        #expect(p.acknowledge(memberId: "a", batches: [ack(0, 3, .accept)], now: 0) == [.none])
        #expect(p.acquire(memberId: "b", logOffsets: 10..<100, maxRecords: 500, mode: .batchOptimized, now: 0) == [records(10, 13, 1)])
        #expect(p.inFlightCount == 10)
    }

    @Test func recordLimitIsHardBatchOptimizedKeepsBatches() {
        let p = partition()
        #expect(p.acquire(memberId: "a", fetched: [0...4, 5...9], maxRecords: 3, mode: .batchOptimized, now: 0) == [records(0, 4, 1)])
        #expect(p.acquire(memberId: "b", fetched: [5...9, 10...14], maxRecords: 3, mode: .recordLimit, now: 0) == [records(5, 7, 1)])
        _ = p.acknowledge(memberId: "a", batches: [ack(0, 4, .release)], now: 0)
        #expect(p.acquire(memberId: "c", fetched: [0...4, 5...9, 10...14], maxRecords: 7, mode: .recordLimit, now: 0)
                    == [records(0, 4, 2), records(8, 9, 1)])
    }

    @Test func offsetsMissingFromTheLogAreArchivedAsGaps() {
        let p = partition()
        #expect(p.acquire(memberId: "a", fetched: [0...2, 6...7], maxRecords: 500, mode: .batchOptimized, now: 0)
                    == [records(0, 2, 1), records(6, 7, 1)])
        #expect(p.batch(containing: 4)?.state == .archived)
        #expect(p.acknowledge(memberId: "a", batches: [ack(0, 2, .accept)], now: 0) == [.none])
        #expect(p.startOffset == 6)
        // Nothing in flight: a later start just moves the window.
        _ = p.acknowledge(memberId: "a", batches: [ack(6, 7, .accept)], now: 0)
        #expect(p.acquire(memberId: "a", logOffsets: 20..<21, maxRecords: 500, mode: .batchOptimized, now: 0) == [records(20, 20, 1)])
        #expect(p.startOffset == 20)
    }

    @Test func anotherMembersRecordsAreRefused() {
        let p = partition()
        _ = p.acquire(memberId: "a", logOffsets: 0..<5, maxRecords: 500, mode: .batchOptimized, now: 0)
        _ = p.acquire(memberId: "b", logOffsets: 5..<10, maxRecords: 500, mode: .batchOptimized, now: 0)
        let before = p.state
        #expect(p.acknowledge(memberId: "b", batches: [ack(3, 6, .accept)], now: 0) == [.invalidRecordState])
        #expect(p.state == before)
        // All or nothing, as Kafka: a refused batch rolls back the batches before it.
        #expect(p.acknowledge(memberId: "b", batches: [ack(5, 9, .accept), ack(10, 10, .accept)], now: 0) == [.none, .invalidRequest])
        #expect(p.state == before)
        #expect(p.acknowledge(memberId: "b", batches: [ack(0, 0, .accept), ack(5, 9, .accept)], now: 0) == [.invalidRecordState, .none])
        #expect(p.state == before)
        #expect(p.acknowledge(memberId: "b", batches: [ack(5, 9, .accept)], now: 0) == [.none])
        #expect(p.batch(containing: 0)?.state == .acquired)
        #expect(p.count(of: .acknowledged) == 5)
        // Already acknowledged, never acquired, beyond anything acquired.
        #expect(p.acknowledge(memberId: "b", batches: [ack(5, 5, .accept)], now: 0) == [.invalidRecordState])
        #expect(p.acknowledge(memberId: "b", batches: [ack(10, 12, .accept)], now: 0) == [.invalidRequest])
    }

    @Test func malformedBatchListsChangeNothing() {
        let p = partition()
        _ = p.acquire(memberId: "a", logOffsets: 0..<10, maxRecords: 500, mode: .batchOptimized, now: 0)
        let before = p.state
        let malformed: [[ShareAckBatch]] = [
            [ack(0, 4, .accept), ack(3, 6, .accept)],  // overlapping
            [ack(5, 6, .accept), ack(0, 1, .accept)],  // out of order
            [ack(3, 2, .accept)],  // first > last
            [ShareAckBatch(firstOffset: 0, lastOffset: 3, types: [1, 1])],  // wrong type count
            [ShareAckBatch(firstOffset: 0, lastOffset: 3, types: [])],
            [ShareAckBatch(firstOffset: 0, lastOffset: 0, types: [5])],  // unknown type
            [ShareAckBatch(firstOffset: -1, lastOffset: 0, types: [1])],
        ]
        for batches in malformed {
            #expect(p.acknowledge(memberId: "a", batches: batches, now: 0) == Array(repeating: .invalidRequest, count: batches.count))
            #expect(p.state == before)
        }
        // Kafka's validation lets a batch start at the previous one's last offset; that offset is
        // then no longer acquired, so the list fails as a whole with INVALID_RECORD_STATE.
        #expect(p.acknowledge(memberId: "a", batches: [ack(0, 4, .accept), ack(4, 6, .accept)], now: 0) == [.none, .invalidRecordState])
        #expect(p.state == before)
    }

    @Test func renewExtendsTheLock() {
        let p = partition { $0.recordLockDurationMs = 1000 }
        _ = p.acquire(memberId: "a", logOffsets: 0..<4, maxRecords: 500, mode: .batchOptimized, now: 0)
        #expect(p.acknowledge(memberId: "a", batches: [ack(0, 1, .renew)], now: 900) == [.none])
        #expect(p.batch(containing: 0)?.lockDeadline == 1900)
        #expect(p.expireLocks(now: 1000))
        #expect(p.batch(containing: 0)?.state == .acquired)
        #expect(p.batch(containing: 2)?.state == .available)
        #expect(p.acknowledge(memberId: "a", batches: [ack(0, 1, .accept)], now: 1500) == [.none])
        #expect(p.startOffset == 2)
    }

    @Test func releaseAllReleasesOnlyThatMember() {
        let p = partition()
        _ = p.acquire(memberId: "a", logOffsets: 0..<3, maxRecords: 500, mode: .batchOptimized, now: 0)
        _ = p.acquire(memberId: "b", logOffsets: 3..<6, maxRecords: 500, mode: .batchOptimized, now: 0)
        #expect(p.releaseAll(memberId: "a"))
        #expect(!p.releaseAll(memberId: "a"))
        #expect(p.acquiredCount == 3)
        #expect(p.acquire(memberId: "c", logOffsets: 0..<6, maxRecords: 500, mode: .batchOptimized, now: 0) == [records(0, 2, 2)])
    }

    @Test func logStartMovingPastTheWindow() {
        let p = partition()
        _ = p.acquire(memberId: "a", logOffsets: 0..<5, maxRecords: 500, mode: .batchOptimized, now: 0)
        #expect(p.logStartOffsetMoved(to: 3))
        #expect(p.startOffset == 3)
        #expect(p.acknowledge(memberId: "a", batches: [ack(0, 4, .accept)], now: 0) == [.none])
        #expect(p.startOffset == 5)
    }

    @Test func autoOffsetResetPlacesTheFirstStart() {
        #expect(ShareAutoOffsetReset.latest.initialStartOffset(logStartOffset: 5, logEndOffset: 50) == 50)
        #expect(ShareAutoOffsetReset.earliest.initialStartOffset(logStartOffset: 5, logEndOffset: 50) == 5)
        #expect(ShareAutoOffsetReset.byDuration(milliseconds: 60_000).initialStartOffset(logStartOffset: 5, logEndOffset: 50, resolvedByDuration: 20) == 20)
        #expect(ShareAutoOffsetReset.byDuration(milliseconds: 60_000).initialStartOffset(logStartOffset: 5, logEndOffset: 50) == 50)
        #expect(ShareAutoOffsetReset.byDuration(milliseconds: 60_000).initialStartOffset(logStartOffset: 5, logEndOffset: 50, resolvedByDuration: 1) == 5)
    }
}
