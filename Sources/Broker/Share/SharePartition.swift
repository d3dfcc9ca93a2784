/// The delivery state of one share partition (one share group × one topic-partition,
/// KIP-932): which records of the partition's log are in flight, who holds them, how often
/// each was delivered. Pure logic: it never reads the log (the caller says which offsets the
/// log holds) and never reads a clock (every operation takes `now`, wall-clock ms).
///
/// Window: the share-partition start offset (SPSO, `startOffset`) is the first offset not yet
/// finished; `endOffset` (SPEO + 1) is the first offset never acquired. Records below SPSO are
/// done (acknowledged or archived); records at or after `endOffset` have never been delivered.
/// `endOffset - startOffset <= settings.maxRecordLocks` (except after a restore with a smaller
/// limit, when no new record is acquired until the window shrinks).
///
/// Invariants of `stateBatches` (runs, not one entry per offset): sorted, contiguous, covering
/// exactly `startOffset..<endOffset`; adjacent runs differ (merged otherwise); the first run is
/// not final (acknowledged/archived runs at the front are dropped as SPSO advances); an
/// available run's delivery count is below `settings.deliveryCountLimit` (a record that
/// reaches the limit is archived when it would become available again); an acquired run has a
/// member id and a lock deadline.
///
/// Thread-safety: a value type with no synchronisation; its owner (`SharePartitionStore`)
/// serialises access.
public struct SharePartition: Sendable, Equatable {
    /// The delivery settings in force: the group's current ones, adopted before each operation
    /// (`adopt(_:)`), as Kafka reads its group configs at every acquisition.
    public private(set) var settings: ShareGroupSettings
    /// SPSO: the first offset still in flight (or `endOffset` when nothing is).
    public private(set) var startOffset: Int64
    /// The first offset never acquired (Kafka's SPEO is `endOffset - 1`).
    public private(set) var endOffset: Int64
    /// Kafka's state epoch: stored with the state; bumped when the state is reset.
    public private(set) var stateEpoch: Int32
    /// The in-flight runs (see the type's invariants).
    public private(set) var stateBatches: [ShareStateBatch] = []

    /// A partition with nothing in flight, starting at `startOffset` (see
    /// `ShareAutoOffsetReset.initialStartOffset`).
    public init(settings: ShareGroupSettings, startOffset: Int64, stateEpoch: Int32 = 0) {
        self.settings = settings
        self.startOffset = max(0, startOffset)
        self.endOffset = self.startOffset
        self.stateEpoch = stateEpoch
    }

    /// A partition restored from stored state (`ShareStateRecord`). Acquired records become
    /// available again with their delivery count kept (archived if the count reached the
    /// limit); batches below `startOffset` are dropped, overlapping or unordered ones skipped,
    /// holes between batches become available records with count 0.
    public init(settings: ShareGroupSettings, startOffset: Int64, stateEpoch: Int32, restoring stored: [ShareStateBatch]) {
        self.init(settings: settings, startOffset: startOffset, stateEpoch: stateEpoch)
        var runs: [ShareStateBatch] = []
        var next = self.startOffset
        for var batch in stored where batch.lastOffset >= next && batch.firstOffset <= batch.lastOffset {
            batch.firstOffset = max(batch.firstOffset, next)
            if batch.firstOffset > next {
                Self.append(ShareStateBatch(firstOffset: next, lastOffset: batch.firstOffset - 1, state: .available, deliveryCount: 0), to: &runs)
            }
            batch.deliveryCount = max(0, batch.deliveryCount)
            if batch.state == .acquired || batch.state == .available { Self.makeAvailable(&batch, limit: settings.deliveryCountLimit) } else { batch.memberId = nil; batch.lockDeadline = 0 }
            Self.append(batch, to: &runs)
            next = batch.lastOffset + 1
        }
        stateBatches = runs
        endOffset = next
        advanceStart()
    }

    /// Takes the group's current settings (an IncrementalAlterConfigs on the group changed
    /// them): later acquisitions, renewals and releases use them; locks already granted keep
    /// their deadlines. The window limit applies to new acquisitions only.
    public mutating func adopt(_ newSettings: ShareGroupSettings) {
        settings = newSettings
    }

    // MARK: queries

    /// Records between SPSO and SPEO, whatever their state (Kafka's in-flight count).
    public var inFlightCount: Int64 { endOffset - startOffset }

    /// Records currently acquired by some member.
    public var acquiredCount: Int64 { count(of: .acquired) }

    /// Records in flight in `state`.
    public func count(of state: ShareRecordState) -> Int64 {
        stateBatches.reduce(0) { $0 + ($1.state == state ? $1.count : 0) }
    }

    /// Where the caller should read the log for the next `acquire`: the first available
    /// in-flight record, else `endOffset`.
    public var nextFetchOffset: Int64 {
        stateBatches.first { $0.state == .available }?.firstOffset ?? endOffset
    }

    /// Whether `acquire` could hand out anything (an available record in flight, or room in
    /// the window for new ones).
    public var canAcquire: Bool {
        stateBatches.contains { $0.state == .available } || endOffset < windowLimit
    }

    /// The earliest lock deadline of an acquired record (when `expireLocks` next has work), or nil.
    public var earliestLockDeadline: Int64? {
        stateBatches.lazy.filter { $0.state == .acquired }.map(\.lockDeadline).min()
    }

    /// The run holding `offset`, or nil if it is not in flight.
    public func batch(containing offset: Int64) -> ShareStateBatch? {
        stateBatches.first { $0.firstOffset <= offset && offset <= $0.lastOffset }
    }

    /// One past the last offset the window allows.
    private var windowLimit: Int64 { startOffset + Int64(max(0, settings.maxRecordLocks)) }

    // MARK: acquire

    /// Acquires for `memberId` up to `maxRecords` records among those the log holds in the
    /// half-open range `logOffsets` (one fetched batch; see the batch form).
    public mutating func acquire(memberId: String, logOffsets: Range<Int64>, maxRecords: Int, mode: ShareAcquireMode,
                                 now: Int64) -> [ShareAcquiredRecords] {
        guard !logOffsets.isEmpty else { return [] }
        return acquire(memberId: memberId, fetched: [logOffsets.lowerBound...(logOffsets.upperBound - 1)], maxRecords: maxRecords,
                       mode: mode, now: now)
    }

    /// Acquires for `memberId` records among `fetched`: the record batches (first...last
    /// offset, ascending, not overlapping) the caller read from the log at `nextFetchOffset`.
    /// Expired locks are released first (`expireLocks`). In order, available in-flight records
    /// are re-acquired (delivery count + 1) and records never delivered are added (count 1)
    /// while the window allows; acquired, acknowledged and archived ones are skipped. Offsets
    /// between `endOffset` and a later fetched batch are absent from the log and archived as
    /// gaps. `maxRecords` is a hard limit in `.recordLimit` mode and a soft one, checked
    /// between fetched batches, in `.batchOptimized` mode. Locks last
    /// `settings.recordLockDurationMs` from `now`. The result lists maximal runs of equal
    /// delivery count in offset order.
    public mutating func acquire(memberId: String, fetched: [ClosedRange<Int64>], maxRecords: Int, mode: ShareAcquireMode,
                                 now: Int64) -> [ShareAcquiredRecords] {
        expireLocks(now: now)
        var acquired: [ShareAcquiredRecords] = []
        var remaining = Int64(max(0, maxRecords))
        let deadline = now &+ settings.recordLockDurationMs
        func record(_ first: Int64, _ last: Int64, _ count: Int16) {
            remaining -= last - first + 1
            if let previous = acquired.last, previous.lastOffset + 1 == first, previous.deliveryCount == count {
                acquired[acquired.count - 1].lastOffset = last
            } else {
                acquired.append(ShareAcquiredRecords(firstOffset: first, lastOffset: last, deliveryCount: count))
            }
        }
        var previousLast = Int64.min
        for batch in fetched {
            guard remaining > 0 else { break }
            let first = max(batch.lowerBound, startOffset, previousLast &+ 1)
            guard first <= batch.upperBound else { continue }
            previousLast = batch.upperBound
            // Records in flight that are available again.
            var targets: [ClosedRange<Int64>] = []
            var budget = remaining
            for run in stateBatches where run.state == .available && run.lastOffset >= first && run.firstOffset <= batch.upperBound {
                let low = max(run.firstOffset, first)
                var high = min(run.lastOffset, batch.upperBound)
                if mode == .recordLimit {
                    guard budget > 0 else { break }
                    high = min(high, low + budget - 1)
                    budget -= high - low + 1
                }
                targets.append(low...high)
            }
            for target in targets {
                update(target) { run in
                    run.state = .acquired
                    run.deliveryCount += 1
                    run.memberId = memberId
                    run.lockDeadline = deadline
                    record(run.firstOffset, run.lastOffset, run.deliveryCount)
                }
            }
            // Records never delivered.
            guard batch.upperBound >= endOffset, remaining > 0 else { continue }
            let low = max(first, endOffset)
            if low > endOffset {
                if stateBatches.isEmpty {
                    startOffset = low
                    endOffset = low
                } else if low < windowLimit {
                    Self.append(ShareStateBatch(firstOffset: endOffset, lastOffset: low - 1, state: .archived, deliveryCount: 0), to: &stateBatches)
                    endOffset = low
                } else {
                    break
                }
            }
            var high = min(batch.upperBound, windowLimit - 1)
            if mode == .recordLimit { high = min(high, low + remaining - 1) }
            guard high >= low else { break }
            Self.append(ShareStateBatch(firstOffset: low, lastOffset: high, state: .acquired, deliveryCount: 1, memberId: memberId,
                                        lockDeadline: deadline), to: &stateBatches)
            endOffset = high + 1
            record(low, high, 1)
        }
        return acquired
    }

    // MARK: acknowledge

    /// Applies `batches` of acknowledgements from `memberId`; one result per batch.
    ///
    /// The list is checked first as Kafka's request validation (`KafkaApis.validateAcknowledgementBatches`)
    /// does: a batch with first > last or a negative offset, a batch starting before the
    /// previous one's last offset, no type, a type count other than 1 or the batch length, or
    /// an unknown type refuse every batch with `.invalidRequest` and change nothing. Then,
    /// after `expireLocks(now:)`, the batches are applied in order as Kafka's
    /// `SharePartition.acknowledge` does: offsets below SPSO are ignored (already done); a
    /// batch reaching `endOffset` or beyond is `.invalidRequest`; a batch with an offset not
    /// acquired by `memberId` (available, another member's, acknowledged — also by an earlier
    /// batch of the same list, which is how a batch starting at the previous one's last
    /// offset fails — archived) is `.invalidRecordState`. The first refused batch stops the
    /// list and rolls back every earlier one (all or nothing, as Kafka): its result is the
    /// error, the others `.none`, and only the lock expiry remains. Accept acknowledges,
    /// release makes available (archived at the delivery limit), reject and gap archive,
    /// renew extends the lock to `now + recordLockDurationMs`. SPSO then advances past the
    /// leading finished records.
    public mutating func acknowledge(memberId: String, batches requests: [ShareAckBatch], now: Int64) -> [ShareError] {
        if !Self.isWellFormed(requests) { return Array(repeating: .invalidRequest, count: requests.count) }
        expireLocks(now: now)
        let before = self
        var results = Array(repeating: ShareError.none, count: requests.count)
        for (index, request) in requests.enumerated() {
            let result = acknowledge(memberId: memberId, request, now: now)
            if result != .none {
                self = before
                results[index] = result
                return results
            }
        }
        advanceStart()
        return results
    }

    /// Kafka's `validateAcknowledgementBatches`: a batch may start at the previous one's last
    /// offset (that offset then fails as no longer acquired) but not before it.
    static func isWellFormed(_ requests: [ShareAckBatch]) -> Bool {
        var previousLast: Int64 = -1
        for request in requests {
            guard request.firstOffset >= 0, request.firstOffset <= request.lastOffset, request.firstOffset >= previousLast,
                  !request.types.isEmpty, request.types.allSatisfy({ ShareAckType(rawValue: $0) != nil }) else { return false }
            let (span, overflow) = request.lastOffset.subtractingReportingOverflow(request.firstOffset)
            guard request.types.count == 1 || (!overflow && span == Int64(request.types.count) - 1) else { return false }
            previousLast = request.lastOffset
        }
        return true
    }

    private mutating func acknowledge(memberId: String, _ request: ShareAckBatch, now: Int64) -> ShareError {
        if request.lastOffset < startOffset { return .none }
        if request.lastOffset >= endOffset { return .invalidRequest }
        let first = max(request.firstOffset, startOffset)
        let owned = stateBatches.allSatisfy { run in
            run.lastOffset < first || run.firstOffset > request.lastOffset || (run.state == .acquired && run.memberId == memberId)
        }
        guard owned else { return .invalidRecordState }
        var offset = first
        while offset <= request.lastOffset {
            guard let type = request.type(at: offset) else { return .invalidRequest }
            var last = request.lastOffset
            if request.types.count > 1 {
                last = offset
                while last < request.lastOffset, request.type(at: last + 1) == type { last += 1 }
            }
            let lockDeadline = now &+ settings.recordLockDurationMs
            let limit = settings.deliveryCountLimit
            update(offset...last) { run in
                switch type {
                case .accept: Self.finish(&run, .acknowledged)
                case .release: Self.makeAvailable(&run, limit: limit)
                case .reject, .gap: Self.finish(&run, .archived)
                case .renew: run.lockDeadline = lockDeadline
                }
            }
            offset = last + 1
        }
        return .none
    }

    // MARK: release

    /// Makes every record whose lock expired at `now` (deadline ≤ now) available again,
    /// delivery count kept (archived at the limit). Returns whether anything changed.
    @discardableResult
    public mutating func expireLocks(now: Int64) -> Bool {
        release { $0.lockDeadline <= now }
    }

    /// Makes every record acquired by `memberId` available again (the member left or closed
    /// its share session), delivery count kept (archived at the limit). Returns whether
    /// anything changed.
    @discardableResult
    public mutating func releaseAll(memberId: String) -> Bool {
        release { $0.memberId == memberId }
    }

    /// The log's start offset moved to `logStartOffset` (retention, DeleteRecords): offsets
    /// below it can no longer be delivered, so SPSO moves up to it. Returns whether anything changed.
    @discardableResult
    public mutating func logStartOffsetMoved(to logStartOffset: Int64) -> Bool {
        guard logStartOffset > startOffset else { return false }
        stateBatches = stateBatches.compactMap { run in
            guard run.lastOffset >= logStartOffset else { return nil }
            var kept = run
            kept.firstOffset = max(run.firstOffset, logStartOffset)
            return kept
        }
        endOffset = max(endOffset, logStartOffset)
        startOffset = logStartOffset
        advanceStart()
        return true
    }

    /// Forgets everything in flight and starts again at `startOffset` with the next state
    /// epoch (AlterShareGroupOffsets, DeleteShareGroupOffsets).
    public mutating func reset(startOffset newStart: Int64) {
        self = SharePartition(settings: settings, startOffset: newStart, stateEpoch: stateEpoch &+ 1)
    }

    // MARK: helpers

    private mutating func release(where predicate: (ShareStateBatch) -> Bool) -> Bool {
        var changed = false
        var runs: [ShareStateBatch] = []
        runs.reserveCapacity(stateBatches.count)
        for var run in stateBatches {
            if run.state == .acquired, predicate(run) {
                Self.makeAvailable(&run, limit: settings.deliveryCountLimit)
                changed = true
            }
            Self.append(run, to: &runs)
        }
        guard changed else { return false }
        stateBatches = runs
        advanceStart()
        return true
    }

    private static func makeAvailable(_ run: inout ShareStateBatch, limit: Int16) {
        run.state = run.deliveryCount >= limit ? .archived : .available
        run.memberId = nil
        run.lockDeadline = 0
    }

    private static func finish(_ run: inout ShareStateBatch, _ state: ShareRecordState) {
        run.state = state
        run.memberId = nil
        run.lockDeadline = 0
    }

    /// Moves SPSO past the leading finished runs.
    private mutating func advanceStart() {
        let finished = stateBatches.prefix { $0.state.isFinal }.count
        if finished > 0 { stateBatches.removeFirst(finished) }
        startOffset = stateBatches.first?.firstOffset ?? endOffset
    }

    /// Applies `body` to the part of every run inside `range`, splitting runs at its bounds and
    /// merging equal neighbours afterwards.
    private mutating func update(_ range: ClosedRange<Int64>, _ body: (inout ShareStateBatch) -> Void) {
        var runs: [ShareStateBatch] = []
        runs.reserveCapacity(stateBatches.count + 2)
        for run in stateBatches {
            guard run.lastOffset >= range.lowerBound, run.firstOffset <= range.upperBound else {
                Self.append(run, to: &runs)
                continue
            }
            if run.firstOffset < range.lowerBound {
                var head = run
                head.lastOffset = range.lowerBound - 1
                Self.append(head, to: &runs)
            }
            var middle = run
            middle.firstOffset = max(run.firstOffset, range.lowerBound)
            middle.lastOffset = min(run.lastOffset, range.upperBound)
            body(&middle)
            Self.append(middle, to: &runs)
            if run.lastOffset > range.upperBound {
                var tail = run
                tail.firstOffset = range.upperBound + 1
                Self.append(tail, to: &runs)
            }
        }
        stateBatches = runs
    }

    private static func append(_ run: ShareStateBatch, to runs: inout [ShareStateBatch]) {
        if let last = runs.last, last.continues(into: run) {
            runs[runs.count - 1].lastOffset = run.lastOffset
        } else {
            runs.append(run)
        }
    }
}
