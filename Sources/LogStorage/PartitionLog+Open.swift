public import SystemIO
internal import KafkaRecords

extension PartitionLog {
    /// Opens (creating if needed) the partition log in `directory` and recovers it.
    ///
    /// After a clean shutdown nothing is scanned, nothing is written, and no segment file is
    /// opened until it is used; the checkpoint stays clean until the first change (`markDirty`).
    /// Otherwise every segment from the recovery point on is scanned batch by batch
    /// (`SegmentScanner`); the first invalid batch and everything after it (including later
    /// segments) is removed, and each problem is logged with the file and byte position.
    /// Damaged or missing index files are rebuilt from the log.
    ///
    /// Segment files are opened through `files` (a private cache of the default size when nil;
    /// a store passes its own, shared by all its partitions).
    public static func open(
        directory: String,
        config: LogConfig,
        fileSystem: any StorageFileSystem,
        time: any TimeSource = SystemTimeSource(),
        logger: Logger = Logger(component: "log"),
        files: SegmentFileCache? = nil
    ) throws(LogStorageError) -> PartitionLog {
        try open(directory: directory, config: config, fileSystem: fileSystem, time: time, logger: logger,
                 files: files ?? SegmentFileCache(), pendingFlushes: PendingFlushes(), syncing: true).log
    }

    /// `open`, where `syncing: false` leaves the syncs recovery owes (truncated segments, index
    /// files, directory entries) to the caller: a store opening thousands of partitions syncs
    /// once for all of them (`syncAll`), and only when `owesSync` for some log before it is
    /// used. That is a log recovered under `durability=always`, whose recovered data readers
    /// see at once; a log recovered under `interval` is synced by the flusher within its
    /// `flush.ms` (it is put in `pendingFlushes`), under `never` at its next roll or close,
    /// as their appends are.
    static func open(directory: String, config: LogConfig, fileSystem: any StorageFileSystem, time: any TimeSource,
                     logger: Logger, files: SegmentFileCache, pendingFlushes: PendingFlushes,
                     syncing: Bool) throws(LogStorageError) -> (log: PartitionLog, owesSync: Bool) {
        try config.validate()
        let opener = LogOpener(directory: directory, config: config, fileSystem: fileSystem, files: files, time: time,
                               logger: logger, syncing: syncing)
        var (state, checkpointStale, clean) = try opener.recover()
        let deferred = !syncing && !clean && config.durability != .always
        if deferred {
            // Recovered data not synced yet: the flusher, a roll or the close syncs it.
            state.durableOffset = state.active.baseOffset
            state.durableSegment = state.active.baseOffset
            state.durablePosition = 0
        }
        let log = PartitionLog(directory: directory, fileSystem: fileSystem, files: files, pendingFlushes: pendingFlushes,
                               time: time, logger: logger, state: state)
        // A recovered log's checkpoint must say unclean and where to scan from after the next
        // crash; it usually does already (written unclean before the first change).
        if checkpointStale { try log.writeCheckpoint(state, clean: false) }
        if deferred { log.state.withLock { log.notePendingFlush(&$0) } }
        return (log, !syncing && !clean && !deferred)
    }
}

/// The steps of `PartitionLog.open`, kept apart from the running log's code.
struct LogOpener {
    let directory: String
    let config: LogConfig
    let fileSystem: any StorageFileSystem
    let files: SegmentFileCache
    let time: any TimeSource
    let logger: Logger
    /// False: leave syncs to the caller (see `PartitionLog.open(..., syncing:)`).
    let syncing: Bool

    func path(_ name: String) -> String { StoragePath.join(directory, name) }

    func handle(_ base: Int64) -> SegmentFile {
        files.handle(path(SegmentFileName.stem(base) + SegmentFileName.logSuffix), fileSystem: fileSystem)
    }

    /// The recovered state, whether the checkpoint on disk must be rewritten (unclean), and
    /// whether the log was closed cleanly (nothing was scanned or changed).
    func recover() throws(LogStorageError) -> (state: PartitionLog.State, checkpointStale: Bool, clean: Bool) {
        var names: Set<String>
        do {
            names = Set(try fileSystem.listDirectory(directory))
        } catch .system(let error) where error.isNotFound {
            try fileSystem.createDirectory(directory)
            names = []
        }
        if names.contains(CleanerSwapManifest.fileName) {
            try finishCompactionSwap()
            names = Set(try fileSystem.listDirectory(directory))
        }
        var logBases: [Int64] = []
        var indexFiles: [(name: String, base: Int64)] = []
        for name in names {
            if name.hasSuffix(".tmp") || name.hasSuffix(PartitionLog.deletedSuffix) || name.hasSuffix(CleanerSwapManifest.cleanedSuffix) {
                // Unfinished atomic writes, files retired before the crash, and the output of a
                // compaction that was not committed (see `finishCompactionSwap`).
                try fileSystem.removeFile(path(name))
            } else if let base = SegmentFileName.baseOffset(of: name, suffix: SegmentFileName.logSuffix) {
                logBases.append(base)
            } else if let base = SegmentFileName.baseOffset(of: name, suffix: SegmentFileName.indexSuffix)
                        ?? SegmentFileName.baseOffset(of: name, suffix: SegmentFileName.timeIndexSuffix)
                        ?? SegmentFileName.baseOffset(of: name, suffix: SegmentFileName.txnIndexSuffix) {
                indexFiles.append((name, base))
            }
        }
        logBases.sort()
        // Index files without a log (a crash in the middle of deleting a segment) are dropped.
        let bases = Set(logBases)
        for (name, base) in indexFiles where !bases.contains(base) { try fileSystem.removeFile(path(name)) }

        let read = names.contains(PartitionCheckpoint.fileName) ? readCheckpoint() : nil
        let checkpoint = read?.checkpoint
        let cleaner = names.contains(CleanerCheckpoint.fileName)
            ? (try? fileSystem.readSmallFile(path(CleanerCheckpoint.fileName), limit: 4096)).flatMap { $0.flatMap(CleanerCheckpoint.parse) }
            : nil
        let gapHorizon = cleaner?.gapHorizon ?? 0
        // After a clean shutdown the active segment's size is the checkpoint's (checked here).
        let clean = isClean(checkpoint, logBases: logBases)
        let knownActiveSize = clean ? checkpoint?.activeSize : nil
        let recoveryPoint = clean ? Int64.max : (checkpoint?.recoveryPoint ?? 0)
        if !clean && !logBases.isEmpty {
            logger.info("\(directory): no clean shutdown recorded; checking segments from offset \(recoveryPoint)")
        }

        var segments: [LogSegment] = []
        var scanned: [ObjectIdentifier] = []
        var scannedHeaders: [ObjectIdentifier: [RecordBatchHeader]] = [:]
        for (position, base) in logBases.enumerated() {
            // Compaction may leave gaps between segments below its gap horizon; anything else
            // (an overlap, or a gap where nothing was compacted: a lost segment) is damage.
            if let previous = segments.last, previous.nextOffset > base || (previous.nextOffset < base && previous.nextOffset >= gapHorizon) {
                logger.warning("\(path(SegmentFileName.stem(base) + SegmentFileName.logSuffix)) at byte 0: segment starts at offset \(base) but the data before it ends at \(previous.nextOffset); removing it and every later segment")
                for later in logBases[position...] { try removeSegmentFiles(base: later) }
                break
            }
            let isLast = position == logBases.count - 1
            let file = handle(base)
            if clean || (base < recoveryPoint && !isLast),
               let segment = try loadSealed(base: base, file: file, knownSize: isLast ? knownActiveSize : nil,
                                            nextOffset: isLast ? checkpoint?.logEndOffset : logBases[position + 1], isLast: isLast,
                                            gapHorizon: gapHorizon,
                                            indexed: names.contains(SegmentFileName.stem(base) + SegmentFileName.indexSuffix)) {
                segments.append(segment)
                continue
            }
            let (segment, intact, headers) = try scan(base: base, file: file, gapHorizon: gapHorizon)
            if let headers { scannedHeaders[ObjectIdentifier(segment)] = headers }
            segments.append(segment)
            scanned.append(ObjectIdentifier(segment))
            if !intact {
                for later in logBases[(position + 1)...] { try removeSegmentFiles(base: later) }
                break
            }
        }
        if segments.isEmpty {
            let base = checkpoint?.logStartOffset ?? 0
            let created = path(SegmentFileName.stem(base) + SegmentFileName.logSuffix)
            // Created, then let go: the segment opens it again when used.
            _ = try fileSystem.openFile(created, create: true)
            segments.append(LogSegment(baseOffset: base, file: handle(base), directory: directory, size: 0, nextOffset: base,
                                       index: OffsetIndex(), timeIndex: TimeIndex(), maxTimestamp: -1,
                                       rollBaseTimestamp: time.wallMillis()))
        }
        for segment in segments {
            let stem = SegmentFileName.stem(segment.baseOffset)
            segment.hasIndexFiles = names.contains(stem + SegmentFileName.indexSuffix) || names.contains(stem + SegmentFileName.timeIndexSuffix)
            segment.txnIndex = TransactionIndex(path: segment.txnIndex.path, exists: names.contains(stem + SegmentFileName.txnIndexSuffix))
        }
        // Transaction indexes to rebuild: those of segments recovered after a crash, and those
        // missing where every sealed segment has one, as does an active segment whose other
        // indexes were written at a clean close (`rebuildProducers` writes them).
        let rebuild = Set(segments.enumerated().compactMap { position, segment -> ObjectIdentifier? in
            let recovered = !clean && scanned.contains(ObjectIdentifier(segment))
            let expected = position < segments.count - 1
                || (clean && names.contains(SegmentFileName.stem(segment.baseOffset) + SegmentFileName.indexSuffix))
            let missing = expected && !segment.txnIndex.exists && !segment.isEmpty
            return recovered || missing ? ObjectIdentifier(segment) : nil
        })
        // Sealed segments that had to be scanned get their indexes written, so the next crash
        // does not scan them again.
        for segment in segments.dropLast() where scanned.contains(ObjectIdentifier(segment)) {
            try segment.writeIndexes(to: fileSystem, sync: syncing)
        }
        // A clean open changed nothing that matters (stray temporary files at most).
        if !clean && syncing { try fileSystem.syncDirectory(directory) }

        let active = segments[segments.count - 1]
        let firstBase = segments[0].baseOffset
        var logStart = max(checkpoint?.logStartOffset ?? firstBase, firstBase)
        logStart = min(logStart, active.nextOffset)
        if let first = try active.header(at: 0) {
            active.rollBaseTimestamp = min(max(first.maxTimestamp, 0), time.wallMillis())
        }
        let checkpointFile = CheckpointFile(path: path(PartitionCheckpoint.fileName), fileSystem: fileSystem,
                                            sequence: read?.sequence ?? 0, inPlace: read?.inPlace ?? false)
        var state = PartitionLog.State(
            config: config, segments: segments, logStartOffset: logStart,
            durableOffset: active.nextOffset, durableSegment: active.baseOffset, durablePosition: active.size,
            recoveryPoint: active.baseOffset, lastSyncNanos: time.monotonicNanos(), checkpointFile: checkpointFile)
        state.cleanOnDisk = clean
        if let cleaner {
            state.firstDirtyOffset = min(cleaner.firstDirtyOffset, active.baseOffset)
            state.gapHorizon = cleaner.gapHorizon
            state.deleteHorizonDue = cleaner.deleteHorizon
        }
        (state.producers, state.snapshotChanges) = try rebuildProducers(
            segments, snapshotExists: names.contains(PartitionLog.producerSnapshotName),
            stateAt: clean ? checkpoint?.producerStateAt : nil, scanned: Set(scanned), scannedHeaders: scannedHeaders,
            rebuildingTxnIndexes: rebuild)
        let stale = !clean && (checkpoint.map { $0.clean || $0.recoveryPoint != active.baseOffset || $0.logStartOffset != logStart } ?? true)
        return (state, stale, clean)
    }

    /// The batch headers of `segment` from `position` on, with their positions: from one read of
    /// the rest when that is small (a partition's usual tail) and `readingWhole`, else one small
    /// read per batch (a segment just scanned is in the page cache; a large one would be read
    /// for nothing).
    func headers(of segment: LogSegment, from position: Int64, readingWhole: Bool) throws(LogStorageError) -> [(position: Int64, header: RecordBatchHeader)] {
        var headers: [(position: Int64, header: RecordBatchHeader)] = []
        var position = position
        guard readingWhole && segment.size - position <= PartitionLog.smallActiveSegment else {
            while let header = try segment.header(at: position) {
                headers.append((position, header))
                position += Int64(header.totalSize)
            }
            return headers
        }
        let bytes = try segment.file.readBytes(at: position, count: Int(segment.size - position))
        var offset = 0
        while offset + RecordBatchHeader.size <= bytes.count {
            let header: RecordBatchHeader
            do { header = try RecordBatchHeader(parsing: bytes, at: offset) } catch {
                throw .corrupt(path: segment.logPath, position: position + Int64(offset), reason: "\(error)")
            }
            guard offset + header.totalSize <= bytes.count else {
                throw .corrupt(path: segment.logPath, position: position + Int64(offset), reason: "batch runs past the end of the segment")
            }
            headers.append((position + Int64(offset), header))
            offset += header.totalSize
        }
        return headers
    }

    /// Completes a compaction swap whose manifest was committed before a crash, so the
    /// directory holds either the old segments or the compacted one (`CleanerSwapManifest`).
    /// Leftover `.cleaned` files without a manifest are removed by the caller.
    private func finishCompactionSwap() throws(LogStorageError) {
        let manifestPath = path(CleanerSwapManifest.fileName)
        guard fileSystem.fileExists(manifestPath) else { return }
        guard let bytes = try? fileSystem.readSmallFile(manifestPath, limit: 1 << 20),
              let manifest = CleanerSwapManifest.parse(bytes) else {
            // Written atomically, so never torn; an unreadable one was not ours to trust.
            logger.warning("\(manifestPath): unreadable compaction manifest; keeping the segments as they are")
            try fileSystem.removeFile(manifestPath)
            return
        }
        logger.info("\(directory): finishing the compaction swap of segment \(SegmentFileName.stem(manifest.base)) interrupted by a crash")
        try PartitionLog.applySwap(manifest, in: directory, fileSystem: fileSystem) { path throws(LogStorageError) in
            try fileSystem.removeFile(path)
        }
    }

    /// The checkpoint, the sequence of its slot, and whether the file has the two slots.
    private func readCheckpoint() -> (checkpoint: PartitionCheckpoint, sequence: UInt64, inPlace: Bool)? {
        let checkpointPath = path(PartitionCheckpoint.fileName)
        guard let bytes = try? fileSystem.readSmallFile(checkpointPath, limit: 4096) else {
            if fileSystem.fileExists(checkpointPath) { logger.warning("\(checkpointPath): unreadable checkpoint; recovering every segment") }
            return nil
        }
        guard let (checkpoint, sequence) = PartitionCheckpoint.parseFile(bytes) else {
            logger.warning("\(checkpointPath) at byte 0: damaged checkpoint; recovering every segment")
            return nil
        }
        return (checkpoint, sequence, bytes.count == 2 * PartitionCheckpoint.slotSize)
    }

    private func isClean(_ checkpoint: PartitionCheckpoint?, logBases: [Int64]) -> Bool {
        guard let checkpoint, checkpoint.clean, let last = logBases.last, last == checkpoint.activeSegment else { return false }
        guard let size = fileSystem.fileSize(path(SegmentFileName.stem(last) + SegmentFileName.logSuffix)), size == checkpoint.activeSize else {
            logger.warning("\(path(PartitionCheckpoint.fileName)): clean checkpoint does not match the active segment; recovering")
            return false
        }
        return true
    }

    /// A segment whose indexes can be trusted (sealed before the recovery point, or any segment
    /// after a clean shutdown). Nil when an index is missing or damaged: the caller scans.
    private func loadSealed(base: Int64, file: SegmentFile, knownSize: Int64?, nextOffset: Int64?, isLast: Bool, gapHorizon: Int64,
                            indexed: Bool) throws(LogStorageError) -> LogSegment? {
        guard let nextOffset, nextOffset >= base, let size = knownSize ?? fileSystem.fileSize(file.path) else { return nil }
        let segment = LogSegment(baseOffset: base, file: file, directory: directory, size: size, nextOffset: nextOffset,
                                 index: OffsetIndex(), timeIndex: TimeIndex(), maxTimestamp: -1, rollBaseTimestamp: 0)
        // An empty segment has empty indexes (a new partition has no index files at all); a
        // sealed one compaction emptied may end before the next starts, below the gap horizon.
        if size == 0 {
            return nextOffset == base || (!isLast && base < nextOffset && base < gapHorizon) ? segment : nil
        }
        // A small active segment without index files is scanned (a store's clean close writes
        // none for it: `PartitionLog.smallActiveSegment`).
        if isLast && !indexed && size <= PartitionLog.smallActiveSegment { return nil }
        guard let indexBytes = try? fileSystem.readSmallFile(segment.indexPath, limit: Int(Int32.max)),
              let index = OffsetIndex.parse(indexBytes, logSize: size),
              let timeBytes = try? fileSystem.readSmallFile(segment.timeIndexPath, limit: Int(Int32.max)),
              let timeIndex = TimeIndex.parse(timeBytes, maxRelativeOffset: UInt32(clamping: nextOffset - base)),
              size == 0 || index.count > 0
        else {
            logger.warning("\(segment.indexPath): index missing or damaged; rebuilding from the log")
            return nil
        }
        segment.index = index
        segment.timeIndex = timeIndex
        segment.maxTimestamp = timeIndex.last?.timestamp ?? -1
        // Cheap consistency check: walking the batch headers from the last index entry must end
        // exactly at the end of the file, at the offset the next segment starts with. This
        // catches a missing neighbour or a file cut short without scanning the whole segment.
        var position = Int64(index.floor(position: UInt32(clamping: size))?.position ?? 0)
        var end = base
        do {
            while let header = try segment.header(at: position) {
                position += Int64(header.totalSize)
                end = header.lastOffset + 1
            }
        } catch {
            logger.warning("\(segment.logPath): \(error); scanning it")
            return nil
        }
        // A compacted segment may end before the next one starts (its last batches were
        // removed); the active segment must end exactly at the log end offset.
        guard position == size, end == nextOffset || (!isLast && end < nextOffset && end < gapHorizon) else {
            logger.warning("\(segment.logPath) at byte \(position): the segment ends at offset \(end), expected \(nextOffset); scanning it")
            return nil
        }
        return segment
    }

    /// Scans a segment, truncating it at the first invalid batch. Returns the segment and
    /// whether the whole file was valid.
    /// The segment, whether the whole file was valid, and its headers if it is small.
    private func scan(base: Int64, file handle: SegmentFile, gapHorizon: Int64) throws(LogStorageError) -> (LogSegment, Bool, [RecordBatchHeader]?) {
        let segment = LogSegment(baseOffset: base, file: handle, directory: directory, size: 0, nextOffset: base,
                                 index: OffsetIndex(), timeIndex: TimeIndex(), maxTimestamp: -1,
                                 rollBaseTimestamp: time.wallMillis())
        // Held for the whole scan, whatever the cache does meanwhile.
        let file = try handle.open()
        let scanner = SegmentScanner(file: file, path: segment.logPath)
        let outcome = try scanner.scan(into: segment, indexInterval: config.indexIntervalBytes, gapsBelow: gapHorizon,
                                       keepHeadersUpTo: PartitionLog.smallActiveSegment)
        if let problem = outcome.problem {
            logger.warning("corrupt \(segment.logPath) at byte \(outcome.validSize): \(problem); truncating \(outcome.fileSize - outcome.validSize) bytes")
            try file.truncate(to: outcome.validSize)
        }
        // What survives recovery counts as durable from now on, so make it so (the caller does,
        // for all partitions at once, when not syncing here).
        if syncing { try file.sync() }
        return (segment, outcome.problem == nil, outcome.headers)
    }

    private func removeSegmentFiles(base: Int64) throws(LogStorageError) {
        let stem = SegmentFileName.stem(base)
        for suffix in SegmentFileName.allSuffixes {
            let target = path(stem + suffix)
            if fileSystem.fileExists(target) {
                if suffix == SegmentFileName.logSuffix { logger.warning("removing \(target): it follows a corruption") }
                try fileSystem.removeFile(target)
            }
        }
    }
}
