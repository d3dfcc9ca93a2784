import Dispatch
public import SystemIO
import Synchronization

/// All topics and their partition logs under one data directory.
///
/// Layout:
/// ```
/// <data>/topics/<topic>/topic.conf          TopicMetadata, replaced atomically
/// <data>/topics/<topic>/<partition>/        a PartitionLog directory
/// <data>/deleted/                           topics being deleted (emptied at open)
/// ```
/// A topic exists once its `topic.conf` is durable; a directory without one (a crash during
/// creation) is removed at open. Deletion renames the topic's directory into `deleted/`
/// (atomic), then removes it.
///
/// Thread-safety: every method may be called from any thread. The store's lock guards only the
/// topic table; partition work happens outside it. Lock order: store before partition.
public final class LogStore: Sendable {
    /// The data directory.
    public let dataDirectory: String
    let fileSystem: any StorageFileSystem
    let time: any TimeSource
    let logger: Logger
    private let state: Mutex<State>
    private let maintenance = Mutex<MaintenanceTimer?>(nil)

    /// Dispatch sources are thread-safe but not marked `Sendable`.
    private final class MaintenanceTimer: @unchecked Sendable {
        let source: any DispatchSourceTimer
        init(_ source: any DispatchSourceTimer) { self.source = source }
    }

    struct Topic {
        var metadata: TopicMetadata
        var partitions: [PartitionLog]
    }

    struct State {
        var topics: [String: Topic] = [:]
        var closed = false
        /// The broker-level values topics fall back on.
        var layers = BrokerConfigLayers()
    }

    private var topicsDirectory: String { StoragePath.join(dataDirectory, "topics") }
    private var deletedDirectory: String { StoragePath.join(dataDirectory, "deleted") }
    private func topicDirectory(_ name: String) -> String { StoragePath.join(topicsDirectory, name) }

    private init(dataDirectory: String, fileSystem: any StorageFileSystem, time: any TimeSource, logger: Logger,
                 layers: BrokerConfigLayers) {
        self.dataDirectory = dataDirectory
        self.fileSystem = fileSystem
        self.time = time
        self.logger = logger
        self.state = Mutex(State(layers: layers))
    }

    /// Opens the store, recovering every partition (see `PartitionLog.open`). `layers` are the
    /// broker-level config values topics fall back on (see `updateLayers`).
    public static func open(
        dataDirectory: String,
        fileSystem: any StorageFileSystem = PosixFileSystem(),
        time: any TimeSource = SystemTimeSource(),
        logger: Logger = Logger(component: "storage"),
        layers: BrokerConfigLayers = BrokerConfigLayers()
    ) throws(LogStorageError) -> LogStore {
        let store = LogStore(dataDirectory: dataDirectory, fileSystem: fileSystem, time: time, logger: logger, layers: layers)
        try store.load()
        return store
    }

    private func load() throws(LogStorageError) {
        try fileSystem.createDirectory(topicsDirectory)
        try fileSystem.removeTree(deletedDirectory)
        try fileSystem.createDirectory(deletedDirectory)
        var topics: [String: Topic] = [:]
        for name in try fileSystem.listDirectory(topicsDirectory).sorted() {
            let directory = topicDirectory(name)
            let metadataPath = StoragePath.join(directory, TopicMetadata.fileName)
            guard let bytes = try fileSystem.readSmallFile(metadataPath) else {
                logger.warning("\(directory): no \(TopicMetadata.fileName) (creation did not finish); removing it")
                try fileSystem.removeTree(directory)
                continue
            }
            let metadata = try TopicMetadata.parse(bytes, path: metadataPath)
            guard metadata.name == name else {
                throw .corrupt(path: metadataPath, position: 0, reason: "names topic \(metadata.name) but lives in \(name)")
            }
            let log: LogConfig
            do {
                log = try metadata.config.logConfig(layers: state.withLock { $0.layers })
            } catch {
                throw .corrupt(path: metadataPath, position: 0, reason: "\(error)")
            }
            var partitions: [PartitionLog] = []
            for partition in 0..<metadata.config.partitionCount {
                partitions.append(try openPartition(topic: name, partition: partition, config: log))
            }
            topics[name] = Topic(metadata: metadata, partitions: partitions)
        }
        logger.info("opened \(dataDirectory): \(topics.count) topics")
        state.withLock { $0.topics = topics }
    }

    private func openPartition(topic: String, partition: Int32, config: LogConfig) throws(LogStorageError) -> PartitionLog {
        try PartitionLog.open(directory: StoragePath.join(topicDirectory(topic), String(partition)), config: config,
                              fileSystem: fileSystem, time: time, logger: logger.named("log"))
    }

    // MARK: topics

    /// Every topic's metadata, sorted by name.
    public var topics: [TopicMetadata] {
        state.withLock { $0.topics.values.map(\.metadata).sorted { $0.name < $1.name } }
    }

    /// One topic's metadata, or nil.
    public func topic(_ name: String) -> TopicMetadata? {
        state.withLock { $0.topics[name]?.metadata }
    }

    /// The log of one partition.
    public func partition(_ topic: String, _ partition: Int32) throws(LogStorageError) -> PartitionLog {
        try state.withLock { state throws(LogStorageError) -> PartitionLog in
            guard let entry = state.topics[topic] else { throw .unknownTopic(topic) }
            guard partition >= 0, Int(partition) < entry.partitions.count else {
                throw .unknownPartition(topic: topic, partition: partition)
            }
            return entry.partitions[Int(partition)]
        }
    }

    /// The broker-level config values topics fall back on.
    public var layers: BrokerConfigLayers { state.withLock { $0.layers } }

    /// Replaces the broker-level values and applies the resulting storage settings to every
    /// partition at once (Kafka's dynamic broker configs take effect without a restart). A topic
    /// whose configs would become invalid over the new values keeps its current settings, and
    /// the problem is logged.
    public func updateLayers(_ layers: BrokerConfigLayers) {
        let entries = state.withLock { state in
            state.layers = layers
            return Array(state.topics.values)
        }
        for entry in entries {
            do {
                let log = try entry.metadata.config.logConfig(layers: layers)
                for partition in entry.partitions { partition.updateConfig(log) }
            } catch {
                logger.error("topic \(entry.metadata.name) keeps its settings: \(error)")
            }
        }
    }

    /// The storage settings a topic with `config` gets now; throws `invalidConfig`.
    public func logConfig(for config: TopicConfig) throws(LogStorageError) -> LogConfig {
        try config.logConfig(layers: layers)
    }

    /// Creates a topic durably. Throws `topicAlreadyExists`, `invalidTopicName` or `invalidConfig`.
    @discardableResult
    public func createTopic(_ name: String, config: TopicConfig) throws(LogStorageError) -> TopicMetadata {
        guard TopicMetadata.isValidName(name) else { throw .invalidTopicName(name) }
        guard config.partitionCount > 0 && config.partitionCount <= 100_000 else {
            throw .invalidConfig("partition count must be between 1 and 100000, got \(config.partitionCount)")
        }
        // Holding the store lock serialises creations and deletions; the work is small.
        return try state.withLock { state throws(LogStorageError) -> TopicMetadata in
            if state.closed { throw .closed }
            let log = try config.logConfig(layers: state.layers)
            guard state.topics[name] == nil else { throw .topicAlreadyExists(name) }
            let directory = topicDirectory(name)
            // Leftovers of an interrupted creation in this same run are not a topic yet.
            try fileSystem.removeTree(directory)
            try fileSystem.createDirectory(directory)
            let metadata = TopicMetadata(name: name, id: TopicMetadata.randomID(), config: config)
            var partitions: [PartitionLog] = []
            for partition in 0..<config.partitionCount {
                partitions.append(try openPartition(topic: name, partition: partition, config: log))
            }
            try fileSystem.syncDirectory(directory)
            try fileSystem.writeAtomically(metadata.serialized(), to: StoragePath.join(directory, TopicMetadata.fileName))
            try fileSystem.syncDirectory(topicsDirectory)
            state.topics[name] = Topic(metadata: metadata, partitions: partitions)
            logger.info("created topic \(name) with \(config.partitionCount) partitions")
            return metadata
        }
    }

    /// Replaces a topic's configuration (the partition count may only grow; new partitions are
    /// created). Applies to the partitions at once.
    @discardableResult
    public func updateTopic(_ name: String, config: TopicConfig) throws(LogStorageError) -> TopicMetadata {
        try state.withLock { state throws(LogStorageError) -> TopicMetadata in
            if state.closed { throw .closed }
            let log = try config.logConfig(layers: state.layers)
            guard var entry = state.topics[name] else { throw .unknownTopic(name) }
            guard config.partitionCount >= entry.metadata.config.partitionCount, config.partitionCount <= 100_000 else {
                throw .invalidConfig("partition count can only grow (from \(entry.metadata.config.partitionCount)), got \(config.partitionCount)")
            }
            for partition in Int32(entry.partitions.count)..<config.partitionCount {
                entry.partitions.append(try openPartition(topic: name, partition: partition, config: log))
            }
            entry.metadata.config = config
            try fileSystem.writeAtomically(entry.metadata.serialized(),
                                           to: StoragePath.join(topicDirectory(name), TopicMetadata.fileName))
            for partition in entry.partitions { partition.updateConfig(log) }
            state.topics[name] = entry
            return entry.metadata
        }
    }

    /// Grows a topic to `count` partitions if it still has `expected` (so two concurrent
    /// requests cannot both grow it, and its configs are left exactly as they are). The new
    /// partitions' directories are created before the count is stored (atomically), so a crash
    /// in between leaves the old count and empty directories that the next growth reuses.
    /// Throws `unknownTopic`, or `invalidConfig` when the count changed meanwhile or would not grow.
    @discardableResult
    public func addPartitions(_ name: String, to count: Int32, ifCurrently expected: Int32) throws(LogStorageError) -> TopicMetadata {
        try state.withLock { state throws(LogStorageError) -> TopicMetadata in
            if state.closed { throw .closed }
            guard var entry = state.topics[name] else { throw .unknownTopic(name) }
            let current = entry.metadata.config.partitionCount
            guard current == expected else { throw .invalidConfig("topic \(name) has \(current) partitions now, not \(expected)") }
            guard count > current, count <= 100_000 else {
                throw .invalidConfig("partition count must grow from \(current) and stay at most 100000, got \(count)")
            }
            let log = try entry.metadata.config.logConfig(layers: state.layers)
            for partition in current..<count {
                entry.partitions.append(try openPartition(topic: name, partition: partition, config: log))
            }
            try fileSystem.syncDirectory(topicDirectory(name))
            entry.metadata.config.partitionCount = count
            try fileSystem.writeAtomically(entry.metadata.serialized(), to: StoragePath.join(topicDirectory(name), TopicMetadata.fileName))
            state.topics[name] = entry
            logger.info("topic \(name): \(current) → \(count) partitions")
            return entry.metadata
        }
    }

    /// Deletes a topic and all its data. Throws `unknownTopic`.
    public func deleteTopic(_ name: String) throws(LogStorageError) {
        let graveyard = try state.withLock { state throws(LogStorageError) -> String in
            if state.closed { throw .closed }
            guard let entry = state.topics.removeValue(forKey: name) else { throw .unknownTopic(name) }
            for log in entry.partitions { log.markDeleted() }
            let suffix = TopicMetadata.randomID().prefix(6).map { String($0, radix: 16) }.joined()
            let graveyard = StoragePath.join(deletedDirectory, name + "-" + suffix)
            try fileSystem.rename(topicDirectory(name), to: graveyard)
            try fileSystem.syncDirectory(topicsDirectory)
            try fileSystem.syncDirectory(deletedDirectory)
            return graveyard
        }
        try fileSystem.removeTree(graveyard)
        logger.info("deleted topic \(name)")
    }

    /// Opens (creating if needed) a log of the broker's own, outside the topic namespace, at
    /// `<data>/internal/<name>` (committed offsets, producer ids). The caller owns and closes it.
    public func openInternalLog(name: String, config: LogConfig) throws(LogStorageError) -> PartitionLog {
        guard TopicMetadata.isValidName(name) else { throw .invalidTopicName(name) }
        let log = try PartitionLog.open(directory: StoragePath.join(StoragePath.join(dataDirectory, "internal"), name),
                                        config: config, fileSystem: fileSystem, time: time, logger: logger.named("log"))
        // Registered so the log cleaner compacts it too (when its policy says so).
        internalLogs.withLock { $0[name] = log }
        return log
    }

    /// The broker's own logs opened through `openInternalLog`, by name.
    private let internalLogs = Mutex<[String: PartitionLog]>([:])

    /// Every open log the cleaner may compact: the topics' partitions and the broker's own logs
    /// (as `internal/<name>`, partition 0).
    public var compactableLogs: [(topic: String, partition: Int32, log: PartitionLog)] {
        allPartitions + internalLogs.withLock { logs in logs.map { ("internal/\($0.key)", 0, $0.value) } }
    }

    /// A small file of the broker's own under `<data>/internal/`, or nil if absent.
    public func readInternalFile(_ name: String) throws(LogStorageError) -> [UInt8]? {
        try fileSystem.readSmallFile(StoragePath.join(StoragePath.join(dataDirectory, "internal"), name))
    }

    /// Replaces a small file of the broker's own under `<data>/internal/`, atomically and durably.
    public func writeInternalFile(_ name: String, _ bytes: [UInt8]) throws(LogStorageError) {
        let directory = StoragePath.join(dataDirectory, "internal")
        try fileSystem.createDirectory(directory)
        try fileSystem.writeAtomically(bytes, to: StoragePath.join(directory, name))
    }

    // MARK: maintenance

    /// Every open partition log.
    public var allPartitions: [(topic: String, partition: Int32, log: PartitionLog)] {
        state.withLock { state in
            state.topics.values.flatMap { entry in
                entry.partitions.enumerated().map { (entry.metadata.name, Int32($0.offset), $0.element) }
            }
        }
    }

    /// Syncs partitions whose `interval` has passed (see `PartitionLog.flushIfDue`). Errors are
    /// logged, not thrown: one failing partition must not stop the others.
    public func flushDuePartitions() {
        for (topic, partition, log) in allPartitions {
            do { try log.flushIfDue() } catch {
                logger.error("flush of \(topic)-\(partition) failed: \(error)")
            }
        }
    }

    /// Applies retention to every partition; returns the number of segments deleted.
    @discardableResult
    public func applyRetention() -> Int {
        var deleted = 0
        for (topic, partition, log) in allPartitions {
            do { deleted += try log.applyRetention() } catch {
                logger.error("retention of \(topic)-\(partition) failed: \(error)")
            }
        }
        return deleted
    }

    /// Starts a background timer that runs `flushDuePartitions` every `flushTickMillis` and
    /// `applyRetention` every `retentionCheckMillis`. Stopped by `close()`.
    public func startMaintenance(flushTickMillis: Int = 10, retentionCheckMillis: Int = 300_000) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "kaffee.log-maintenance"))
        let ticksPerRetention = max(1, retentionCheckMillis / max(1, flushTickMillis))
        let counter = Mutex(0)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.flushDuePartitions()
            let due = counter.withLock { count -> Bool in
                count += 1
                if count >= ticksPerRetention { count = 0; return true }
                return false
            }
            if due { self.applyRetention() }
        }
        timer.schedule(deadline: .now() + .milliseconds(flushTickMillis), repeating: .milliseconds(flushTickMillis))
        timer.resume()
        let box = MaintenanceTimer(timer)
        maintenance.withLock { current in
            current?.source.cancel()
            current = box
        }
    }

    /// Stops maintenance and closes every partition cleanly (see `PartitionLog.close`). The
    /// first error is thrown after every partition was tried.
    public func close() throws(LogStorageError) {
        maintenance.withLock { timer in
            timer?.source.cancel()
            timer = nil
        }
        let partitions = state.withLock { state in
            state.closed = true
            return state.topics.values.flatMap(\.partitions)
        }
        var firstError: LogStorageError?
        for log in partitions {
            do { try log.close() } catch {
                logger.error("closing \(log.directory) failed: \(error)")
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }
}
