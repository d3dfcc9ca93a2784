extension PartitionLog {
    /// Reads whole batches starting with the one that contains `offset`, up to `maxBytes`
    /// (but at least one whole batch when `minOneBatch`, so a batch larger than the limit can
    /// still be consumed), from a single segment.
    ///
    /// `offset` must be within `[logStartOffset, highWatermark]`, else `offsetOutOfRange`;
    /// at the high watermark the result has no region. The returned batch may start before
    /// `offset` (the reader skips records below it).
    ///
    /// `readCommitted` serves only batches below the last stable offset (an offset in
    /// `[lastStableOffset, highWatermark]` reads nothing) and lists in `abortedTransactions`
    /// the aborted transactions overlapping `[offset, end of the region)`.
    ///
    /// `wantsNextOffset` fills `LogReadResult.nextOffset` (the fetch traffic metrics); it may cost
    /// one batch-header read when the region stops inside a segment, which read_committed reads
    /// pay anyway, so plain reads pay it only when asked.
    public func read(from offset: Int64, maxBytes: Int, minOneBatch: Bool = true,
                     isolation: IsolationLevel = .readUncommitted, wantsNextOffset: Bool = false) throws(LogStorageError) -> LogReadResult {
        try state.withLock { state throws(LogStorageError) -> LogReadResult in
            try state.checkUsable()
            let offsets = state.offsets
            guard offset >= offsets.logStartOffset && offset <= offsets.highWatermark else {
                throw .offsetOutOfRange(requested: offset, logStartOffset: offsets.logStartOffset,
                                        logEndOffset: offsets.highWatermark)
            }
            let committed = isolation == .readCommitted
            let end = committed ? offsets.lastStableOffset : offsets.highWatermark
            guard offset < end else { return LogReadResult(region: nil, offsets: offsets) }
            var index = segmentIndex(containing: offset, in: state.segments)
            while index < state.segments.count {
                let segment = state.segments[index]
                var visibleEnd = visibleSize(of: segment, state)
                if committed && segment.nextOffset > end {
                    visibleEnd = min(visibleEnd, try segment.locate(offset: end)?.position ?? segment.size)
                }
                if let (start, header) = try segment.locate(offset: offset), start < visibleEnd {
                    let limit = start + Int64(max(0, maxBytes))
                    var regionEnd = try segment.lastBoundary(from: start, notAfter: min(limit, visibleEnd))
                    if regionEnd == start {
                        guard minOneBatch else { return LogReadResult(region: nil, offsets: offsets) }
                        regionEnd = start + Int64(header.totalSize)
                    }
                    let region = FileRegion(file: try segment.file, position: start, length: Int(regionEnd - start))
                    guard committed || wantsNextOffset else { return LogReadResult(region: region, offsets: offsets) }
                    // The offset of the first batch after the region (Kafka's fetch upper bound);
                    // a header read only when the region stops inside the segment.
                    let upperBound = regionEnd >= segment.size ? segment.nextOffset
                        : try segment.header(at: regionEnd)?.baseOffset ?? segment.nextOffset
                    guard committed else { return LogReadResult(region: region, offsets: offsets, nextOffset: upperBound) }
                    let aborted = try abortedTransactions(&state, from: offset, upperBound: upperBound, startingAt: index)
                    return LogReadResult(region: region, offsets: offsets, abortedTransactions: aborted, nextOffset: upperBound)
                }
                index += 1
            }
            return LogReadResult(region: nil, offsets: offsets)
        }
    }

    /// The earliest batch whose max timestamp is ≥ `timestamp` among readable batches, or nil
    /// when there is none (Kafka then answers offset -1).
    public func lookup(timestamp: Int64) throws(LogStorageError) -> TimestampLookup? {
        try state.withLock { state throws(LogStorageError) -> TimestampLookup? in
            try state.checkUsable()
            let offsets = state.offsets
            for segment in state.segments where segment.maxTimestamp >= timestamp && segment.nextOffset > offsets.logStartOffset {
                guard let (position, header) = try segment.findTimestamp(timestamp) else { continue }
                guard header.baseOffset < offsets.highWatermark else { return nil }
                if header.lastOffset < offsets.logStartOffset { continue }
                let region = FileRegion(file: try segment.file, position: position, length: header.totalSize)
                return TimestampLookup(offset: max(header.baseOffset, offsets.logStartOffset),
                                       timestamp: header.maxTimestamp, batch: region)
            }
            return nil
        }
    }

    /// The batch holding the largest timestamp in the log (for ListOffsets "max timestamp"),
    /// or nil when the log is empty.
    public func lookupMaxTimestamp() throws(LogStorageError) -> TimestampLookup? {
        let candidate = state.withLock { state -> (timestamp: Int64, offset: Int64)? in
            var best: (timestamp: Int64, offset: Int64)?
            for segment in state.segments where segment.maxTimestamp >= 0 {
                guard let offset = segment.offsetOfMaxTimestamp, offset >= state.logStartOffset,
                      offset < state.highWatermark else { continue }
                if best == nil || segment.maxTimestamp > best?.timestamp ?? Int64.min {
                    best = (segment.maxTimestamp, offset)
                }
            }
            return best
        }
        guard let candidate else { return nil }
        guard let region = try read(from: candidate.offset, maxBytes: 0).region else { return nil }
        return TimestampLookup(offset: candidate.offset, timestamp: candidate.timestamp, batch: region)
    }

    /// Index of the last segment whose base offset is ≤ `offset` (0 if none).
    func segmentIndex(containing offset: Int64, in segments: [LogSegment]) -> Int {
        var low = 0
        var high = segments.count
        while low < high {
            let mid = (low + high) / 2
            if segments[mid].baseOffset <= offset { low = mid + 1 } else { high = mid }
        }
        return max(0, low - 1)
    }

    /// How many bytes of `segment` readers may see (all of it, except past the synced end under `always`).
    func visibleSize(of segment: LogSegment, _ state: State) -> Int64 {
        guard state.config.durability == .always else { return segment.size }
        if segment.baseOffset < state.durableSegment { return segment.size }
        if segment.baseOffset == state.durableSegment { return min(segment.size, state.durablePosition) }
        return 0
    }
}
