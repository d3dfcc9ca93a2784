import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

/// The same store tests over the simulated and the real file system.
enum FileSystemKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, posix
    var testDescription: String { rawValue }

    func make() throws -> (any StorageFileSystem, String) {
        switch self {
        case .memory: return (MemoryFileSystem(), "/data")
        case .posix: return (PosixFileSystem(), try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-store-test-"))
        }
    }
}

@Suite struct LogStoreTests {
    let clock = ManualTimeSource()

    @Test(arguments: FileSystemKind.allCases)
    func topicsPersistAcrossRestarts(kind: FileSystemKind) throws {
        let (fs, dir) = try kind.make()
        defer { if kind == .posix { try? FileSystemCalls.removeTree(dir) } }
        var store = try LogStore.open(dataDirectory: dir, fileSystem: fs, time: clock, logger: .silent)
        var config = TopicConfig(partitionCount: 3)
        try config.set("retention.ms", "3600000")
        try config.set("durability", "always")
        let created = try store.createTopic("orders", config: config)
        #expect(created.id.count == 16 && created.id.contains { $0 != 0 })
        try store.createTopic("payments.v1_x-y", config: TopicConfig(partitionCount: 1))
        #expect(throws: LogStorageError.topicAlreadyExists("orders")) { try store.createTopic("orders", config: config) }
        for partition in Int32(0)..<3 {
            _ = try store.partition("orders", partition).append(try makeBatch(tag: Int(partition), records: Int(partition) + 1))
        }
        #expect(throws: LogStorageError.unknownPartition(topic: "orders", partition: 3)) { try store.partition("orders", 3) }
        #expect(throws: LogStorageError.unknownTopic("nope")) { try store.partition("nope", 0) }
        try store.close()

        store = try LogStore.open(dataDirectory: dir, fileSystem: fs, time: clock, logger: .silent)
        #expect(store.topics.map(\.name) == ["orders", "payments.v1_x-y"])
        let reloaded = try #require(store.topic("orders"))
        #expect(reloaded == created)
        #expect(try store.partition("orders", 0).config.durability == .always)
        #expect(try store.partition("orders", 0).config.retentionMillis == 3_600_000)
        for partition in Int32(0)..<3 {
            #expect(try store.partition("orders", partition).offsets.logEndOffset == Int64(partition) + 1)
        }
        try store.deleteTopic("orders")
        #expect(store.topic("orders") == nil)
        #expect(throws: LogStorageError.unknownTopic("orders")) { try store.deleteTopic("orders") }
        try store.close()
        store = try LogStore.open(dataDirectory: dir, fileSystem: fs, time: clock, logger: .silent)
        #expect(store.topics.map(\.name) == ["payments.v1_x-y"])
        // A deleted topic's name can be used again, from empty.
        try store.createTopic("orders", config: TopicConfig(partitionCount: 1))
        #expect(try store.partition("orders", 0).offsets.logEndOffset == 0)
        try store.close()
    }

    @Test func invalidNamesAndConfigsAreRejected() throws {
        let store = try LogStore.open(dataDirectory: "/d", fileSystem: MemoryFileSystem(), time: clock, logger: .silent)
        for name in ["", ".", "..", "a/b", "spaces no", String(repeating: "x", count: 250), "é"] {
            #expect(throws: LogStorageError.invalidTopicName(name)) { try store.createTopic(name, config: TopicConfig(partitionCount: 1)) }
        }
        #expect(throws: LogStorageError.self) { try store.createTopic("t", config: TopicConfig(partitionCount: 0)) }
        var config = TopicConfig(partitionCount: 1)
        #expect(throws: LogStorageError.self) { try config.set("segment.bytes", "12") }
        #expect(throws: LogStorageError.self) { try config.set("retention.ms", "soon") }
        #expect(throws: LogStorageError.self) { try config.set("no.such.key", "1") }
        #expect(throws: LogStorageError.self) { try config.set("durability", "sometimes") }
        #expect(config == TopicConfig(partitionCount: 1), "a failed set changes nothing")
        try config.set("flush.ms", "250")
        try config.set("durability", "interval")
        #expect(try config.logConfig(layers: BrokerConfigLayers()).durability == .interval(milliseconds: 250))
        try config.set("cleanup.policy", "delete,compact")
        #expect(try config.logConfig(layers: BrokerConfigLayers()).cleanupPolicy == .compactDelete)
    }

    @Test func updateTopicGrowsPartitionsAndAppliesConfig() throws {
        let store = try LogStore.open(dataDirectory: "/d", fileSystem: MemoryFileSystem(), time: clock, logger: .silent)
        try store.createTopic("t", config: TopicConfig(partitionCount: 1))
        var config = TopicConfig(partitionCount: 4)
        try config.set("max.message.bytes", "100")
        try store.updateTopic("t", config: config)
        #expect(try store.partition("t", 3).config.maxBatchBytes == 100)
        #expect(throws: LogStorageError.self) { try store.partition("t", 0).append(try makeBatch(tag: 0, valueSize: 200)) }
        #expect(throws: LogStorageError.self) { try store.updateTopic("t", config: TopicConfig(partitionCount: 2)) }
    }

    @Test func aTopicWhoseCreationDidNotFinishIsRemovedAtOpen() throws {
        let fs = MemoryFileSystem()
        try fs.createDirectory("/d/topics/half/0")
        fs.setContents([1, 2, 3], of: "/d/topics/half/0/00000000000000000000.log")
        let capture = LogCapture()
        let store = try LogStore.open(dataDirectory: "/d", fileSystem: fs, time: clock, logger: capture.logger)
        #expect(store.topics.isEmpty)
        #expect(!fs.directoryExists("/d/topics/half"))
        #expect(capture.warnings.contains { $0.contains("half") })
    }

    @Test func maintenanceFlushesIntervalPartitionsInTheBackground() async throws {
        let fs = MemoryFileSystem()
        let store = try LogStore.open(dataDirectory: "/d", fileSystem: fs, time: SystemTimeSource(), logger: .silent)
        var config = TopicConfig(partitionCount: 1)
        try config.set("flush.ms", "20")
        try store.createTopic("t", config: config)
        let log = try store.partition("t", 0)
        store.startMaintenance(flushTickMillis: 5)
        let syncsBefore = fs.syncCount
        _ = try log.append(try makeBatch(tag: 0))
        let deadline = ContinuousClock.now + .seconds(5)
        while fs.syncCount == syncsBefore && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(fs.syncCount > syncsBefore, "the background flusher synced the dirty partition")
        try store.close()
    }
}
