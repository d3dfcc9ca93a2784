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
/// creation) is removed at open, and a creation that fails removes what it made. Deletion
/// renames the topic's directory into `deleted/` (atomic), then removes it.
///
/// Open files stay bounded whatever the number of partitions: segment files are opened on
/// demand through one `SegmentFileCache` of `maxOpenFiles` (see there for readers holding
/// files). Opening, creating and closing many partitions is done on all cores with one
/// file-system sync for all of them (`syncAll`) instead of fsyncs per partition.
///
/// Thread-safety: every method may be called from any thread. `state` guards the topic table
/// and is held only briefly, so lookups never wait for file work; `admin` serialises the
/// changes to the table (create, grow, update, delete, close), which do their file work outside
/// `state`. Lock order: admin, then state, then a partition's locks, then the file cache.
public final class LogStore: Sendable {
    /// The data directory.
    public let dataDirectory: String
    let fileSystem: any StorageFileSystem
    let time: any TimeSource
    let logger: Logger
    /// The segment files of every partition (and of the broker's own logs).
    public let files: SegmentFileCache
    /// The logs with appends awaiting an `interval` sync: all the flusher looks at.
    let pendingFlushes = PendingFlushes()
    let state: Mutex<State>
    let admin = Mutex(())
    let maintenance = Mutex<MaintenanceTimer?>(nil)

    /// Dispatch sources are thread-safe but not marked `Sendable`.
    final class MaintenanceTimer: @unchecked Sendable {
        let source: any DispatchSourceTimer
        init(_ source: any DispatchSourceTimer) { self.source = source }
    }

    struct Topic {
        var metadata: TopicMetadata
        var partitions: [PartitionLog]
    }

    /// One partition log with its topic and number.
    public typealias PartitionEntry = (topic: String, partition: Int32, log: PartitionLog)

    struct State {
        var topics: [String: Topic] = [:]
        var closed = false
        /// The broker-level values topics fall back on.
        var layers = BrokerConfigLayers()
        /// Every topic's metadata sorted by name, and every partition: derived from `topics`
        /// by `topicsChanged()` so readers get them without work.
        var sortedTopics: [TopicMetadata] = []
        var partitionList: [PartitionEntry] = []

        mutating func topicsChanged() {
            sortedTopics = topics.values.map(\.metadata).sorted { $0.name < $1.name }
            partitionList = sortedTopics.flatMap { metadata in
                (topics[metadata.name]?.partitions ?? []).enumerated().map { (metadata.name, Int32($0.offset), $0.element) }
            }
        }
    }

    var topicsDirectory: String { StoragePath.join(dataDirectory, "topics") }
    var deletedDirectory: String { StoragePath.join(dataDirectory, "deleted") }
    func topicDirectory(_ name: String) -> String { StoragePath.join(topicsDirectory, name) }

    private init(dataDirectory: String, fileSystem: any StorageFileSystem, time: any TimeSource, logger: Logger,
                 layers: BrokerConfigLayers, maxOpenFiles: Int) {
        self.dataDirectory = dataDirectory
        self.fileSystem = fileSystem
        self.time = time
        self.logger = logger
        self.files = SegmentFileCache(capacity: maxOpenFiles)
        self.state = Mutex(State(layers: layers))
    }

    /// Opens the store, recovering every partition (see `PartitionLog.open`). `layers` are the
    /// broker-level config values topics fall back on (see `updateLayers`); at most
    /// `maxOpenFiles` segment files are kept open (`SegmentFileCache`).
    public static func open(
        dataDirectory: String,
        fileSystem: any StorageFileSystem = PosixFileSystem(),
        time: any TimeSource = SystemTimeSource(),
        logger: Logger = Logger(component: "storage"),
        layers: BrokerConfigLayers = BrokerConfigLayers(),
        maxOpenFiles: Int = SegmentFileCache.defaultCapacity
    ) throws(LogStorageError) -> LogStore {
        let store = LogStore(dataDirectory: dataDirectory, fileSystem: fileSystem, time: time, logger: logger, layers: layers,
                             maxOpenFiles: maxOpenFiles)
        try store.load()
        return store
    }

    /// Reads every topic and opens its partitions, all topics' partitions at once on all cores;
    /// the syncs recovery owes before anything is served are made by one `syncAll` at the end
    /// (see `PartitionLog.open(..., syncing:)`).
    private func load() throws(LogStorageError) {
        let started = time.monotonicNanos()
        try fileSystem.createDirectory(topicsDirectory)
        try fileSystem.removeTree(deletedDirectory)
        try fileSystem.createDirectory(deletedDirectory)
        var found: [(metadata: TopicMetadata, config: LogConfig)] = []
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
            do {
                found.append((metadata, try metadata.config.logConfig(layers: state.withLock { $0.layers })))
            } catch {
                throw .corrupt(path: metadataPath, position: 0, reason: "\(error)")
            }
        }
        let work = found.flatMap { topic in (0..<topic.metadata.config.partitionCount).map { (topic.metadata.name, $0, topic.config) } }
        let opened: [(log: PartitionLog, owesSync: Bool)]
        do {
            opened = try ConcurrentWork.map(work.count) { [self] index throws(LogStorageError) in
                let (topic, partition, config) = work[index]
                return try PartitionLog.open(directory: partitionDirectory(topic, partition), config: config, fileSystem: fileSystem,
                                             time: time, logger: logger.named("log"), files: files, pendingFlushes: pendingFlushes,
                                             syncing: false)
            }
        } catch {
            throw error.error
        }
        if opened.contains(where: \.owesSync) { try fileSystem.syncAll(dataDirectory) }
        let logs = opened.map(\.log)
        var topics: [String: Topic] = [:]
        var next = 0
        for (metadata, _) in found {
            let count = Int(metadata.config.partitionCount)
            topics[metadata.name] = Topic(metadata: metadata, partitions: Array(logs[next..<(next + count)]))
            next += count
        }
        let millis = (time.monotonicNanos() - started) / 1_000_000
        logger.info("opened \(dataDirectory): \(topics.count) topics, \(logs.count) partitions in \(millis) ms")
        state.withLock { state in
            state.topics = topics
            state.topicsChanged()
        }
    }

    func partitionDirectory(_ topic: String, _ partition: Int32) -> String {
        StoragePath.join(topicDirectory(topic), String(partition))
    }

    // MARK: topics

    /// Every topic's metadata, sorted by name.
    public var topics: [TopicMetadata] {
        state.withLock { $0.sortedTopics }
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

    /// Every open partition log, by topic name and partition number.
    public var allPartitions: [PartitionEntry] {
        state.withLock { $0.partitionList }
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
                for partition in entry.partitions { partition.apply(log) }
            } catch {
                logger.error("topic \(entry.metadata.name) keeps its settings: \(error)")
            }
        }
    }

    /// The storage settings a topic with `config` gets now; throws `invalidConfig`.
    public func logConfig(for config: TopicConfig) throws(LogStorageError) -> LogConfig {
        try config.logConfig(layers: layers)
    }

    // MARK: the broker's own logs and files

    /// Opens (creating if needed) a log of the broker's own, outside the topic namespace, at
    /// `<data>/internal/<name>` (committed offsets, producer ids). The caller owns and closes it.
    public func openInternalLog(name: String, config: LogConfig) throws(LogStorageError) -> PartitionLog {
        guard TopicMetadata.isValidName(name) else { throw .invalidTopicName(name) }
        let log = try PartitionLog.open(directory: StoragePath.join(StoragePath.join(dataDirectory, "internal"), name),
                                        config: config, fileSystem: fileSystem, time: time, logger: logger.named("log"), files: files,
                                        pendingFlushes: pendingFlushes, syncing: true).log
        // Registered so the log cleaner compacts it too (when its policy says so).
        internalLogs.withLock { $0[name] = log }
        return log
    }

    /// The broker's own logs opened through `openInternalLog`, by name.
    private let internalLogs = Mutex<[String: PartitionLog]>([:])

    /// Every open log the cleaner may compact: the topics' partitions and the broker's own logs
    /// (as `internal/<name>`, partition 0).
    public var compactableLogs: [PartitionEntry] {
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
}
