internal import SystemIO

extension PartitionLog {
    /// Creates the log of a new, empty partition in `directory`, which must not hold a log: an
    /// empty first segment and a clean checkpoint (so neither this run nor the next open has
    /// anything to recover or rewrite). Nothing is synced: the caller makes the files durable
    /// (`syncAll`) before the partition counts as existing (`LogStore` writes `topic.conf` after).
    static func create(directory: String, config: LogConfig, fileSystem: any StorageFileSystem, files: SegmentFileCache,
                       pendingFlushes: PendingFlushes, time: any TimeSource, logger: Logger) throws(LogStorageError) -> PartitionLog {
        try config.validate()
        try fileSystem.createDirectory(directory)
        let path = StoragePath.join(directory, SegmentFileName.stem(0) + SegmentFileName.logSuffix)
        // Created (the directory is new: nothing to truncate), then let go: the segment opens it
        // again when first used.
        _ = try fileSystem.openFile(path, create: true)
        let checkpoint = PartitionCheckpoint(clean: true, logStartOffset: 0, recoveryPoint: 0, logEndOffset: 0, activeSegment: 0,
                                             activeSize: 0, producerStateAt: 0)
        let checkpointFile = try CheckpointFile.create(checkpoint, path: StoragePath.join(directory, PartitionCheckpoint.fileName),
                                                       fileSystem: fileSystem)
        let segment = LogSegment(baseOffset: 0, file: files.handle(path, fileSystem: fileSystem), directory: directory, size: 0,
                                 nextOffset: 0, index: OffsetIndex(), timeIndex: TimeIndex(), maxTimestamp: -1,
                                 rollBaseTimestamp: time.wallMillis())
        var state = State(config: config, segments: [segment], logStartOffset: 0, durableOffset: 0, durableSegment: 0,
                          durablePosition: 0, recoveryPoint: 0, lastSyncNanos: time.monotonicNanos(), checkpointFile: checkpointFile)
        state.cleanOnDisk = true
        state.snapshotChanges = state.producers.changes
        return PartitionLog(directory: directory, fileSystem: fileSystem, files: files, pendingFlushes: pendingFlushes,
                            time: time, logger: logger, state: state)
    }

    /// Rewrites `partition.checkpoint` unclean before the first change on disk since a clean
    /// open (append, roll, segment deletion, compaction swap), so that a crash after it is never
    /// taken for a clean shutdown. A flag check once done. Call under the state lock.
    ///
    /// The rewrite is in place (`CheckpointFile`) and not synced, so the first append after a
    /// start costs no fsync: after a power cut the clean checkpoint may be back, but it names
    /// the active segment and its size, and any appended byte that reached the disk changed
    /// that size, so the open still recovers (`LogOpener.isClean`); a roll or a deletion
    /// writes a synced checkpoint.
    func markDirty(_ state: inout State) throws(LogStorageError) {
        guard state.cleanOnDisk else { return }
        let checkpoint = PartitionCheckpoint(
            clean: false, logStartOffset: state.logStartOffset, recoveryPoint: state.recoveryPoint,
            logEndOffset: state.logEndOffset, activeSegment: state.active.baseOffset, activeSize: state.active.size)
        try state.checkpointFile.write(checkpoint, sync: false)
        state.cleanOnDisk = false
    }

    /// Puts the log in the store's `pendingFlushes` when its appends wait for an `interval`
    /// sync. Call under the state lock.
    func notePendingFlush(_ state: inout State) {
        guard !state.awaitingFlush, case .interval = state.config.durability else { return }
        state.awaitingFlush = true
        pendingFlushes.insert(self)
    }

    /// Applies a new configuration (`updateConfig`) and, if it makes the log `interval` with
    /// appends not synced yet, puts it in `pendingFlushes` so the flusher syncs them.
    func apply(_ config: LogConfig) {
        updateConfig(config)
        state.withLock { state in
            if state.durableOffset < state.logEndOffset { notePendingFlush(&state) }
        }
    }

    /// Takes the log out of `pendingFlushes` once nothing appended waits for an `interval` sync
    /// (the flusher calls it after `flushIfDue`).
    func forgetIfSynced() {
        state.withLock { state in
            guard state.awaitingFlush else { return }
            let interval = if case .interval = state.config.durability { true } else { false }
            guard !interval || state.durableOffset >= state.logEndOffset || state.closed || state.failure != nil else { return }
            state.awaitingFlush = false
            pendingFlushes.remove(self)
        }
    }

    /// Active segments up to this size get no index files at a clean close; the next open
    /// scans them instead (cheaper than two more files per partition).
    static let smallActiveSegment: Int64 = 16 << 10

    /// The first half of a clean close of many logs at once (`LogStore.close`): everything
    /// `close()` makes durable, written without a single sync: the active segment's indexes
    /// and the producer snapshot if the producers changed since it was written, neither for a
    /// small active segment (the next open reads it whole anyway: its batches rebuild both). The caller then syncs everything (`syncAll`), calls `finishClose()` and
    /// syncs again: a crash before that leaves the log unclean, after it clean with every byte
    /// durable. Returns whether `finishClose()` has anything to do (not for a log still clean
    /// on disk). Later calls throw `closed`.
    func prepareClose() throws(LogStorageError) -> Bool {
        try state.withLock { state throws(LogStorageError) -> Bool in
            guard !state.closed else { return false }
            if let failure = state.failure { throw failure }
            state.closed = true
            guard !state.cleanOnDisk else { return false }
            let active = state.active
            if state.config.preallocate { try active.file.truncate(to: active.size) }
            if active.size > Self.smallActiveSegment {
                try active.writeIndexes(to: fileSystem, sync: false)
            } else if active.hasIndexFiles {
                // Index files left from an earlier close would describe less than the segment holds.
                for path in [active.indexPath, active.timeIndexPath] where fileSystem.fileExists(path) { try fileSystem.removeFile(path) }
                active.hasIndexFiles = false
            }
            if state.producers.changes != state.snapshotChanges && active.size > Self.smallActiveSegment {
                let path = StoragePath.join(directory, Self.producerSnapshotName)
                try fileSystem.writeFileContents(state.producers.serialized(upTo: state.logEndOffset), to: path + ".tmp", sync: false)
                try fileSystem.rename(path + ".tmp", to: path)
                state.snapshotChanges = state.producers.changes
            }
            state.durableOffset = active.nextOffset
            return true
        }
    }

    /// The second half (see `prepareClose`), once everything it wrote is durable: the clean
    /// checkpoint, in place and unsynced (the caller syncs).
    func finishClose() throws(LogStorageError) {
        try state.withLock { state throws(LogStorageError) in
            let checkpoint = PartitionCheckpoint(
                clean: true, logStartOffset: state.logStartOffset, recoveryPoint: state.recoveryPoint,
                logEndOffset: state.logEndOffset, activeSegment: state.active.baseOffset, activeSize: state.active.size,
                producerStateAt: state.producers.changes == state.snapshotChanges ? state.logEndOffset : nil)
            try state.checkpointFile.write(checkpoint, sync: false)
            state.cleanOnDisk = true
        }
    }

    /// Lets go of every segment file for good (the log's topic is being deleted): the cache
    /// closes them once no reader holds them, and none is opened again.
    func releaseFiles() {
        let segments = state.withLock { $0.segments }
        for segment in segments { segment.logFile.retire() }
    }
}
