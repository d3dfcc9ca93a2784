internal import KafkaRecords
internal import SystemIO

/// How dirty a compacted log is (what the cleaner ranks logs by).
public struct CompactionCandidate: Sendable, Equatable {
    /// Uncompacted bytes / all cleanable bytes.
    public var dirtyRatio: Double
    /// Bytes of cleanable segments not compacted yet.
    public var dirtyBytes: Int64
    /// A record is older than `max.compaction.lag.ms`, or a tombstone's delete horizon passed:
    /// clean whatever the ratio.
    public var mustClean: Bool
    /// Whether the log is due by `min.cleanable.dirty.ratio` or `mustClean`.
    public var isDue: Bool
}

/// What one compaction did.
public struct CompactionSummary: Sendable, Equatable {
    /// Segments read and segments written in their place.
    public var segmentsBefore: Int
    public var segmentsAfter: Int
    public var bytesBefore: Int64
    public var bytesAfter: Int64
    /// Records removed because a later record has the same key (or no key).
    public var recordsRemoved: Int
    /// Tombstones removed because their delete horizon passed.
    public var tombstonesRemoved: Int
    /// The new first dirty offset: everything below it has been compacted.
    public var compactedUpTo: Int64
}

extension PartitionLog {
    /// What the cleaner needs from one look at the log, taken under the lock.
    struct CompactionPlan {
        /// Sealed segments from the oldest up to the first one that may not be compacted yet.
        var segments: [LogSegment]
        var firstDirty: Int64
        /// The first offset that may not be compacted yet (min lag, active segment).
        var uncleanable: Int64
        var logStart: Int64
        var config: LogConfig
        /// Last offsets of the batches the producer-state table remembers: such batches are kept
        /// (emptied if need be) so idempotence state can always be rebuilt from the log.
        var producerBatchEnds: Set<Int64>
        var candidate: CompactionCandidate
        /// The transaction-index entries of every segment (read under the lock), by segment:
        /// the aborted transactions whose records the cleaner removes, and what the indexes of
        /// the rewritten segments hold.
        var abortedTransactions: [ObjectIdentifier: [TransactionIndex.Entry]] = [:]

        /// Whether `header`'s batch belongs to an aborted transaction (its records are removed).
        func isAborted(_ header: RecordBatchHeader) -> Bool {
            guard header.isTransactional, !header.isControl, header.producerId >= 0 else { return false }
            return abortedTransactions.values.contains { entries in
                entries.contains { $0.producerId == header.producerId && $0.firstOffset <= header.baseOffset && header.baseOffset < $0.lastOffset }
            }
        }
    }

    /// How dirty the log is, or nil when it is not compacted or has nothing to compact.
    public func compactionCandidate() throws(LogStorageError) -> CompactionCandidate? {
        try compactionPlan(now: time.wallMillis())?.candidate
    }

    func compactionPlan(now: Int64) throws(LogStorageError) -> CompactionPlan? {
        let snapshot = try state.withLock { state throws(LogStorageError) -> CompactionPlan? in
            try state.checkUsable()
            let config = state.config
            guard config.cleanupPolicy.compacts else { return nil }
            var segments: [LogSegment] = []
            // Never at or above the last stable offset: open transactions stay as written.
            let lastStable = state.lastStableOffset
            for segment in state.segments.dropLast() {
                if segment.nextOffset > lastStable { break }
                // A segment with records newer than the minimum lag stays dirty, and so does
                // everything after it (Kafka's first uncleanable offset).
                if config.minCompactionLagMillis > 0 && segment.maxTimestamp > now - config.minCompactionLagMillis { break }
                segments.append(segment)
            }
            let uncleanable = segments.count < state.segments.count - 1
                ? state.segments[segments.count].baseOffset : state.active.baseOffset
            let firstDirty = max(state.firstDirtyOffset, state.logStartOffset)
            var ends = Set<Int64>()
            for producer in state.producers.producers.values { for batch in producer.batches { ends.insert(batch.lastOffset) } }
            let zero = CompactionCandidate(dirtyRatio: 0, dirtyBytes: 0, mustClean: false, isDue: false)
            var aborted: [ObjectIdentifier: [TransactionIndex.Entry]] = [:]
            for segment in state.segments {
                let entries = try segment.txnIndex.entries(fileSystem)
                if !entries.isEmpty { aborted[ObjectIdentifier(segment)] = entries }
            }
            return CompactionPlan(segments: segments, firstDirty: firstDirty, uncleanable: uncleanable, logStart: state.logStartOffset,
                                  config: config, producerBatchEnds: ends, candidate: zero, abortedTransactions: aborted)
        }
        guard var plan = snapshot, !plan.segments.isEmpty else { return nil }
        let horizonDue = state.withLock { $0.deleteHorizonDue }.map { now >= $0 } ?? false
        guard plan.firstDirty < plan.uncleanable || horizonDue else { return nil }
        var cleanBytes: Int64 = 0
        var dirtyBytes: Int64 = 0
        for segment in plan.segments {
            if segment.nextOffset <= plan.firstDirty { cleanBytes += segment.size } else { dirtyBytes += segment.size }
        }
        let total = cleanBytes + dirtyBytes
        let ratio = total > 0 ? Double(dirtyBytes) / Double(total) : 0
        var mustClean = horizonDue
        if plan.config.maxCompactionLagMillis < .max, dirtyBytes > 0,
           let first = plan.segments.first(where: { $0.nextOffset > plan.firstDirty }),
           let located = try first.locate(offset: plan.firstDirty) {
            mustClean = mustClean || now - located.header.baseTimestamp > plan.config.maxCompactionLagMillis
        }
        // Strictly above the ratio, as Kafka's cleaner requires.
        let due = mustClean || (dirtyBytes > 0 && ratio > plan.config.minCleanableDirtyRatio)
        plan.candidate = CompactionCandidate(dirtyRatio: ratio, dirtyBytes: dirtyBytes, mustClean: mustClean, isDue: due)
        return plan
    }

    /// Compacts the log once if it is due (or always, with `force`): keeps the latest record of
    /// every key among the sealed segments old enough to be compacted, drops tombstones whose
    /// delete horizon passed, and swaps the rewritten segments in (see `CleanerSwapManifest`).
    ///
    /// `offsetMapBytes` bounds the key map; when the dirty part has more keys than fit, this
    /// pass compacts up to where the map is complete. `throttle`/`pause` bound the I/O rate:
    /// `pause(nanoseconds)` is called when the throttle asks for a break and returns false to
    /// stop early (shutdown), leaving the log as it was for the groups not yet swapped.
    /// Returns nil when there was nothing to do. Appends and reads go on meanwhile; only the
    /// swap itself holds the partition lock.
    @discardableResult
    public func compact(offsetMapBytes: Int = 128 << 20, throttle: IOThrottle? = nil,
                        pause: @escaping (UInt64) -> Bool = { _ in true }, force: Bool = false) throws(LogStorageError) -> CompactionSummary? {
        try cleanLock.withLock { _ throws(LogStorageError) -> CompactionSummary? in
            let now = time.wallMillis()
            guard let plan = try compactionPlan(now: now), force || plan.candidate.isDue else { return nil }
            var cleaner = SegmentCleaner(log: self, plan: plan, now: now, throttle: throttle, pause: pause)
            return try cleaner.run(offsetMapBytes: offsetMapBytes)
        }
    }

    /// Rolls the active segment when it is older than `segment.ms` and not empty, so an idle
    /// compacted partition's records become compactable. Returns whether it rolled.
    @discardableResult
    public func rollIfIdle() throws(LogStorageError) -> Bool {
        let now = time.wallMillis()
        return try state.withLock { state throws(LogStorageError) -> Bool in
            try state.checkUsable()
            let active = state.active
            guard !active.isEmpty, now - active.rollBaseTimestamp >= state.config.segmentMillis - active.rollJitterMillis else {
                return false
            }
            try roll(&state)
            return true
        }
    }

    // MARK: swap

    /// Carries out a decided swap: removes (or, with a delete delay, renames `.deleted`) the
    /// replaced segments, renames the `.cleaned` files into place, syncs, removes the manifest.
    /// Idempotent, so recovery can run it again after a crash at any point.
    static func applySwap(_ manifest: CleanerSwapManifest, in directory: String, fileSystem: any StorageFileSystem,
                          retire: (String) throws(LogStorageError) -> Void) throws(LogStorageError) {
        let suffixes = SegmentFileName.allSuffixes
        for base in manifest.replaced where base != manifest.base || manifest.drop {
            for suffix in suffixes {
                let path = StoragePath.join(directory, SegmentFileName.stem(base) + suffix)
                if fileSystem.fileExists(path) { try retire(path) }
            }
        }
        for suffix in suffixes where !manifest.drop {
            let final = StoragePath.join(directory, SegmentFileName.stem(manifest.base) + suffix)
            let cleaned = final + CleanerSwapManifest.cleanedSuffix
            if fileSystem.fileExists(cleaned) { try fileSystem.rename(cleaned, to: final) }
        }
        try fileSystem.syncDirectory(directory)
        let manifestPath = StoragePath.join(directory, CleanerSwapManifest.fileName)
        if fileSystem.fileExists(manifestPath) { try fileSystem.removeFile(manifestPath) }
        try fileSystem.syncDirectory(directory)
    }
}

/// One compaction pass over a plan: builds the key map, rewrites segment groups, swaps them in.
/// Runs outside the partition lock except for the swaps.
struct SegmentCleaner {
    let log: PartitionLog
    let plan: PartitionLog.CompactionPlan
    let now: Int64
    let throttle: IOThrottle?
    let pause: (UInt64) -> Bool
    var summary = CompactionSummary(segmentsBefore: 0, segmentsAfter: 0, bytesBefore: 0, bytesAfter: 0,
                                    recordsRemoved: 0, tombstonesRemoved: 0, compactedUpTo: 0)
    /// The earliest delete horizon written or left in place by this pass.
    var earliestHorizon: Int64?
    var stopped = false

    init(log: PartitionLog, plan: PartitionLog.CompactionPlan, now: Int64, throttle: IOThrottle?, pause: @escaping (UInt64) -> Bool) {
        self.log = log
        self.plan = plan
        self.now = now
        self.throttle = throttle
        self.pause = pause
    }

    var directory: String { log.directory }
    var fileSystem: any StorageFileSystem { log.fileSystem }

    mutating func account(_ bytes: Int) {
        guard let throttle, !stopped else { return }
        let wait = throttle.consumed(bytes)
        if wait > 0 && !pause(wait) { stopped = true }
    }

    mutating func run(offsetMapBytes: Int) throws(LogStorageError) -> CompactionSummary? {
        var map = CompactionOffsetMap(capacityBytes: offsetMapBytes)
        let end = try buildMap(&map)
        guard !stopped else { return nil }
        let targets = plan.segments.filter { $0.baseOffset < end }
        // Recovery must accept the gaps this pass may leave, before any segment is swapped.
        let (oldFirstDirty, oldGapHorizon, oldDeleteHorizon) = log.state.withLock { ($0.firstDirtyOffset, $0.gapHorizon, $0.deleteHorizonDue) }
        if end > oldGapHorizon {
            let early = CleanerCheckpoint(firstDirtyOffset: oldFirstDirty, gapHorizon: end, deleteHorizon: oldDeleteHorizon)
            try fileSystem.writeAtomically(early.serialized(), to: StoragePath.join(directory, CleanerCheckpoint.fileName))
            log.state.withLock { $0.gapHorizon = max($0.gapHorizon, end) }
        }
        for group in groups(targets) {
            try cleanGroup(group, map: map)
            if stopped { return nil }
        }
        summary.compactedUpTo = end
        let checkpoint = CleanerCheckpoint(firstDirtyOffset: end, gapHorizon: max(end, oldGapHorizon), deleteHorizon: earliestHorizon)
        try fileSystem.writeAtomically(checkpoint.serialized(), to: StoragePath.join(directory, CleanerCheckpoint.fileName))
        log.state.withLock { state in
            state.firstDirtyOffset = max(state.firstDirtyOffset, end)
            state.deleteHorizonDue = earliestHorizon
        }
        log.logger.info("\(directory): compacted offsets below \(end): \(summary.segmentsBefore) segments (\(summary.bytesBefore) bytes) → \(summary.segmentsAfter) (\(summary.bytesAfter) bytes), \(summary.recordsRemoved) records and \(summary.tombstonesRemoved) tombstones removed")
        return summary
    }

    /// Fills `map` from the dirty part; returns the offset up to which it is complete.
    private mutating func buildMap(_ map: inout CompactionOffsetMap) throws(LogStorageError) -> Int64 {
        var first = true
        for segment in plan.segments where segment.nextOffset > plan.firstDirty {
            var reader = SegmentBatchReader(segment: segment)
            while let (_, header, bytes) = try reader.next() {
                guard header.lastOffset >= plan.firstDirty, !header.isControl, !plan.isAborted(header) else { continue }
                let records = try decode(bytes, segment: segment, header: header)
                for record in records where record.offset >= plan.firstDirty {
                    guard let key = record.key else { continue }
                    // The first batch always goes in, so every pass makes progress; after that a
                    // full map ends this pass here and the rest stays dirty.
                    if !map.insert(key, offset: record.offset, force: first) { return header.baseOffset }
                }
                first = false
            }
            account(reader.bytesRead)
            if stopped { return plan.firstDirty }
        }
        return plan.uncleanable
    }

    private func decode(_ bytes: [UInt8], segment: LogSegment, header: RecordBatchHeader) throws(LogStorageError) -> [Record] {
        do {
            return try RecordBatchRecords.decode(bytes)
        } catch {
            throw .corrupt(path: segment.logPath, position: -1, reason: "batch at offset \(header.baseOffset) cannot be compacted: \(error)")
        }
    }

    /// Consecutive segments that fit one output segment: original sizes within `segment.bytes`,
    /// offsets within 32-bit relative offsets, index entries within `segment.index.bytes`.
    private func groups(_ segments: [LogSegment]) -> [[LogSegment]] {
        var result: [[LogSegment]] = []
        var current: [LogSegment] = []
        var bytes: Int64 = 0
        var entries = 0
        for segment in segments {
            if let first = current.first {
                let fits = bytes + segment.size <= Int64(plan.config.segmentBytes)
                    && segment.nextOffset - first.baseOffset <= Int64(UInt32.max)
                    && entries + segment.index.count <= plan.config.maxIndexEntries
                if !fits {
                    result.append(current)
                    current = []
                    bytes = 0
                    entries = 0
                }
            }
            current.append(segment)
            bytes += segment.size
            entries += segment.index.count
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// What to write for one batch: its original bytes, rewritten bytes, or nothing.
    private mutating func filter(_ header: RecordBatchHeader, _ bytes: [UInt8], segment: LogSegment,
                                 map: CompactionOffsetMap) throws(LogStorageError) -> (bytes: [UInt8]?, changed: Bool) {
        if header.lastOffset < plan.logStart { return (nil, true) }
        // Markers are kept: simplest correct choice (Kafka drops one only once its transaction's
        // records are gone and delete.retention.ms passed).
        if header.isControl { return (bytes, false) }
        let keepForProducer = header.producerId >= 0 && plan.producerBatchEnds.contains(header.lastOffset)
        if plan.isAborted(header) {
            // Records of aborted transactions are removed (the batch kept empty if the producer
            // state needs it).
            summary.recordsRemoved += Int(header.recordCount)
            return (keepForProducer ? RecordBatchRewriter.rewrite(header, keeping: []) : nil, true)
        }
        let records = try decode(bytes, segment: segment, header: header)
        let horizonPassed = header.deleteHorizonMs.map { now >= $0 } ?? false
        var kept: [Record] = []
        kept.reserveCapacity(records.count)
        for record in records {
            guard let key = record.key else {
                summary.recordsRemoved += 1
                continue
            }
            if let latest = map.latestOffset(of: key), record.offset < latest {
                summary.recordsRemoved += 1
                continue
            }
            if record.value == nil && horizonPassed {
                summary.tombstonesRemoved += 1
                continue
            }
            kept.append(record)
        }
        let hasTombstones = kept.contains { $0.value == nil }
        let newHorizon: Int64? = hasTombstones && header.deleteHorizonMs == nil
            ? now.addingReportingOverflow(plan.config.deleteRetentionMillis).partialValue : nil
        if hasTombstones, let horizon = newHorizon ?? header.deleteHorizonMs {
            earliestHorizon = min(earliestHorizon ?? horizon, horizon)
        }
        if kept.count == records.count && newHorizon == nil { return (bytes, false) }
        if kept.isEmpty && !keepForProducer { return (nil, true) }
        return (RecordBatchRewriter.rewrite(header, keeping: kept, deleteHorizonMs: newHorizon), true)
    }

    private mutating func cleanGroup(_ group: [LogSegment], map: CompactionOffsetMap) throws(LogStorageError) {
        guard let first = group.first, let last = group.last else { return }
        let base = first.baseOffset
        let stem = StoragePath.join(directory, SegmentFileName.stem(base))
        let cleanedPath = stem + SegmentFileName.logSuffix + CleanerSwapManifest.cleanedSuffix
        let file = try fileSystem.openFile(cleanedPath, create: true)
        try file.truncate(to: 0)
        // Written through `file` here; once swapped in, the segment opens its final path.
        let output = LogSegment(baseOffset: base, file: log.files.handle(stem + SegmentFileName.logSuffix, fileSystem: fileSystem),
                                directory: directory, size: 0, nextOffset: base,
                                index: OffsetIndex(), timeIndex: TimeIndex(), maxTimestamp: -1, rollBaseTimestamp: 0)
        var changed = group.count > 1
        var unsynced = 0
        var bytesBefore: Int64 = 0
        for segment in group {
            bytesBefore += segment.size
            var reader = SegmentBatchReader(segment: segment)
            while let (_, header, bytes) = try reader.next() {
                let (kept, batchChanged) = try filter(header, bytes, segment: segment, map: map)
                changed = changed || batchChanged
                guard let kept else { continue }
                guard output.size + Int64(kept.count) <= Int64(Int32.max) else {
                    // Rewritten batches (decompressed) outgrew what one segment can index:
                    // leave this group as it is.
                    log.logger.warning("\(directory): compacted segment \(SegmentFileName.stem(base)) would exceed 2 GiB; not compacting it this time")
                    try discard(stem)
                    return
                }
                let keptHeader: RecordBatchHeader
                do { keptHeader = try RecordBatchHeader(parsing: kept, at: 0) } catch {
                    throw .corrupt(path: cleanedPath, position: output.size, reason: "rewritten batch does not parse: \(error)")
                }
                try file.write(kept, at: output.size)
                output.record(keptHeader, at: output.size, indexInterval: plan.config.indexIntervalBytes)
                output.size += Int64(kept.count)
                unsynced += kept.count
                // Sync as we go, so the cleaner never leaves a burst of dirty pages that would
                // stall other partitions' fsyncs.
                if unsynced >= 8 << 20 {
                    try file.sync()
                    unsynced = 0
                }
                account(kept.count)
                if stopped { try discard(stem); return }
            }
            account(reader.bytesRead)
            if stopped { try discard(stem); return }
        }
        guard changed else {
            // Nothing to remove: the segment stays as it is.
            try discard(stem)
            return
        }
        output.nextOffset = last.nextOffset
        output.txnIndex.set(group.flatMap { plan.abortedTransactions[ObjectIdentifier($0)] ?? [] })
        // A group that compacted to nothing is removed outright (unless it starts the log), so
        // empty segments do not pile up.
        let empty = output.size == 0 && first !== plan.segments.first
        if empty {
            try discard(stem)
        } else {
            try file.sync()
            try output.writeIndexes(to: fileSystem, suffix: CleanerSwapManifest.cleanedSuffix)
            try fileSystem.syncDirectory(directory)
        }
        let manifest = CleanerSwapManifest(base: base, replaced: group.map(\.baseOffset), drop: empty)
        let swapped = try log.state.withLock { state throws(LogStorageError) -> Bool in
            try state.checkUsable()
            // Retention or delete-records may have removed some of these segments meanwhile.
            guard let index = state.segments.firstIndex(where: { $0 === first }),
                  index + group.count < state.segments.count, !empty || index > 0,
                  zip(state.segments[index..<(index + group.count)], group).allSatisfy({ $0 === $1 }) else { return false }
            try log.markDirty(&state)
            try fileSystem.writeAtomically(manifest.serialized(), to: StoragePath.join(directory, CleanerSwapManifest.fileName))
            try PartitionLog.applySwap(manifest, in: directory, fileSystem: fileSystem) { path throws(LogStorageError) in
                try log.retire(path, state: &state)
            }
            // The replaced files are gone (or `.deleted`); the first one's path now names the output.
            for segment in group { segment.logFile.retire() }
            state.segments.replaceSubrange(index..<(index + group.count), with: empty ? [] : [output])
            return true
        }
        guard swapped else {
            try discard(stem)
            return
        }
        summary.segmentsBefore += group.count
        summary.segmentsAfter += empty ? 0 : 1
        summary.bytesBefore += bytesBefore
        summary.bytesAfter += output.size
    }

    /// Removes an abandoned group's `.cleaned` files.
    private func discard(_ stem: String) throws(LogStorageError) {
        for suffix in SegmentFileName.allSuffixes {
            let path = stem + suffix + CleanerSwapManifest.cleanedSuffix
            if fileSystem.fileExists(path) { try fileSystem.removeFile(path) }
        }
    }
}
