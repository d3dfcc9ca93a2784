import KafkaProtocol

extension KafkaConsumer {
    // MARK: commits

    /// Commits `offsets` (the **next** offset to read per partition, i.e. last processed + 1)
    /// for `config.groupId`; nil commits the current position of every assigned partition.
    /// Blocks until the coordinator answers.
    ///
    /// Throws `invalidArgument` without a group id; `broker(code, ...)` for a partition the
    /// coordinator rejected — ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID or REBALANCE_IN_PROGRESS mean
    /// the group rebalanced and the partitions may belong to another member now (the next
    /// `poll` rejoins). Coordinator moves are retried.
    public func commitSync(_ offsets: [TopicPartition: Int64]? = nil) throws(KafkaClientError) {
        guard group != nil else { throw .invalidArgument("commitSync needs ConsumerConfig.groupId") }
        if let offsets, let negative = offsets.first(where: { $0.value < 0 }) {
            throw .invalidArgument("cannot commit negative offset \(negative.value) for \(negative.key)")
        }
        let chosen = try state.withLock { state throws(KafkaClientError) -> [TopicPartition: Int64] in
            guard !state.closed else { throw .closed }
            return offsets ?? state.positions.filter { state.assignment.contains($0.key) }
        }
        try commitOffsets(chosen)
    }

    /// The committed offsets (next offset to read) of `partitions` for `config.groupId`;
    /// partitions without a commit are absent. Throws `invalidArgument` without a group id.
    public func committed(_ partitions: [TopicPartition]) throws(KafkaClientError) -> [TopicPartition: Int64] {
        guard let group else { throw .invalidArgument("committed offsets need ConsumerConfig.groupId") }
        try checkOpen()
        return try group.fetchCommitted(partitions)
    }

    /// OffsetCommit with the current membership (generation and member id when subscribed,
    /// -1/"" for manual assignment); records successes in `lastCommitted` and flags a rejoin
    /// when the coordinator says the generation is over.
    func commitOffsets(_ offsets: [TopicPartition: Int64]) throws(KafkaClientError) {
        guard let group else { throw .invalidArgument("commits need ConsumerConfig.groupId") }
        guard !offsets.isEmpty else { return }
        var member = state.withLock { state in
            if case .subscribed = state.mode {
                return (generation: state.generationId, memberId: state.memberId, instanceId: config.groupInstanceId,
                        consumer: state.activeProtocol == .consumer)
            }
            return (generation: Int32(-1), memberId: "", instanceId: String?.none, consumer: false)
        }
        var results = try group.commit(offsets, generationId: member.generation, memberId: member.memberId,
                                       groupInstanceId: member.instanceId, memberEpoch: member.consumer)
        if member.consumer, results.values.contains(.staleMemberEpoch), let newer = try refreshedMemberEpoch(after: member.generation, memberId: member.memberId) {
            // A heartbeat answer with a newer epoch crossed this commit (Java retries it too):
            // commit again, once, with the epoch the coordinator now expects.
            member.generation = newer
            results = try group.commit(offsets, generationId: newer, memberId: member.memberId,
                                       groupInstanceId: member.instanceId, memberEpoch: true)
        }
        let failure = results.filter { $0.value != .none }.min { $0.key < $1.key }
        state.withLock { state in
            for (partition, code) in results where code == .none {
                if let offset = offsets[partition] { state.lastCommitted[partition] = offset }
            }
            guard let code = failure?.value, state.generationId == member.generation, state.memberId == member.memberId else { return }
            if member.consumer {
                // The coordinator forgot or fenced this member: lose the partitions and rejoin.
                // STALE_MEMBER_EPOCH only means a newer epoch is on its way in a heartbeat.
                if code == .unknownMemberId || code == .fencedMemberEpoch { state.markLost() }
                return
            }
            switch code {
            case .unknownMemberId:
                state.memberId = ""
                state.generationId = -1
                state.isJoined = false
                state.rejoinReason = "OffsetCommit answered \(code.summary)"
            case .illegalGeneration, .rebalanceInProgress:
                state.rejoinReason = "OffsetCommit answered \(code.summary)"
            default:
                break
            }
        }
        if let (partition, code) = failure {
            let hint = [.unknownMemberId, .illegalGeneration, .rebalanceInProgress, .staleMemberEpoch, .fencedMemberEpoch].contains(code)
                ? " (the group rebalanced; the partition may belong to another member now)" : ""
            throw .broker(code, context: "OffsetCommit of \(partition) for group \(group.groupId)\(hint)")
        }
    }

    /// After STALE_MEMBER_EPOCH: a heartbeat (waiting for one in flight) so the member learns
    /// its current epoch; that epoch when it moved past `epoch` and the member is still the
    /// same, else nil (fenced or left meanwhile: the commit's failure stands).
    private func refreshedMemberEpoch(after epoch: Int32, memberId: String) throws(KafkaClientError) -> Int32? {
        do {
            try consumerGroupHeartbeat(wait: true)
        } catch {
            guard error.isRetriable else { throw error }
            return nil
        }
        return state.withLock { state in
            state.memberId == memberId && !state.membership.lost && state.generationId > epoch ? state.generationId : nil
        }
    }

    /// Commits changed positions when auto-commit is on and the interval has passed (errors are
    /// ignored, as a periodic commit is retried at the next interval).
    func maybeAutoCommit() {
        guard config.enableAutoCommit, group != nil else { return }
        let now = nowNanos()
        let due = state.withLock { state -> [TopicPartition: Int64]? in
            guard now >= state.nextAutoCommitNanos else { return nil }
            state.nextAutoCommitNanos = Self.deadline(afterMs: config.autoCommitIntervalMs, from: now)
            if case .subscribed = state.mode, !state.isJoined { return nil }
            return state.positions.filter { state.assignment.contains($0.key) && state.lastCommitted[$0.key] != $0.value }
        }
        if let due, !due.isEmpty { try? commitOffsets(due) }
    }

    // MARK: seeking

    /// Makes `offset` the next offset `poll` returns for the assigned `partition`.
    public func seek(_ partition: TopicPartition, to offset: Int64) throws(KafkaClientError) {
        guard offset >= 0 else { throw .invalidArgument("cannot seek \(partition) to negative offset \(offset)") }
        try setPositions([partition: offset])
    }

    /// Seeks each partition (every assigned one when empty) to its log start offset.
    public func seekToBeginning(_ partitions: [TopicPartition]) throws(KafkaClientError) {
        try seek(partitions, query: OffsetLookup.earliest)
    }

    /// Seeks each partition (every assigned one when empty) to its log end offset (the next
    /// record produced).
    public func seekToEnd(_ partitions: [TopicPartition]) throws(KafkaClientError) {
        try seek(partitions, query: OffsetLookup.latest)
    }

    /// Seeks `partition` to the first record whose timestamp is ≥ `timestamp` (ms since the
    /// epoch), or to the log end when there is none.
    public func seek(_ partition: TopicPartition, toTimestamp timestamp: Int64) throws(KafkaClientError) {
        guard timestamp >= 0 else { throw .invalidArgument("timestamp \(timestamp) must not be negative") }
        try seek([partition], query: timestamp)
    }

    /// The log start offset of each partition (assigned or not).
    public func beginningOffsets(_ partitions: [TopicPartition]) throws(KafkaClientError) -> [TopicPartition: Int64] {
        try checkOpen()
        return try lookup.offsets(Dictionary(partitions.map { ($0, OffsetLookup.earliest) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The log end offset (high watermark) of each partition (assigned or not).
    public func endOffsets(_ partitions: [TopicPartition]) throws(KafkaClientError) -> [TopicPartition: Int64] {
        try checkOpen()
        return try lookup.offsets(Dictionary(partitions.map { ($0, OffsetLookup.latest) }, uniquingKeysWith: { a, _ in a }))
    }

    private func seek(_ partitions: [TopicPartition], query: Int64) throws(KafkaClientError) {
        let chosen = try state.withLock { state throws(KafkaClientError) -> [TopicPartition] in
            guard !state.closed else { throw .closed }
            let chosen = partitions.isEmpty ? Array(state.assignment) : partitions
            if let missing = chosen.first(where: { !state.assignment.contains($0) }) { throw Self.notAssigned(missing) }
            return chosen
        }
        var found = try lookup.offsets(Dictionary(chosen.map { ($0, query) }, uniquingKeysWith: { a, _ in a }))
        let unmatched = found.filter { $0.value < 0 }.map(\.key)
        if !unmatched.isEmpty {
            let ends = try lookup.offsets(Dictionary(unmatched.map { ($0, OffsetLookup.latest) }, uniquingKeysWith: { a, _ in a }))
            found.merge(ends) { _, end in end }
        }
        try setPositions(found)
    }

    private func setPositions(_ positions: [TopicPartition: Int64]) throws(KafkaClientError) {
        try state.withLock { state throws(KafkaClientError) in
            guard !state.closed else { throw .closed }
            if let missing = positions.keys.first(where: { !state.assignment.contains($0) }) { throw Self.notAssigned(missing) }
            state.positions.merge(positions) { _, new in new }
        }
        wake.signal()
    }

    /// Throws `closed` after `close()`.
    func checkOpen() throws(KafkaClientError) {
        if state.withLock({ $0.closed }) { throw .closed }
    }

    // MARK: initial positions and resets

    /// Gives each of `partitions` still assigned and without a position its committed offset
    /// (with a group), else the `autoOffsetReset` offset; `.none` throws `invalidArgument`.
    /// A position set concurrently (seek) wins.
    func resolveMissingPositions(_ partitions: [TopicPartition]) throws(KafkaClientError) {
        guard !partitions.isEmpty else { return }
        var found = try group?.fetchCommitted(partitions) ?? [:]
        let rest = partitions.filter { found[$0] == nil }
        if !rest.isEmpty {
            let query: Int64
            switch config.autoOffsetReset {
            case .earliest: query = OffsetLookup.earliest
            case .latest: query = OffsetLookup.latest
            case .none:
                let names = rest.sorted().map(\.description).joined(separator: ", ")
                let why = group.map { "group \($0.groupId) has no committed offset" } ?? "there is no group to read a committed offset from"
                throw .invalidArgument("no position for \(names): \(why) and autoOffsetReset is .none (seek first)")
            }
            found.merge(try lookup.offsets(Dictionary(rest.map { ($0, query) }, uniquingKeysWith: { a, _ in a }))) { a, _ in a }
        }
        state.withLock { state in
            for (partition, offset) in found where state.assignment.contains(partition) && state.positions[partition] == nil {
                state.positions[partition] = offset
            }
        }
    }

    /// Handles OFFSET_OUT_OF_RANGE for partitions fetched at the given offsets: resets them per
    /// `autoOffsetReset` (unless their position moved meanwhile); `.none` throws.
    func resetOutOfRange(_ fetched: [TopicPartition: (offset: Int64, logStart: Int64, highWatermark: Int64)]) throws(KafkaClientError) {
        guard !fetched.isEmpty else { return }
        let query: Int64
        switch config.autoOffsetReset {
        case .earliest: query = OffsetLookup.earliest
        case .latest: query = OffsetLookup.latest
        case .none:
            guard let (partition, info) = fetched.min(by: { $0.key < $1.key }) else { return }
            throw .broker(.offsetOutOfRange, context: "Fetch of \(partition) at offset \(info.offset) (log start \(info.logStart), "
                + "high watermark \(info.highWatermark)) with autoOffsetReset .none; seek to a valid offset")
        }
        let offsets = try lookup.offsets(Dictionary(fetched.keys.map { ($0, query) }, uniquingKeysWith: { a, _ in a }))
        state.withLock { state in
            for (partition, offset) in offsets where state.assignment.contains(partition) && state.positions[partition] == fetched[partition]?.offset {
                state.positions[partition] = offset
            }
        }
    }
}
