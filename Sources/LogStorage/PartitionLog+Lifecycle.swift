internal import SystemIO

extension PartitionLog {
    /// Creates the log of a new, empty partition in `directory`, which must not hold a log: an
    /// empty first segment and a clean checkpoint (so neither this run nor the next open has
    /// anything to recover or rewrite). Nothing is synced: the caller makes the files durable
    /// (`syncAll`) before the partition counts as existing (`LogStore` writes `topic.conf` after).
    static func create(directory: String, config: LogConfig, fileSystem: any StorageFileSystem, files: SegmentFileCache,
                       time: any TimeSource, logger: Logger) throws(LogStorageError) -> PartitionLog {
        try config.validate()
        try fileSystem.createDirectory(directory)
        let path = StoragePath.join(directory, SegmentFileName.stem(0) + SegmentFileName.logSuffix)
        // Created, then let go: the segment opens it again when first used.
        try fileSystem.openFile(path, create: true).truncate(to: 0)
        let checkpoint = PartitionCheckpoint(clean: true, logStartOffset: 0, recoveryPoint: 0, logEndOffset: 0, activeSegment: 0, activeSize: 0)
        try fileSystem.writeFileContents(checkpoint.serialized(), to: StoragePath.join(directory, PartitionCheckpoint.fileName), sync: false)
        let segment = LogSegment(baseOffset: 0, file: files.handle(path, fileSystem: fileSystem), directory: directory, size: 0,
                                 nextOffset: 0, index: OffsetIndex(), timeIndex: TimeIndex(), maxTimestamp: -1,
                                 rollBaseTimestamp: time.wallMillis())
        var state = State(config: config, segments: [segment], logStartOffset: 0, durableOffset: 0, durableSegment: 0,
                          durablePosition: 0, recoveryPoint: 0, lastSyncNanos: time.monotonicNanos())
        state.cleanOnDisk = true
        return PartitionLog(directory: directory, fileSystem: fileSystem, files: files, time: time, logger: logger, state: state)
    }

    /// Rewrites `partition.checkpoint` unclean before the first change on disk since a clean
    /// open (append, roll, segment deletion, compaction swap), so that a crash after it is never
    /// taken for a clean shutdown. A flag check once done. Call under the state lock.
    func markDirty(_ state: inout State) throws(LogStorageError) {
        guard state.cleanOnDisk else { return }
        try writeCheckpoint(state, clean: false)
        state.cleanOnDisk = false
    }

    /// The first half of a clean close of many logs at once (`LogStore.close`): what `close()`
    /// does, without a single sync. It writes the active segment's indexes in place, and the
    /// producer snapshot and a clean checkpoint as `.tmp` files, and returns the renames that
    /// put those in place. The caller then syncs everything (`syncAll`), renames in order and
    /// syncs again: a crash before the renames leaves the log unclean (its `.tmp` files are
    /// dropped by the next open), after them clean with every byte durable. A log still clean
    /// on disk has nothing to write (no renames). Later calls throw `closed`.
    func closeWithoutSyncing() throws(LogStorageError) -> [(from: String, to: String)] {
        try state.withLock { state throws(LogStorageError) -> [(from: String, to: String)] in
            guard !state.closed else { return [] }
            if let failure = state.failure { throw failure }
            guard !state.cleanOnDisk else {
                state.closed = true
                return []
            }
            let active = state.active
            if state.config.preallocate { try active.file.truncate(to: active.size) }
            try active.writeIndexes(to: fileSystem, sync: false)
            let snapshotPath = StoragePath.join(directory, Self.producerSnapshotName)
            try fileSystem.writeFileContents(state.producers.serialized(upTo: state.logEndOffset), to: snapshotPath + ".tmp", sync: false)
            state.durableOffset = active.nextOffset
            let checkpoint = PartitionCheckpoint(
                clean: true, logStartOffset: state.logStartOffset, recoveryPoint: state.recoveryPoint,
                logEndOffset: state.logEndOffset, activeSegment: active.baseOffset, activeSize: active.size)
            let checkpointPath = StoragePath.join(directory, PartitionCheckpoint.fileName)
            try fileSystem.writeFileContents(checkpoint.serialized(), to: checkpointPath + ".tmp", sync: false)
            state.closed = true
            // The snapshot first: the checkpoint's rename is what declares the log clean.
            return [(snapshotPath + ".tmp", snapshotPath), (checkpointPath + ".tmp", checkpointPath)]
        }
    }

    /// Lets go of every segment file for good (the log's topic is being deleted): the cache
    /// closes them once no reader holds them, and none is opened again.
    func releaseFiles() {
        let segments = state.withLock { $0.segments }
        for segment in segments { segment.logFile.retire() }
    }
}
