public import KafkaRecords
internal import SystemIO
import Synchronization

/// The durable, append-only log of one partition: a directory of segments named by their
/// 20-digit base offset (see `LogSegment`), plus `partition.checkpoint` (`PartitionCheckpoint`).
///
/// Guarantees:
/// - Offsets are contiguous from the log start offset to the log end offset and are never
///   handed out twice: every append gets the current log end offset as its base.
/// - Batches are stored exactly as given except for the base offset and partition leader
///   epoch (0), which the CRC does not cover.
/// - Durability per `DurabilityPolicy`; after any crash, `open` leaves a prefix of what was
///   appended, containing every batch acknowledged under `always`.
///
/// Thread-safety: all methods may be called from any thread. One lock (`state`) guards the
/// segment list and offsets; a second lock (`syncLock`) serialises fsyncs so that concurrent
/// `always` appends share one (group commit). Lock order: `syncLock` before `state`. File
/// I/O for appends happens under `state` (appends are serialised anyway); fsyncs for
/// `always` and `interval` happen outside it, so reads are not blocked by a sync.
public final class PartitionLog: Sendable {
    /// The partition's directory.
    public let directory: String
    let fileSystem: any StorageFileSystem
    let time: any TimeSource
    let logger: Logger
    /// Where the segments' `.log` files are opened on demand (shared by a store's partitions).
    let files: SegmentFileCache
    /// The store's logs with data awaiting an `interval` sync (the flusher visits only those).
    let pendingFlushes: PendingFlushes
    let state: Mutex<State>
    private let syncLock = Mutex(())
    /// Held for a whole compaction pass, so two never overlap on one log.
    let cleanLock = Mutex(())

    struct State {
        var config: LogConfig
        /// Sorted by base offset; never empty; the last one is the active segment.
        var segments: [LogSegment]
        var logStartOffset: Int64
        /// Offsets below this are synced.
        var durableOffset: Int64
        /// Where the synced data ends: the segment base and the byte position in it.
        var durableSegment: Int64
        var durablePosition: Int64
        /// Base offset of the first segment not yet sealed (see `PartitionCheckpoint`).
        var recoveryPoint: Int64
        /// Monotonic time (ns) of the last sync.
        var lastSyncNanos: UInt64
        var closed = false
        /// Whether `partition.checkpoint` says clean: then it must be rewritten unclean
        /// (`markDirty`) before anything on disk changes.
        var cleanOnDisk = false
        /// Whether the log is in `pendingFlushes`.
        var awaitingFlush = false
        /// `partition.checkpoint`, written in place.
        var checkpointFile: CheckpointFile
        /// `producers.changes` when `producer.snapshot` (or its absence) last held exactly the
        /// producers' state; -1 when unknown.
        var snapshotChanges = -1
        /// Idempotent-producer state covering every batch below the log end offset.
        var producers = ProducerStateTable()
        /// Transactions whose marker is written but may not be at or below the high watermark
        /// yet (under `durability=always`): they hold the last stable offset until it is
        /// (Kafka's `unreplicatedTxns`). Pruned by `sync`.
        var unreplicatedTransactions: [(firstOffset: Int64, markerOffset: Int64)] = []
        /// Offsets below this have been compacted (`CleanerCheckpoint`).
        var firstDirtyOffset: Int64 = 0
        /// Offsets below which compaction may have left gaps (`CleanerCheckpoint.gapHorizon`).
        var gapHorizon: Int64 = 0
        /// The earliest delete horizon of a tombstone the cleaner left, if any.
        var deleteHorizonDue: Int64?
        /// Files renamed `*.deleted`, to be removed once due (`file.delete.delay.ms`).
        var retiredFiles: [(path: String, dueMillis: Int64)] = []
        /// Records appended since the last sync (`flush.messages`).
        var unsyncedRecords: Int64 = 0
        /// Set when the log can no longer be trusted in memory (a failed write that could not be
        /// undone); every later call throws it.
        var failure: LogStorageError?

        var active: LogSegment {
            // `segments` is never empty (invariant kept by open, roll and retention).
            segments[segments.count - 1]
        }
        var logEndOffset: Int64 { active.nextOffset }
        var highWatermark: Int64 { config.durability == .always ? durableOffset : logEndOffset }
        var offsets: LogOffsets {
            LogOffsets(logStartOffset: logStartOffset, highWatermark: highWatermark, logEndOffset: logEndOffset,
                       lastStableOffset: lastStableOffset)
        }
        /// See `LogOffsets.lastStableOffset`.
        var lastStableOffset: Int64 {
            let watermark = highWatermark
            var first = producers.firstOpenOffset
            for txn in unreplicatedTransactions where txn.markerOffset >= watermark {
                first = min(first ?? txn.firstOffset, txn.firstOffset)
            }
            guard let first else { return watermark }
            return min(max(first, logStartOffset), watermark)
        }

        func checkUsable() throws(LogStorageError) {
            if let failure { throw failure }
            if closed { throw .closed }
        }
    }

    init(directory: String, fileSystem: any StorageFileSystem, files: SegmentFileCache, pendingFlushes: PendingFlushes,
         time: any TimeSource, logger: Logger, state: State) {
        self.directory = directory
        self.fileSystem = fileSystem
        self.files = files
        self.pendingFlushes = pendingFlushes
        self.time = time
        self.logger = logger
        self.state = Mutex(state)
    }

    /// The current offsets.
    public var offsets: LogOffsets { state.withLock { $0.offsets } }

    /// Offsets below this are synced to stable storage.
    public var durableOffset: Int64 { state.withLock { $0.durableOffset } }

    /// The error that made the log unusable, if one did (every later call throws it).
    public var failure: LogStorageError? { state.withLock { $0.failure } }

    /// The configuration in force.
    public var config: LogConfig { state.withLock { $0.config } }

    /// Bytes in all segments.
    public var sizeInBytes: Int64 { state.withLock { $0.segments.reduce(0) { $0 + $1.size } } }

    /// Number of segments (the active one included).
    public var segmentCount: Int { state.withLock { $0.segments.count } }

    /// Base offsets of the segments, oldest first.
    public var segmentBaseOffsets: [Int64] { state.withLock { $0.segments.map(\.baseOffset) } }

    /// Applies a new configuration (validated by the caller) from the next append on.
    public func updateConfig(_ config: LogConfig) {
        state.withLock { $0.config = config }
    }

    // MARK: append

    /// Appends validated batches, assigning offsets from the log end offset on, and returns the
    /// offsets given. Under `always` it returns only once the batches are synced.
    ///
    /// Throws `batchTooLarge` for a batch over `maxBatchBytes`; on an I/O error nothing is
    /// appended and no offset is used.
    /// `batches` is consumed: pass it with `consume` (or as a last use) so the offsets are
    /// rewritten in place instead of in a copy of the bytes.
    /// With `syncing: false` the caller takes over the sync a `durability=always` (or
    /// `flush.messages`) append needs: the result's `syncThrough` says up to where it must
    /// `sync(through:)` before acknowledging (consumers see the data only then).
    ///
    /// Transactions (KIP-98): a transactional batch (attribute bit 4) opens a transaction for its
    /// producer if none is open (holding the last stable offset at its first offset until the
    /// producer's marker, `appendTransactionMarker`); a non-transactional batch from a producer
    /// with an open transaction is refused with `invalidTxnState`. (Whether the producer may
    /// write to its transaction at all is the transaction coordinator's call, made before.)
    public func append(_ batches: consuming ValidatedBatches, syncing: Bool = true) throws(LogStorageError) -> AppendResult {
        let now = time.wallMillis()
        let (result, mustSync) = try state.withLock { state throws(LogStorageError) -> (AppendResult, Bool) in
            try state.checkUsable()
            for header in batches.headers where header.totalSize > state.config.maxBatchBytes {
                throw .batchTooLarge(size: header.totalSize, limit: state.config.maxBatchBytes)
            }
            // Idempotence: a retried batch is answered with its original offsets, a gap or a
            // stale epoch is refused, before anything is written.
            var producers = state.producers
            for header in batches.headers where header.producerId >= 0 {
                switch producers.decide(header) {
                case .append:
                    producers.record(header)
                case .duplicate(let baseOffset, let lastOffset):
                    guard batches.batchCount == 1 else {
                        throw .outOfOrderSequence(producerId: header.producerId, expected: -1, got: header.baseSequence)
                    }
                    return (AppendResult(baseOffset: baseOffset, lastOffset: lastOffset, isDuplicate: true), false)
                case .outOfOrder(let expected, let got):
                    throw .outOfOrderSequence(producerId: header.producerId, expected: expected, got: got)
                case .staleEpoch(let current, let got):
                    throw .invalidProducerEpoch(producerId: header.producerId, current: current, got: got)
                case .invalidTxnState(let openSince):
                    throw .invalidTxnState("producer \(header.producerId) sent a non-transactional batch while its transaction opened at offset \(openSince) is ongoing")
                }
            }
            return try write(&batches, to: &state, now: now)
        }
        return try finishAppend(result, mustSync: mustSync, syncing: syncing)
    }

    /// Writes checked batches at the log end offset (rolling first if due) and records their
    /// producers (control batches excepted: the caller records its marker). Returns the result
    /// and whether a sync is due. Call under the state lock.
    func write(_ batches: inout ValidatedBatches, to state: inout State, now: Int64) throws(LogStorageError) -> (AppendResult, Bool) {
        try rollIfNeeded(&state, incomingBytes: batches.bytes.count, incomingOffsets: batches.offsetCount, now: now)
        let active = state.active
        let base = active.nextOffset
        batches.assignOffsets(startingAt: base, partitionLeaderEpoch: 0)
        if state.config.timestampType == .logAppendTime { batches.stampLogAppendTime(now) }
        do throws(LogStorageError) {
            try active.append(batches, indexInterval: state.config.indexIntervalBytes, now: now)
        } catch {
            if case .corrupt = error { state.failure = error }
            throw error
        }
        for header in batches.headers where header.producerId >= 0 && !header.isControl { state.producers.record(header) }
        state.unsyncedRecords += batches.headers.reduce(0) { $0 + Int64($1.recordCount) }
        let mustSync = state.config.durability == .always || state.unsyncedRecords >= state.config.flushMessages
        let appendTime = state.config.timestampType == .logAppendTime ? now : -1
        return (AppendResult(baseOffset: base, lastOffset: active.nextOffset - 1, logAppendTime: appendTime), mustSync)
    }

    /// The sync an append owes (see `append`'s `syncing`), done after the state lock.
    func finishAppend(_ result: AppendResult, mustSync: Bool, syncing: Bool) throws(LogStorageError) -> AppendResult {
        guard mustSync else { return result }
        guard syncing else {
            var deferred = result
            deferred.syncThrough = result.lastOffset + 1
            return deferred
        }
        try sync(through: result.lastOffset + 1)
        return result
    }

    // MARK: sync

    /// Syncs the active segment unless offsets below `target` are already durable. Concurrent
    /// callers queue on `syncLock`; whoever syncs covers everything written before it started.
    public func sync(through target: Int64) throws(LogStorageError) {
        try syncLock.withLock { _ throws(LogStorageError) in
            let snapshot = try state.withLock { state throws(LogStorageError) -> (file: any StorageFile, end: Int64, segment: Int64, position: Int64)? in
                try state.checkUsable()
                guard state.durableOffset < target else { return nil }
                let active = state.active
                return (try active.file, active.nextOffset, active.baseOffset, active.size)
            }
            guard let snapshot else { return }
            let started = time.monotonicNanos()
            try snapshot.file.sync()
            state.withLock { state in
                state.lastSyncNanos = started
                if snapshot.end >= state.logEndOffset { state.unsyncedRecords = 0 }
                if snapshot.end > state.durableOffset {
                    state.durableOffset = snapshot.end
                    state.durableSegment = snapshot.segment
                    state.durablePosition = snapshot.position
                }
                let watermark = state.highWatermark
                state.unreplicatedTransactions.removeAll { $0.markerOffset < watermark }
            }
        }
    }

    /// Syncs everything appended so far.
    public func flush() throws(LogStorageError) {
        try sync(through: state.withLock { $0.logEndOffset })
    }

    /// Under `interval(ms)`: syncs if there is unsynced data and `ms` have passed since the last
    /// sync. Returns whether it synced. Called periodically by `LogStore`'s flusher.
    @discardableResult
    public func flushIfDue() throws(LogStorageError) -> Bool {
        let now = time.monotonicNanos()
        let due = state.withLock { state -> Int64? in
            guard state.failure == nil, !state.closed, case .interval(let ms) = state.config.durability,
                  state.durableOffset < state.logEndOffset,
                  now >= Self.dueTime(after: state.lastSyncNanos, milliseconds: ms) else { return nil }
            return state.logEndOffset
        }
        guard let due else { return false }
        try sync(through: due)
        return true
    }

    /// `start` + `milliseconds`, saturating (flush.ms may be as large as Long.MAX).
    static func dueTime(after start: UInt64, milliseconds: Int64) -> UInt64 {
        let (nanos, overflow) = UInt64(clamping: milliseconds).multipliedReportingOverflow(by: 1_000_000)
        let (due, overflow2) = start.addingReportingOverflow(nanos)
        return overflow || overflow2 ? .max : due
    }

    // MARK: roll

    /// Readies the active segment for an append: records that the log is no longer clean on
    /// disk (the first change since a clean open) and that it will need an `interval` sync,
    /// then rolls when the segment is full or old.
    func rollIfNeeded(_ state: inout State, incomingBytes: Int, incomingOffsets: Int64, now: Int64) throws(LogStorageError) {
        try markDirty(&state)
        notePendingFlush(&state)
        let active = state.active
        guard !active.isEmpty else { return }
        let bySize = active.size + Int64(incomingBytes) > Int64(state.config.segmentBytes)
        let byAge = now - active.rollBaseTimestamp >= state.config.segmentMillis - active.rollJitterMillis
        let indexFull = active.index.count >= state.config.maxIndexEntries
        guard bySize || byAge || indexFull || !active.canHold(offsets: incomingOffsets) else { return }
        try roll(&state)
    }

    /// Seals the active segment (sync, write indexes) and starts a new one at the log end offset.
    func roll(_ state: inout State) throws(LogStorageError) {
        try markDirty(&state)
        let old = state.active
        // A preallocated file is longer than its data; seal it at its real size.
        if state.config.preallocate { try old.file.truncate(to: old.size) }
        try old.file.sync()
        try old.writeIndexes(to: fileSystem)
        let segment = try createSegment(baseOffset: old.nextOffset, config: state.config)
        // The new .log and the sealed indexes are directory entries: make them durable, or a
        // power cut could lose a file that later holds acknowledged batches.
        try fileSystem.syncDirectory(directory)
        state.segments.append(segment)
        if state.durableOffset <= old.nextOffset {
            state.durableOffset = old.nextOffset
            state.durableSegment = segment.baseOffset
            state.durablePosition = 0
        }
        state.recoveryPoint = segment.baseOffset
        try writeProducerSnapshot(state)
        try writeCheckpoint(state, clean: false)
        logger.debug("\(directory): rolled to segment \(SegmentFileName.stem(segment.baseOffset))")
    }

    func createSegment(baseOffset: Int64, config: LogConfig) throws(LogStorageError) -> LogSegment {
        let path = StoragePath.join(directory, SegmentFileName.stem(baseOffset) + SegmentFileName.logSuffix)
        let file = try fileSystem.openFile(path, create: true)
        try file.truncate(to: 0)
        if config.preallocate { try file.preallocate(length: Int64(config.segmentBytes)) }
        let segment = LogSegment(baseOffset: baseOffset, file: files.handle(path, fileSystem: fileSystem, opened: file),
                                 directory: directory, size: 0, nextOffset: baseOffset,
                                 index: OffsetIndex(), timeIndex: TimeIndex(), maxTimestamp: -1,
                                 rollBaseTimestamp: time.wallMillis())
        if config.segmentJitterMillis > 0 {
            segment.rollJitterMillis = Int64.random(in: 0..<min(config.segmentJitterMillis, config.segmentMillis))
        }
        return segment
    }

    /// Removes a file the log no longer uses: at once, or (with `file.delete.delay.ms`) by
    /// renaming it `*.deleted` and removing it once due (`removeRetiredFiles`), as Kafka does.
    func retire(_ path: String, state: inout State) throws(LogStorageError) {
        let delay = state.config.fileDeleteDelayMillis
        guard delay > 0 else { return try fileSystem.removeFile(path) }
        let retired = path + Self.deletedSuffix
        try fileSystem.rename(path, to: retired)
        state.retiredFiles.append((retired, time.wallMillis() &+ delay))
    }

    static let deletedSuffix = ".deleted"

    /// Removes retired files whose delay has passed. Returns how many were removed.
    @discardableResult
    public func removeRetiredFiles() throws(LogStorageError) -> Int {
        let now = time.wallMillis()
        let due = state.withLock { state -> [String] in
            let due = state.retiredFiles.filter { $0.dueMillis <= now }.map(\.path)
            state.retiredFiles.removeAll { $0.dueMillis <= now }
            return due
        }
        for path in due where fileSystem.fileExists(path) { try fileSystem.removeFile(path) }
        return due.count
    }

    /// Writes the producer state as of the log end offset (atomically).
    func writeProducerSnapshot(_ state: State) throws(LogStorageError) {
        try fileSystem.writeAtomically(state.producers.serialized(upTo: state.logEndOffset),
                                       to: StoragePath.join(directory, Self.producerSnapshotName))
    }

    static let producerSnapshotName = "producer.snapshot"

    func writeCheckpoint(_ state: State, clean: Bool) throws(LogStorageError) {
        let checkpoint = PartitionCheckpoint(
            clean: clean, logStartOffset: state.logStartOffset, recoveryPoint: state.recoveryPoint,
            logEndOffset: state.logEndOffset, activeSegment: state.active.baseOffset, activeSize: state.active.size)
        try state.checkpointFile.write(checkpoint, sync: true)
    }

    // MARK: close

    /// Stops the log without writing anything, because its directory is being deleted. Later
    /// calls throw `closed`.
    func markDeleted() {
        state.withLock { $0.closed = true }
    }

    /// Clean shutdown: syncs the active segment, writes its indexes and a clean checkpoint so
    /// the next open scans nothing. Later calls throw `closed`. Idempotent.
    public func close() throws(LogStorageError) {
        try syncLock.withLock { _ throws(LogStorageError) in
            try state.withLock { state throws(LogStorageError) in
                guard !state.closed else { return }
                if let failure = state.failure { throw failure }
                // Nothing changed since the clean checkpoint on disk was written.
                if state.cleanOnDisk {
                    state.closed = true
                    return
                }
                let active = state.active
                if state.config.preallocate { try active.file.truncate(to: active.size) }
                try active.file.sync()
                try active.writeIndexes(to: fileSystem)
                try writeProducerSnapshot(state)
                try fileSystem.syncDirectory(directory)
                state.durableOffset = active.nextOffset
                try writeCheckpoint(state, clean: true)
                state.closed = true
            }
        }
    }
}
