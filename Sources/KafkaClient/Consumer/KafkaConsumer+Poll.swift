import KafkaProtocol

extension KafkaConsumer {
    /// How one fetch round ended.
    enum FetchRound {
        /// Records for the caller (positions already advanced past them).
        case records([ConsumerRecord])
        /// The brokers answered (after their long poll) with nothing new.
        case empty
        /// Nothing could be fetched (no positioned partitions, leaders unknown, errors): wait
        /// before the next round.
        case idle
    }

    /// Waits up to `timeoutMs` for records and returns them: in offset order per partition,
    /// partitions in `TopicPartition` order, and advances the positions past them (so the next
    /// auto-commit or `commitSync()` covers them). Returns `[]` when the time passes without
    /// records, or when `close()` is called meanwhile.
    ///
    /// For a subscription it also joins the group and performs rebalances (revoke and assign
    /// callbacks run here); a JoinGroup can keep `poll` beyond `timeoutMs` until the group has
    /// settled (at most about `rebalanceTimeoutMs`). Partitions without a position get their
    /// committed offset, else `autoOffsetReset`.
    ///
    /// Throws: `invalidArgument` before `subscribe`/`assign` or when another `poll` is running;
    /// `unknownTopic`/`unknownPartition` for partitions that do not exist; `broker(.offsetOutOfRange,
    /// ...)` or `invalidArgument` when `autoOffsetReset` is `.none` and there is no valid
    /// position; `unsupported(.fetch, ...)` for compressed batches (not supported yet);
    /// `broker(.fencedInstanceId, ...)` when another instance took this static member's id
    /// (thrown by every later call); `closed` after `close()`. Transient failures (broker or
    /// coordinator unreachable, moved leaders) are retried and show up as empty polls.
    public func poll(timeoutMs: Int) throws(KafkaClientError) -> [ConsumerRecord] {
        try state.withLock { state throws(KafkaClientError) in
            guard !state.closed else { throw .closed }
            guard !state.polling else { throw .invalidArgument("poll is already running on another thread") }
            if let fatal = state.fatalError { throw fatal }
            guard state.mode != .none else { throw .invalidArgument("poll needs subscribe(_:) or assign(_:) first") }
            state.polling = true
        }
        defer {
            state.withLock { $0.polling = false }
            wake.signal()
        }
        let deadline = Self.deadline(afterMs: timeoutMs, from: nowNanos())
        while true {
            let seen = wake.generation
            let (closed, subscribed) = state.withLock { state in
                (state.closed, { if case .subscribed = state.mode { true } else { false } }())
            }
            if closed { return [] }
            if subscribed {
                guard try ensureActiveGroup(deadline: deadline) else { return [] }
            }
            maybeAutoCommit()
            let missing = state.withLock { state in state.assignment.filter { state.positions[$0] == nil }.sorted() }
            try resolveMissingPositions(missing)

            let remainingMs = Int((deadline &- min(deadline, nowNanos())) / 1_000_000)
            switch try fetchRound(maxWaitMs: min(config.fetchMaxWaitMs, remainingMs)) {
            case .records(let records):
                return records
            case .empty:
                break
            case .idle:
                let nothingAssigned = state.withLock { $0.assignment.isEmpty }
                waitForWake(milliseconds: nothingAssigned ? remainingMs : min(remainingMs, clientConfig.retryBackoffMs), seen: seen)
            }
            if nowNanos() >= deadline { return [] }
        }
    }

    /// One Fetch per leader for every assigned partition with a position; applies the results
    /// whose partition is still assigned at the position it was fetched from.
    func fetchRound(maxWaitMs: Int) throws(KafkaClientError) -> FetchRound {
        let (targets, stale) = state.withLock { state in
            let targets = state.assignment.sorted().compactMap { partition in
                state.positions[partition].map { ConsumerFetcher.Target(partition: partition, offset: $0) }
            }
            defer { state.metadataStale = false }
            return (targets, state.metadataStale)
        }
        guard !targets.isEmpty else { return .idle }
        if stale {
            do {
                try cluster.refreshMetadata(topics: Set(targets.map(\.partition.topic)).sorted())
            } catch {
                guard error.isRetriable else { throw error }
                state.withLock { $0.metadataStale = true }
                return .idle
            }
        }

        var plan: [Int32: [ConsumerFetcher.Target]] = [:]
        var leaderless = false
        for target in targets {
            let info = try cluster.topic(target.partition.topic)
            guard target.partition.partition < info.partitionCount else {
                throw .unknownPartition(topic: target.partition.topic, partition: target.partition.partition)
            }
            let leader = info.leaders[Int(target.partition.partition)]
            if leader < 0 { leaderless = true } else { plan[leader, default: []].append(target) }
        }
        if leaderless { state.withLock { $0.metadataStale = true } }
        guard !plan.isEmpty else { return .idle }

        let fetchedFrom = Dictionary(targets.map { ($0.partition, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var records: [ConsumerRecord] = []
        var advances: [TopicPartition: (from: Int64, to: Int64)] = [:]
        var outOfRange: [TopicPartition: (offset: Int64, logStart: Int64, highWatermark: Int64)] = [:]
        var troubled = leaderless
        for (leader, result) in fetcher.fetch(plan, maxWaitMs: maxWaitMs).sorted(by: { $0.key < $1.key }) {
            let response: FetchResponse
            switch result {
            case .success(let answer): response = answer
            case .failure(let error):
                guard error.isRetriable else { throw error }
                troubled = true
                continue
            }
            guard response.errorCode == .none else {
                troubled = true
                continue
            }
            for topic in response.responses {
                for answer in topic.partitions {
                    let partition = TopicPartition(topic: topic.topic, partition: answer.partitionIndex)
                    guard let offset = fetchedFrom[partition] else { continue }
                    switch answer.errorCode {
                    case .none:
                        let aborted = config.isolationLevel == .readCommitted
                            ? (answer.abortedTransactions ?? []).map { ($0.producerId, $0.firstOffset) } : nil
                        let decoded = try FetchedRecordsDecoder.decode(answer.records?.bytes ?? [], topic: partition.topic,
                                                                       partition: partition.partition, fetchOffset: offset,
                                                                       abortedTransactions: aborted)
                        records += decoded.records
                        advances[partition] = (offset, decoded.nextOffset)
                    case .offsetOutOfRange:
                        outOfRange[partition] = (offset, answer.logStartOffset, answer.highWatermark)
                    case .notLeaderOrFollower, .leaderNotAvailable, .unknownTopicOrPartition, .unknownTopicId, .fencedLeaderEpoch,
                         .unknownLeaderEpoch, .kafkaStorageError, .replicaNotAvailable, .offsetNotAvailable, .brokerNotAvailable,
                         .requestTimedOut, .networkException:
                        troubled = true
                    default:
                        throw .broker(answer.errorCode, context: "Fetch of \(partition) at offset \(offset) from broker \(leader)")
                    }
                }
            }
        }
        if !outOfRange.isEmpty && config.autoOffsetReset == .none {
            try resetOutOfRange(outOfRange)  // throws
        }

        let accepted = state.withLock { state -> Set<TopicPartition> in
            if troubled { state.metadataStale = true }
            var accepted: Set<TopicPartition> = []
            for (partition, move) in advances where state.assignment.contains(partition) && state.positions[partition] == move.from {
                state.positions[partition] = move.to
                accepted.insert(partition)
            }
            return accepted
        }
        try resetOutOfRange(outOfRange)
        records = records.filter { accepted.contains($0.topicPartition) }
        if !records.isEmpty {
            records.sort { $0.topicPartition != $1.topicPartition ? $0.topicPartition < $1.topicPartition : $0.offset < $1.offset }
            return .records(records)
        }
        return troubled ? .idle : .empty
    }
}
