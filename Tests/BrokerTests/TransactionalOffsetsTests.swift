@testable import Broker
import LogStorage
import SystemIO
import Testing

/// Staged (transactional) offset commits in the OffsetStore: invisible until committed, dropped
/// on abort, and surviving restarts and crashes in whichever state was durable.
@Suite struct TransactionalOffsetsTests {
    private static func open(_ fileSystem: MemoryFileSystem) throws -> (LogStore, OffsetStore) {
        let store = try LogStore.open(dataDirectory: "/data", fileSystem: fileSystem, time: ManualTimeSource(), logger: .silent)
        let log = try store.openInternalLog(name: "consumer-offsets", config: InternalLog.compactedStateConfig(segmentBytes: 1 << 20))
        return (store, try OffsetStore(log: log))
    }

    private let key = OffsetStore.Key(group: "g", topic: "in", partition: 0)
    private func committed(_ offset: Int64) -> OffsetStore.Committed {
        OffsetStore.Committed(offset: offset, leaderEpoch: -1, metadata: nil, commitTimestamp: 1_000)
    }

    @Test func stagedOffsetsAppearOnlyOnCommit() throws {
        let (_, offsets) = try Self.open(MemoryFileSystem())
        try offsets.commit([(key, committed(5))])
        try offsets.stage(producerId: 7, group: "g", [(key, committed(10))])
        #expect(offsets.committed(key)?.offset == 5)
        #expect(offsets.hasStaged(key))
        try offsets.completeStaged(producerId: 7, groups: ["g"], commit: true, timestamp: 2_000)
        #expect(offsets.committed(key)?.offset == 10)
        #expect(!offsets.hasStaged(key))
        // A second completion (a retry after a crash) finds nothing and changes nothing.
        try offsets.completeStaged(producerId: 7, groups: ["g"], commit: false, timestamp: 3_000)
        #expect(offsets.committed(key)?.offset == 10)
    }

    @Test func abortDropsStagedOffsets() throws {
        let (_, offsets) = try Self.open(MemoryFileSystem())
        try offsets.stage(producerId: 7, group: "g", [(key, committed(10))])
        try offsets.completeStaged(producerId: 7, groups: ["g"], commit: false, timestamp: 2_000)
        #expect(offsets.committed(key) == nil)
        #expect(!offsets.hasStaged(key))
    }

    @Test func stagedStateSurvivesRestartAndCrash() throws {
        let fileSystem = MemoryFileSystem()
        var (store, offsets) = try Self.open(fileSystem)
        let other = OffsetStore.Key(group: "h", topic: "in", partition: 1)
        try offsets.stage(producerId: 7, group: "g", [(key, committed(10))])
        try offsets.stage(producerId: 8, group: "h", [(other, committed(3))])
        try offsets.completeStaged(producerId: 8, groups: ["h"], commit: true, timestamp: 2_000)
        var random = SystemRandomNumberGenerator()
        fileSystem.crash(using: &random)
        fileSystem.restartProcess()
        (store, offsets) = try Self.open(fileSystem)
        // Stages and completions are synced before they return, so a crash keeps them.
        #expect(offsets.hasStaged(key))
        #expect(offsets.committed(key) == nil)
        #expect(offsets.committed(other)?.offset == 3)
        #expect(!offsets.hasStaged(other))
        try offsets.completeStaged(producerId: 7, groups: ["g"], commit: true, timestamp: 3_000)
        try store.close()
        fileSystem.restartProcess()
        (_, offsets) = try Self.open(fileSystem)
        #expect(offsets.committed(key)?.offset == 10)
        #expect(!offsets.hasStaged(key))
    }
}
