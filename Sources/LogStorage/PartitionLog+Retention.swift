extension PartitionLog {
    /// Makes offsets below `offset` unreadable (Kafka's DeleteRecords) and deletes segments that
    /// hold only such offsets. `offset` -1 means the high watermark. Returns the new log start
    /// offset; throws `offsetOutOfRange` for an offset above the high watermark or below -1.
    /// The new log start offset is durable before this returns.
    @discardableResult
    public func deleteRecords(before offset: Int64) throws(LogStorageError) -> Int64 {
        try state.withLock { state throws(LogStorageError) -> Int64 in
            try state.checkUsable()
            let target = offset == -1 ? state.highWatermark : offset
            guard target >= 0, target <= state.highWatermark else {
                throw .offsetOutOfRange(requested: offset, logStartOffset: state.logStartOffset, logEndOffset: state.highWatermark)
            }
            guard target > state.logStartOffset else { return state.logStartOffset }
            state.logStartOffset = target
            try writeCheckpoint(state, clean: false)
            state.cleanOnDisk = false
            try deleteSegments(&state) { segment, _ in segment.nextOffset <= target }
            return state.logStartOffset
        }
    }

    /// Deletes whole segments from the head of the log by time (`retention.ms`: newest timestamp
    /// older than that) and by size (`retention.bytes`: while the log would still be at least that
    /// big without the oldest segment), advancing the log start offset. The active segment is
    /// rolled first when it alone is expired, as Kafka does. Returns the number of segments deleted.
    ///
    /// Transactions: as in Kafka (`UnifiedLog.deletableSegments`), a segment is deletable only
    /// when it lies wholly below the high watermark, whatever the last stable offset; deleting
    /// the start of an open transaction leaves the LSO at the new log start offset
    /// (`LogOffsets.lastStableOffset` never falls below it) and the transaction open until its
    /// marker.
    @discardableResult
    public func applyRetention() throws(LogStorageError) -> Int {
        let now = time.wallMillis()
        return try state.withLock { state throws(LogStorageError) -> Int in
            try state.checkUsable()
            let config = state.config
            // `cleanup.policy=compact` alone keeps data whatever its age or size.
            guard config.cleanupPolicy.deletes else { return 0 }
            func expired(_ segment: LogSegment) -> Bool {
                config.retentionMillis >= 0 && !segment.isEmpty && segment.maxTimestamp >= 0
                    && now - segment.maxTimestamp > config.retentionMillis
            }
            if state.segments.allSatisfy(expired) { try roll(&state) }
            let active = state.active
            // A sealed segment compaction emptied holds nothing to keep.
            func emptied(_ segment: LogSegment) -> Bool { segment.isEmpty && segment !== active }
            var remainingBytes = state.segments.reduce(0) { $0 + $1.size }
            return try deleteSegments(&state) { segment, current in
                let bySize = config.retentionBytes >= 0 && remainingBytes - segment.size >= config.retentionBytes
                guard segment.nextOffset <= current.highWatermark,
                      expired(segment) || emptied(segment) || bySize || segment.nextOffset <= current.logStartOffset else { return false }
                remainingBytes -= segment.size
                return true
            }
        }
    }

    /// Deletes segments from the head while `shouldDelete` says so, never the active one.
    /// Persists the advanced log start offset before removing any file, so a crash in between
    /// cannot bring deleted records back into view.
    @discardableResult
    private func deleteSegments(_ state: inout State, _ shouldDelete: (LogSegment, State) -> Bool) throws(LogStorageError) -> Int {
        var doomed: [LogSegment] = []
        while state.segments.count > 1, shouldDelete(state.segments[0], state) {
            doomed.append(state.segments.removeFirst())
        }
        guard !doomed.isEmpty else { return 0 }
        state.logStartOffset = max(state.logStartOffset, state.segments[0].baseOffset)
        try writeCheckpoint(state, clean: false)
        state.cleanOnDisk = false
        for segment in doomed {
            // Readers holding the file keep it; nobody opens it again.
            segment.logFile.retire()
            for path in segment.allPaths where fileSystem.fileExists(path) {
                try retire(path, state: &state)
            }
            logger.info("\(directory): deleted segment \(SegmentFileName.stem(segment.baseOffset)) (offsets \(segment.baseOffset)..<\(segment.nextOffset), \(segment.size) bytes)")
        }
        try fileSystem.syncDirectory(directory)
        return doomed.count
    }
}
