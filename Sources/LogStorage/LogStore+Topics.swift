internal import SystemIO

extension LogStore {
    /// The most partitions a topic may have.
    public static let maxPartitionsPerTopic: Int32 = 100_000

    /// Creates a topic durably. Throws `topicAlreadyExists`, `invalidTopicName`, `invalidConfig`
    /// (also for a partition count outside 1...`maxPartitionsPerTopic`), or the storage error
    /// that stopped it (its message names the partition and says nothing was kept).
    ///
    /// The partitions are created on all cores and made durable by one `syncAll`; `topic.conf`
    /// is written last, atomically: the topic exists from then on. A failure anywhere removes
    /// whatever was made, so no half-created topic is left, in memory or on disk. Lookups and
    /// the other topics' traffic go on meanwhile; other changes to topics wait.
    @discardableResult
    public func createTopic(_ name: String, config: TopicConfig) throws(LogStorageError) -> TopicMetadata {
        guard TopicMetadata.isValidName(name) else { throw .invalidTopicName(name) }
        try Self.checkPartitionCount(config.partitionCount)
        return try admin.withLock { _ throws(LogStorageError) -> TopicMetadata in
            let log = try state.withLock { state throws(LogStorageError) -> LogConfig in
                if state.closed { throw .closed }
                guard state.topics[name] == nil else { throw .topicAlreadyExists(name) }
                return try config.logConfig(layers: state.layers)
            }
            let directory = topicDirectory(name)
            let metadata = TopicMetadata(name: name, id: TopicMetadata.randomID(), config: config)
            let partitions: [PartitionLog]
            do throws(LogStorageError) {
                // Leftovers of an interrupted creation in this same run are not a topic yet.
                try fileSystem.removeTree(directory)
                try fileSystem.createDirectory(directory)
                partitions = try createPartitions(of: name, 0..<config.partitionCount, config: log, fresh: true)
                try fileSystem.writeAtomically(metadata.serialized(), to: StoragePath.join(directory, TopicMetadata.fileName))
                try fileSystem.syncDirectory(topicsDirectory)
            } catch {
                let reported = Self.describeFailure(error, creating: name)
                abandonCreation(of: name, directory: directory, because: reported)
                throw reported
            }
            state.withLock { state in
                state.topics[name] = Topic(metadata: metadata, partitions: partitions)
                state.topicsChanged()
            }
            logger.info("created topic \(name) with \(config.partitionCount) partitions")
            return metadata
        }
    }

    /// Refuses partition counts outside 1...`maxPartitionsPerTopic` before anything is allocated.
    static func checkPartitionCount(_ count: Int32) throws(LogStorageError) {
        guard count > 0 && count <= maxPartitionsPerTopic else {
            throw .invalidConfig("partition count must be between 1 and \(maxPartitionsPerTopic), got \(count)")
        }
    }

    /// Creates the logs of partitions `range` of `topic` (see `PartitionLog.create`) on all
    /// cores, then makes them durable at once. Throws the first failure, naming its partition.
    /// Unless the topic directory is `fresh`, directories left by an interrupted growth are
    /// replaced (they never held a visible partition).
    func createPartitions(of topic: String, _ range: Range<Int32>, config: LogConfig, fresh: Bool = false) throws(LogStorageError) -> [PartitionLog] {
        let logs: [PartitionLog]
        do {
            logs = try ConcurrentWork.map(range.count) { [self] index throws(LogStorageError) in
                let partition = range.lowerBound + Int32(index)
                let directory = partitionDirectory(topic, partition)
                if !fresh && fileSystem.directoryExists(directory) { try fileSystem.removeTree(directory) }
                return try PartitionLog.create(directory: directory, config: config, fileSystem: fileSystem, files: files,
                                               pendingFlushes: pendingFlushes,
                                               time: time, logger: logger.named("log"))
            }
        } catch {
            throw Self.describeFailure(error.error, partition: range.lowerBound + Int32(error.index), of: range.upperBound)
        }
        try fileSystem.syncAll(topicDirectory(topic))
        return logs
    }

    /// Removes what a failed creation made; a failure to do so is logged (the next open removes
    /// a topic directory without `topic.conf` anyway).
    private func abandonCreation(of name: String, directory: String, because error: LogStorageError) {
        logger.error("creating topic \(name) failed, removing what was made: \(error)")
        do {
            try fileSystem.removeTree(directory)
            try fileSystem.syncDirectory(topicsDirectory)
        } catch {
            logger.error("removing \(directory) failed (it is removed at the next start): \(error)")
        }
    }

    /// A system error with the partition it happened at, so a client sees where and why.
    static func describeFailure(_ error: LogStorageError, partition: Int32, of count: Int32) -> LogStorageError {
        guard case .system(let cause) = error else { return error }
        return .system(SystemError(code: cause.code, operation: "creating partition \(partition) of \(count): \(cause.operation)", path: cause.path))
    }

    /// A system error saying the topic was not created.
    static func describeFailure(_ error: LogStorageError, creating topic: String) -> LogStorageError {
        guard case .system(let cause) = error else { return error }
        return .system(SystemError(code: cause.code, operation: "topic \(topic) not created (nothing kept): \(cause.operation)", path: cause.path))
    }

    /// Replaces a topic's configuration (the partition count may only grow; new partitions are
    /// created). Applies to the partitions at once.
    @discardableResult
    public func updateTopic(_ name: String, config: TopicConfig) throws(LogStorageError) -> TopicMetadata {
        try admin.withLock { _ throws(LogStorageError) -> TopicMetadata in
            let (entry, log) = try state.withLock { state throws(LogStorageError) -> (Topic, LogConfig) in
                if state.closed { throw .closed }
                let log = try config.logConfig(layers: state.layers)
                guard let entry = state.topics[name] else { throw .unknownTopic(name) }
                return (entry, log)
            }
            let current = entry.metadata.config.partitionCount
            guard config.partitionCount >= current, config.partitionCount <= Self.maxPartitionsPerTopic else {
                throw .invalidConfig("partition count can only grow (from \(current)), got \(config.partitionCount)")
            }
            var updated = entry
            updated.partitions += try createPartitions(of: name, current..<config.partitionCount, config: log)
            updated.metadata.config = config
            try fileSystem.writeAtomically(updated.metadata.serialized(), to: StoragePath.join(topicDirectory(name), TopicMetadata.fileName))
            for partition in updated.partitions { partition.apply(log) }
            state.withLock { state in
                state.topics[name] = updated
                state.topicsChanged()
            }
            return updated.metadata
        }
    }

    /// Grows a topic to `count` partitions if it still has `expected` (so two concurrent
    /// requests cannot both grow it, and its configs are left exactly as they are). The new
    /// partitions are created and made durable before the count is stored (atomically), so a
    /// crash in between leaves the old count and directories that the next growth replaces.
    /// Throws `unknownTopic`, or `invalidConfig` when the count changed meanwhile or would not grow.
    @discardableResult
    public func addPartitions(_ name: String, to count: Int32, ifCurrently expected: Int32) throws(LogStorageError) -> TopicMetadata {
        try admin.withLock { _ throws(LogStorageError) -> TopicMetadata in
            let (entry, log) = try state.withLock { state throws(LogStorageError) -> (Topic, LogConfig) in
                if state.closed { throw .closed }
                guard let entry = state.topics[name] else { throw .unknownTopic(name) }
                return (entry, try entry.metadata.config.logConfig(layers: state.layers))
            }
            let current = entry.metadata.config.partitionCount
            guard current == expected else { throw .invalidConfig("topic \(name) has \(current) partitions now, not \(expected)") }
            guard count > current, count <= Self.maxPartitionsPerTopic else {
                throw .invalidConfig("partition count must grow from \(current) and stay at most \(Self.maxPartitionsPerTopic), got \(count)")
            }
            var grown = entry
            grown.partitions += try createPartitions(of: name, current..<count, config: log)
            grown.metadata.config.partitionCount = count
            try fileSystem.writeAtomically(grown.metadata.serialized(), to: StoragePath.join(topicDirectory(name), TopicMetadata.fileName))
            state.withLock { state in
                state.topics[name] = grown
                state.topicsChanged()
            }
            logger.info("topic \(name): \(current) → \(count) partitions")
            return grown.metadata
        }
    }

    /// Deletes a topic and all its data. Throws `unknownTopic`.
    public func deleteTopic(_ name: String) throws(LogStorageError) {
        let graveyard = try admin.withLock { _ throws(LogStorageError) -> String in
            let entry = try state.withLock { state throws(LogStorageError) -> Topic in
                if state.closed { throw .closed }
                guard let entry = state.topics.removeValue(forKey: name) else { throw .unknownTopic(name) }
                state.topicsChanged()
                return entry
            }
            for log in entry.partitions {
                log.markDeleted()
                log.releaseFiles()
            }
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
}
