import KafkaProtocol

extension ShareConsumer {
    /// Waits up to `timeoutMs` for records acquired for this consumer and returns them (by
    /// partition, then offset). Joins the group first if needed (which may take longer than
    /// `timeoutMs` when the coordinator is slow). In implicit mode the records of the previous
    /// poll are accepted first (the acknowledgements travel with this poll's ShareFetch).
    ///
    /// Returns `[]` when the time passes without records, or after `close()` on another thread.
    ///
    /// Throws: `invalidArgument` before `subscribe`; `closed` after `close()`; non-retriable
    /// broker errors (`broker(.groupIdNotFound, ...)` when the id belongs to a consumer group,
    /// `unsupported(.shareFetch, ...)` for brokers without share groups, corrupt batches).
    /// Transient failures (leaders moved, sessions lost, member fenced — it rejoins) are retried
    /// and show up as empty polls.
    public func poll(timeoutMs: Int) throws(KafkaClientError) -> [ShareRecord] {
        try sessionSection.run { () throws(KafkaClientError) -> [ShareRecord] in
            try state.withLock { state throws(KafkaClientError) in
                guard !state.closed else { throw .closed }
                if let fatal = state.fatalError { throw fatal }
                guard !state.topics.isEmpty else { throw .invalidArgument("poll needs subscribe(_:) first") }
                if config.acknowledgementMode == .implicit { state.acceptDelivered() }
            }
            let deadline = nowNanos() &+ UInt64(max(0, timeoutMs)) &* 1_000_000
            while true {
                if state.withLock({ $0.closed }) { return [] }
                var idle = false
                do throws(KafkaClientError) {
                    try ensureJoined()
                    let remainingMs = Int((deadline &- min(deadline, nowNanos())) / 1_000_000)
                    switch try fetchRound(maxWaitMs: min(config.fetchMaxWaitMs, remainingMs)) {
                    case .some(let records) where !records.isEmpty: return records
                    case .some: break
                    case .none: idle = true
                    }
                } catch {
                    guard error.isRetriable else { throw error }
                    idle = true
                }
                let now = nowNanos()
                if now >= deadline { return [] }
                if idle { pause(milliseconds: min(config.client.retryBackoffMs, Int((deadline - now) / 1_000_000))) }
            }
        }
    }

    /// One ShareFetch per leader of the assigned partitions (and of partitions with
    /// acknowledgements to send). Returns the records, or nil when nothing could be fetched
    /// (nothing assigned, leaders unknown, a session or membership to redo).
    func fetchRound(maxWaitMs: Int) throws(KafkaClientError) -> [ShareRecord]? {
        let (assignment, stale) = state.withLock { state in
            defer { state.metadataStale = false }
            return (state.assignment, state.metadataStale)
        }
        if stale, !assignment.isEmpty { try cluster.refreshMetadata(topics: Set(assignment.map(\.topic)).sorted()) }
        var plan: [Int32: Set<TopicPartition>] = [:]
        for partition in assignment {
            let info = try cluster.topic(partition.topic)
            let leader = partition.partition < info.partitionCount ? info.leaders[Int(partition.partition)] : -1
            if leader < 0 { state.withLock { $0.metadataStale = true } } else { plan[leader, default: []].insert(partition) }
        }
        // Sessions holding partitions no longer assigned here still need their acknowledgements
        // sent and those partitions forgotten.
        let sessionNodes = state.withLock { state in state.sessions.filter { $0.value.epoch != 0 && !$0.value.partitions.isEmpty }.map(\.key) }
        for node in sessionNodes where plan[node] == nil { plan[node] = [] }
        guard !plan.isEmpty else { return nil }

        var records: [ShareRecord] = []
        var fetched = false
        let leaders = plan.keys.sorted()
        let waitEach = leaders.count > 1 ? maxWaitMs / leaders.count : maxWaitMs
        for leader in leaders {
            if let found = try fetch(from: leader, partitions: plan[leader] ?? [], maxWaitMs: waitEach) {
                records += found
                fetched = true
            }
        }
        guard fetched else { return nil }
        return records.sorted { ($0.topic, $0.partition, $0.offset) < ($1.topic, $1.partition, $1.offset) }
    }

    /// The topic ids of `partitions`' topics (from the metadata cache).
    func topicIds(_ partitions: some Sequence<TopicPartition>) throws(KafkaClientError) -> [String: [UInt8]] {
        var ids: [String: [UInt8]] = [:]
        for topic in Set(partitions.map(\.topic)) { ids[topic] = try cluster.topic(topic).id }
        return ids
    }

    /// One ShareFetch to `leader` for `wanted` (its session is opened, extended or trimmed to
    /// them) carrying the acknowledgements of the session's partitions. Nil when the session or
    /// membership had to be reset, or the broker was unreachable.
    func fetch(from leader: Int32, partitions wanted: Set<TopicPartition>, maxWaitMs: Int) throws(KafkaClientError) -> [ShareRecord]? {
        let (session, acks) = state.withLock { state -> (ShareConsumerState.Session, [TopicPartition: [ShareAcknowledgements.Batch]]) in
            let session = state.sessions[leader] ?? ShareConsumerState.Session()
            // A new session cannot carry acknowledgements (the records were released anyway).
            let acks = session.epoch == 0 ? [:] : state.pending.take(session.partitions)
            return (session, acks)
        }
        let forgotten = session.epoch == 0 ? [] : session.partitions.subtracting(wanted)
        let named = wanted.union(acks.keys)
        let ids = try topicIds(named.union(forgotten))
        let names = Dictionary(ids.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        let request = ShareFetchRequest(
            groupId: config.groupId, memberId: memberId, shareSessionEpoch: session.epoch, maxWaitMs: Int32(clamping: max(0, maxWaitMs)),
            minBytes: 1, maxBytes: Int32(clamping: config.fetchMaxBytes), maxRecords: Int32(clamping: config.maxPollRecords),
            batchSize: Int32(clamping: config.maxPollRecords), shareAcquireMode: 1,
            topics: Self.grouped(named).map { topic, partitions in
                ShareFetchRequest.FetchTopic(topicId: ids[topic] ?? [], partitions: partitions.map { partition in
                    ShareFetchRequest.FetchPartition(partitionIndex: partition.partition, acknowledgementBatches: (acks[partition] ?? []).map {
                        ShareFetchRequest.AcknowledgementBatch(firstOffset: $0.firstOffset, lastOffset: $0.lastOffset, acknowledgeTypes: $0.types)
                    })
                })
            },
            forgottenTopicsData: Self.grouped(forgotten).map { topic, partitions in
                ShareFetchRequest.ForgottenTopic(topicId: ids[topic] ?? [], partitions: partitions.map(\.partition))
            })
        let response: ShareFetchResponse
        do {
            let connection = try cluster.connection(node: leader, purpose: Self.fetchPurpose)
            response = try connection.send(request, timeoutMs: config.client.requestTimeoutMs + max(0, maxWaitMs)).0
        } catch {
            guard error.isRetriable else { throw error }
            // The answer may have been lost after the broker moved the epoch: start anew.
            state.withLock { state in
                state.resetSession(leader)
                state.metadataStale = true
            }
            return nil
        }
        switch response.errorCode {
        case .none:
            break
        case .shareSessionNotFound, .invalidShareSessionEpoch:
            state.withLock { $0.resetSession(leader) }
            return nil
        case let code where Self.needsRejoin(code):
            state.withLock { $0.resetMembership() }
            return nil
        case let code where KafkaClientError.broker(code, context: "").isRetriable || code == .shareSessionLimitReached:
            state.withLock { $0.metadataStale = true }
            return nil
        case let code:
            throw .broker(code, context: "ShareFetch for share group \(config.groupId)\(response.errorMessage.map { ": \($0)" } ?? "")")
        }
        var records: [ShareRecord] = []
        var gaps: [TopicPartition: [Int64]] = [:]
        for topic in response.responses {
            guard let name = names[topic.topicId] else { continue }
            for answer in topic.partitions {
                let partition = TopicPartition(topic: name, partition: answer.partitionIndex)
                guard answer.errorCode == .none else {
                    state.withLock { $0.metadataStale = true }
                    continue
                }
                guard !answer.acquiredRecords.isEmpty else { continue }
                let decoded = try ShareRecordsDecoder.decode(answer.records?.bytes ?? [], topic: name, partition: answer.partitionIndex,
                                                             acquired: answer.acquiredRecords)
                records += decoded.records
                if !decoded.gaps.isEmpty { gaps[partition] = decoded.gaps }
            }
        }
        state.withLock { state in
            var next = session
            next.epoch = session.epoch == Int32.max ? 1 : session.epoch + 1
            next.partitions = (session.epoch == 0 ? named : session.partitions.union(named)).subtracting(forgotten)
            state.sessions[leader] = next
            for record in records { state.delivered[record.topicPartition, default: []].insert(record.offset) }
            for (partition, offsets) in gaps {
                for offset in offsets { state.pending.addGap(partition, offset: offset) }
            }
        }
        return records
    }

    /// `partitions` by topic, both sorted.
    static func grouped(_ partitions: some Sequence<TopicPartition>) -> [(String, [TopicPartition])] {
        Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { ($0.key, $0.value.sorted()) }
    }
}
