import KafkaProtocol
import KafkaRecords
import LogStorage

extension Broker {
    /// One partition a share request names, resolved from its topic id.
    struct SharePartitionRef: Hashable {
        var topicId: [UInt8]
        var topic: String
        var partition: Int32
    }

    /// A copy of the share state of `group`'s partition `topic`-`partition`, or nil if the group
    /// has none there (tests, diagnostics).
    public func sharePartitionState(group: String, topic: String, partition: Int32) -> SharePartition? {
        sharePartitions.partition(SharePartitionKey(group: group, topic: topic, partition: partition))
    }

    /// How many share sessions are open.
    public var shareSessionCount: Int { shareSessions.count }

    /// The topic name of a topic id, or nil.
    func topicName(id: [UInt8]) -> String? {
        store.topics.first { $0.id == id }?.name
    }

    /// Applies acknowledgement batches of one member to one share partition, all or nothing;
    /// NONE, or the error of the first refused batch (INVALID_RECORD_STATE, INVALID_REQUEST,
    /// KAFKA_STORAGE_ERROR). A partition the group has no share state for answers
    /// UNKNOWN_TOPIC_OR_PARTITION (Kafka's `SharePartitionManager.acknowledge`).
    func applyShareAcknowledgements(groupId: String, memberId: String, topic: String, partition: Int32,
                                    batches: [(first: Int64, last: Int64, types: [Int8])], version: Int16) -> ErrorCode {
        guard !batches.isEmpty else { return .none }
        // Renew (type 4) exists from v2 (KIP-1222); in a v1 request it is an unknown type.
        if version < 2, batches.contains(where: { $0.types.contains(ShareAckType.renew.rawValue) }) { return .invalidRequest }
        let key = SharePartitionKey(group: groupId, topic: topic, partition: partition)
        guard sharePartitions.partition(key) != nil else { return .unknownTopicOrPartition }
        let results = sharePartitions.acknowledge(key, memberId: memberId, batches: batches.map {
            ShareAckBatch(firstOffset: $0.first, lastOffset: $0.last, types: $0.types)
        }, settings: shareGroupSettings(groupId))
        let first = results.first { $0 != .none } ?? .none
        return ErrorCode(code: first.rawValue)
    }

    /// ShareFetch v1–2 (KIP-932): checks the share session (epoch 0 opens it, -1 closes it),
    /// applies the acknowledgements it carries (renew, type 4, only from v2; a v2 request with
    /// `IsRenewAck` must have MaxBytes, MinBytes, MaxRecords and MaxWaitMs 0, else
    /// INVALID_REQUEST, and acquires nothing — KIP-1222, KAFKA-19844), then acquires available
    /// records of the session's partitions for the member — whole batches are sent,
    /// `AcquiredRecords` says which offsets the member holds and for how many deliveries. With nothing to acquire it waits in the
    /// purgatory up to `MaxWaitMs` (capped) for new data. Errors: no group or member id →
    /// INVALID_REQUEST; session errors as `ShareSessionCache` answers; unknown topic ids →
    /// UNKNOWN_TOPIC_ID per partition. As in Kafka (`KafkaApis.handleShareFetchRequest`,
    /// `SharePartitionManager.newContext`), neither group membership nor the member's
    /// assignment is checked: the share-partition leader serves any member id and any
    /// partition named (membership only ends a session: leaving or timing out drops it).
    /// Authorization as Kafka's: READ on the group first (else GROUP_AUTHORIZATION_FAILED for
    /// the request); partitions of topics the principal may not READ answer
    /// TOPIC_AUTHORIZATION_FAILED (their acknowledgements too) and acquire nothing.
    func handleShareFetch(_ request: ShareFetchRequest, version: Int16, context requestContext: RequestContext,
                          encode: @escaping Encoder) -> BrokerReply {
        let listener = requestContext.listener
        func fail(_ code: ErrorCode, _ message: String?) -> BrokerReply {
            encode(ShareFetchResponse(throttleTimeMs: 0, errorCode: code, errorMessage: message, acquisitionLockTimeoutMs: 0), [])
        }
        if let groupId = request.groupId, !isAuthorized(requestContext, .read, .group, groupId) {
            return fail(.groupAuthorizationFailed, nil)
        }
        guard let groupId = request.groupId, !groupId.isEmpty, let memberId = request.memberId, !memberId.isEmpty else {
            return fail(.invalidRequest, "GroupId and MemberId are required")
        }
        // KIP-1222: a request carrying renew acknowledgements only renews; it must ask for nothing.
        let renewOnly = version >= 2 && request.isRenewAck
        if renewOnly, request.maxBytes != 0 || request.minBytes != 0 || request.maxRecords != 0 || request.maxWaitMs != 0 {
            return fail(.invalidRequest, "MaxBytes, MinBytes, MaxRecords and MaxWaitMs must be 0 when IsRenewAck is set")
        }
        var unknownTopics: [(topicId: [UInt8], partition: Int32)] = []
        var named: [SharePartitionRef] = []
        var acknowledgements: [SharePartitionRef: [(first: Int64, last: Int64, types: [Int8])]] = [:]
        for topic in request.topics {
            for partition in topic.partitions {
                guard let name = topicName(id: topic.topicId) else {
                    unknownTopics.append((topic.topicId, partition.partitionIndex))
                    continue
                }
                let ref = SharePartitionRef(topicId: topic.topicId, topic: name, partition: partition.partitionIndex)
                named.append(ref)
                if !partition.acknowledgementBatches.isEmpty {
                    acknowledgements[ref] = partition.acknowledgementBatches.map { ($0.firstOffset, $0.lastOffset, $0.acknowledgeTypes) }
                }
            }
        }
        let forgotten = request.forgottenTopicsData.flatMap { topic in
            topicName(id: topic.topicId).map { name in topic.partitions.map { ShareSessionCache.Partition(topic: name, partition: $0) } } ?? []
        }
        // Records the member holds in partitions leaving its session go back to the group (as in
        // Kafka): all of them when the session is closed or opened anew, else the forgotten ones.
        let previous = shareSessions.session(groupId: groupId, memberId: memberId)?.partitions ?? []
        let outcome = shareSessions.fetch(groupId: groupId, memberId: memberId, epoch: request.shareSessionEpoch,
                                          adding: Set(named.map { ShareSessionCache.Partition(topic: $0.topic, partition: $0.partition) }),
                                          forgetting: Set(forgotten), hasAcknowledgements: !acknowledgements.isEmpty, now: time.wallMillis())
        let sessionPartitions: Set<ShareSessionCache.Partition>
        switch outcome {
        case .refused(let code):
            return fail(code, "share session of member \(memberId) in group \(groupId): \(code.summary)")
        case .closed:
            sessionPartitions = []
        case .proceed(let partitions):
            sessionPartitions = partitions
        }
        // Kafka's READ check covers the partitions named and those of the session.
        let unreadable = Set(Set(named.map(\.topic) + sessionPartitions.map(\.topic)).filter { !isAuthorized(requestContext, .read, .topic, $0) })
        var ackErrors: [SharePartitionRef: ErrorCode] = [:]
        for (ref, batches) in acknowledgements {
            if unreadable.contains(ref.topic) {
                ackErrors[ref] = .topicAuthorizationFailed
                continue
            }
            ackErrors[ref] = applyShareAcknowledgements(groupId: groupId, memberId: memberId, topic: ref.topic, partition: ref.partition,
                                                        batches: batches, version: version)
        }
        let left = previous.subtracting(sessionPartitions)
        if !left.isEmpty {
            sharePartitions.releaseAll(group: groupId, memberId: memberId,
                                       only: Set(left.map { SharePartitionKey(group: groupId, topic: $0.topic, partition: $0.partition) }))
        }
        // The partitions to answer: those named (with their acknowledgement results) and every
        // session partition that has records for the member.
        var refs = Set(named)
        for partition in sessionPartitions {
            if let id = store.topic(partition.topic)?.id { refs.insert(SharePartitionRef(topicId: id, topic: partition.topic, partition: partition.partition)) }
        }
        let settings = shareGroupSettings(groupId)
        // A renew-only request acquires nothing (Kafka skips its fetch) and never waits.
        let fetching: Set<ShareSessionCache.Partition> = renewOnly ? [] : sessionPartitions.filter { !unreadable.contains($0.topic) }
        let context = ShareFetchContext(groupId: groupId, memberId: memberId, request: request, version: version,
                                        fetching: fetching, unreadable: unreadable,
                                        refs: refs.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) },
                                        ackErrors: ackErrors, unknownTopics: unknownTopics, lockTimeoutMs: Int32(clamping: settings.recordLockDurationMs),
                                        listener: listener)
        let first = collectShareFetch(context)
        let waitMillis = Int64(max(0, min(request.maxWaitMs, config.maxFetchWaitMillis)))
        if first.acquired > 0 || fetching.isEmpty || waitMillis == 0 || isStopping {
            return encode(first.response, first.files)
        }
        let keys = fetching.map { Self.partitionKey($0.topic, $0.partition) }
        let operation = DelayedOperation(kind: .fetch, keys: keys, deadline: time.monotonicNanos() &+ UInt64(waitMillis) * 1_000_000) { [self] force in
            let attempt = collectShareFetch(context)
            guard force || attempt.acquired > 0 else { return nil }
            return encode(attempt.response, attempt.files)
        }
        purgatory.watch(operation)
        return .pending(operation.pending)
    }

    /// Drops the share sessions of member ids that are not members of their share group and
    /// were not used for the group's `share.session.timeout.ms`, releasing what they hold.
    /// Kafka serves ShareFetch without checking membership and removes such a client's session
    /// when its connection drops; kaffeed has no connection hook, so an idle non-member session
    /// ends this way instead (otherwise abandoned ids would fill the session cache and refuse
    /// real members with SHARE_SESSION_LIMIT_REACHED). Members' sessions end when they leave or
    /// time out of the group.
    func dropAbandonedShareSessions() {
        let now = time.wallMillis()
        for session in shareSessions.sessionsByLastUse() {
            let timeout = Int64(shareGroupLimits(session.groupId).sessionTimeoutMs)
            guard now - session.lastUsedMillis > timeout,
                  shareGroups.assignment(groupId: session.groupId, memberId: session.memberId) == nil,
                  shareSessions.remove(groupId: session.groupId, memberId: session.memberId, ifUnusedSince: session.lastUsedMillis)
            else { continue }
            _ = sharePartitions.releaseAll(group: session.groupId, memberId: session.memberId)
        }
    }

    /// What one ShareFetch needs to (re)try its acquisition.
    struct ShareFetchContext: Sendable {
        var groupId: String
        var memberId: String
        var request: ShareFetchRequest
        var version: Int16
        var fetching: Set<ShareSessionCache.Partition>
        /// Topics the principal may not READ: their partitions answer TOPIC_AUTHORIZATION_FAILED.
        var unreadable: Set<String>
        var refs: [SharePartitionRef]
        var ackErrors: [SharePartitionRef: ErrorCode]
        var unknownTopics: [(topicId: [UInt8], partition: Int32)]
        var lockTimeoutMs: Int32
        /// Whose address the answer's node endpoints carry.
        var listener: ListenerEndpoint
    }

    /// Acquires records for every fetching partition now and builds the response.
    private func collectShareFetch(_ context: ShareFetchContext) -> (response: ShareFetchResponse, files: [FileRegion], acquired: Int) {
        var files: [FileRegion] = []
        var acquiredTotal = 0
        var bytesLeft = Int(max(0, context.request.maxBytes))
        var recordsLeft = Int(max(1, context.request.maxRecords))
        let mode: ShareAcquireMode = context.version >= 2 && context.request.shareAcquireMode == 1 ? .recordLimit : .batchOptimized
        let settings = shareGroupSettings(context.groupId)
        var byTopic: [[UInt8]: [ShareFetchResponse.PartitionData]] = [:]
        var topicOrder: [[UInt8]] = []
        func add(_ topicId: [UInt8], _ data: ShareFetchResponse.PartitionData) {
            if byTopic[topicId] == nil { topicOrder.append(topicId) }
            byTopic[topicId, default: []].append(data)
        }
        for (topicId, partition) in context.unknownTopics {
            add(topicId, ShareFetchResponse.PartitionData(partitionIndex: partition, errorCode: .unknownTopicId,
                                                          currentLeader: .init(leaderId: -1, leaderEpoch: -1)))
        }
        for ref in context.refs {
            var data = ShareFetchResponse.PartitionData(partitionIndex: ref.partition, errorCode: .none,
                                                        acknowledgeErrorCode: context.ackErrors[ref] ?? .none,
                                                        currentLeader: .init(leaderId: config.nodeId, leaderEpoch: 0))
            if context.unreadable.contains(ref.topic) { data.errorCode = .topicAuthorizationFailed }
            let fetching = context.fetching.contains(ShareSessionCache.Partition(topic: ref.topic, partition: ref.partition))
            if fetching, bytesLeft > 0, recordsLeft > 0 {
                switch acquire(ref, context: context, settings: settings, maxBytes: bytesLeft, maxRecords: recordsLeft, mode: mode) {
                case .failure(let code, let message):
                    data.errorCode = code
                    data.errorMessage = message
                case .success(let region, let acquired):
                    if let region, !acquired.isEmpty {
                        data.records = .external(token: files.count, length: region.length)
                        files.append(region)
                        bytesLeft -= region.length
                        let count = acquired.reduce(0) { $0 + Int($1.lastOffset - $1.firstOffset + 1) }
                        recordsLeft -= count
                        acquiredTotal += count
                        data.acquiredRecords = acquired.map {
                            ShareFetchResponse.AcquiredRecords(firstOffset: $0.firstOffset, lastOffset: $0.lastOffset, deliveryCount: $0.deliveryCount)
                        }
                    }
                }
            }
            if fetching || context.ackErrors[ref] != nil || data.errorCode != .none { add(ref.topicId, data) }
        }
        let responses = topicOrder.map { ShareFetchResponse.ShareFetchableTopicResponse(topicId: $0, partitions: byTopic[$0] ?? []) }
        let response = ShareFetchResponse(throttleTimeMs: 0, errorCode: .none, acquisitionLockTimeoutMs: context.lockTimeoutMs, responses: responses,
                                          nodeEndpoints: [.init(nodeId: config.nodeId, host: context.listener.advertisedHost, port: context.listener.advertisedPort)])
        return (response, files, acquiredTotal)
    }

    private enum ShareAcquisition {
        case failure(ErrorCode, String)
        case success(FileRegion?, [ShareAcquiredRecords])
    }

    /// Reads whole batches from the partition's next acquirable offset and acquires their
    /// records (control batches are left out, so they end archived as gaps).
    private func acquire(_ ref: SharePartitionRef, context: ShareFetchContext, settings: ShareGroupSettings, maxBytes: Int, maxRecords: Int,
                         mode: ShareAcquireMode) -> ShareAcquisition {
        let log: PartitionLog
        do { log = try store.partition(ref.topic, ref.partition) } catch {
            return .failure(.unknownTopicOrPartition, "unknown partition \(ref.topic)-\(ref.partition)")
        }
        let key = SharePartitionKey(group: context.groupId, topic: ref.topic, partition: ref.partition)
        let state: SharePartition
        do throws(ShareError) {
            if let existing = sharePartitions.partition(key) {
                state = existing
            } else {
                let offsets = log.offsets
                var byDuration: Int64?
                if case .byDuration(let ms) = settings.autoOffsetReset {
                    byDuration = (try? log.lookup(timestamp: time.wallMillis() - ms))?.offset
                }
                let start = settings.autoOffsetReset.initialStartOffset(logStartOffset: offsets.logStartOffset, logEndOffset: offsets.highWatermark,
                                                                        resolvedByDuration: byDuration)
                state = try sharePartitions.initialize(key, settings: settings, startOffset: start)
            }
        } catch {
            return .failure(ErrorCode(code: error.rawValue), "share state of \(key): \(error)")
        }
        guard state.canAcquire else { return .success(nil, []) }
        let read: LogReadResult
        // In record-limit mode a handful of records is wanted: read a little (at least one whole
        // batch always comes back) rather than up to the request's byte limit each time.
        let readBytes = mode == .recordLimit ? min(maxBytes, max(16 << 10, maxRecords * (2 << 10))) : maxBytes
        do throws(LogStorageError) {
            read = try log.read(from: max(state.nextFetchOffset, log.offsets.logStartOffset), maxBytes: readBytes, minOneBatch: true)
        } catch {
            if case .offsetOutOfRange(_, let start, _) = error, sharePartitions.partition(key)?.startOffset ?? start < start {
                // Records were deleted under the share group: start after them.
                _ = try? sharePartitions.reset(key, startOffset: start)
            }
            return .failure(errorCode(for: error), "\(error)")
        }
        guard let region = read.region, let bytes = try? region.readBytes(),
              let batches = try? RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: false) else {
            return .success(nil, [])
        }
        let fetched = batches.filter { !$0.header.isControl }.map { $0.header.baseOffset...$0.header.lastOffset }
        do throws(ShareError) {
            let acquired = try sharePartitions.acquire(key, memberId: context.memberId, fetched: fetched, maxRecords: maxRecords, mode: mode,
                                                       settings: settings)
            return .success(Self.slice(region, batches: batches, to: acquired), acquired)
        } catch {
            return .failure(ErrorCode(code: error.rawValue), "acquiring records of \(key): \(error)")
        }
    }

    /// The part of `region` holding the batches that overlap the acquired records (as Kafka's
    /// `ShareFetchUtils` slices fetched data): a member that acquired one record out of a large
    /// read gets that record's batch, not the whole read. Nil when nothing was acquired.
    static func slice(_ region: FileRegion, batches: [RecordBatchIterator.Element], to acquired: [ShareAcquiredRecords]) -> FileRegion? {
        guard let low = acquired.map(\.firstOffset).min(), let high = acquired.map(\.lastOffset).max(),
              let first = batches.firstIndex(where: { $0.header.lastOffset >= low }),
              let last = batches.lastIndex(where: { $0.header.baseOffset <= high }), first <= last
        else { return nil }
        return region.slice(batches[first].range.lowerBound..<batches[last].range.upperBound)
    }

    /// ShareAcknowledge v1–2: acknowledgements sent alone (ack types 0 gap, 1 accept, 2 release,
    /// 3 reject, 4 renew). The session epoch must be the session's; -1 closes it after the
    /// acknowledgements and releases what the member still holds in the session's partitions
    /// (Kafka's `releaseSession`). Per partition: INVALID_RECORD_STATE for offsets this member
    /// does not hold, INVALID_REQUEST for malformed batches or offsets past the acquired ones,
    /// UNKNOWN_TOPIC_OR_PARTITION where the group has no share state; a partition with a refused
    /// batch is left unchanged. As Kafka: READ on the group first (else GROUP_AUTHORIZATION_FAILED),
    /// and partitions of topics the principal may not READ answer TOPIC_AUTHORIZATION_FAILED.
    func handleShareAcknowledge(_ request: ShareAcknowledgeRequest, version: Int16, context: RequestContext) -> ShareAcknowledgeResponse {
        let listener = context.listener
        if let groupId = request.groupId, !isAuthorized(context, .read, .group, groupId) {
            return ShareAcknowledgeResponse(throttleTimeMs: 0, errorCode: .groupAuthorizationFailed, errorMessage: nil)
        }
        guard let groupId = request.groupId, !groupId.isEmpty, let memberId = request.memberId, !memberId.isEmpty else {
            return ShareAcknowledgeResponse(throttleTimeMs: 0, errorCode: .invalidRequest, errorMessage: "GroupId and MemberId are required")
        }
        let sessionPartitions = shareSessions.session(groupId: groupId, memberId: memberId)?.partitions ?? []
        let outcome = shareSessions.acknowledge(groupId: groupId, memberId: memberId, epoch: request.shareSessionEpoch, now: time.wallMillis())
        if case .refused(let code) = outcome {
            return ShareAcknowledgeResponse(throttleTimeMs: 0, errorCode: code,
                                            errorMessage: "share session of member \(memberId) in group \(groupId): \(code.summary)")
        }
        let settings = shareGroupSettings(groupId)
        let responses = request.topics.map { topic in
            let name = topicName(id: topic.topicId)
            return ShareAcknowledgeResponse.ShareAcknowledgeTopicResponse(topicId: topic.topicId, partitions: topic.partitions.map { partition in
                guard let name else {
                    return ShareAcknowledgeResponse.PartitionData(partitionIndex: partition.partitionIndex, errorCode: .unknownTopicId,
                                                                  currentLeader: .init(leaderId: -1, leaderEpoch: -1))
                }
                guard isAuthorized(context, .read, .topic, name) else {
                    return ShareAcknowledgeResponse.PartitionData(partitionIndex: partition.partitionIndex, errorCode: .topicAuthorizationFailed,
                                                                  currentLeader: .init(leaderId: -1, leaderEpoch: -1))
                }
                let code = applyShareAcknowledgements(groupId: groupId, memberId: memberId, topic: name, partition: partition.partitionIndex,
                                                      batches: partition.acknowledgementBatches.map { ($0.firstOffset, $0.lastOffset, $0.acknowledgeTypes) },
                                                      version: version)
                return ShareAcknowledgeResponse.PartitionData(partitionIndex: partition.partitionIndex, errorCode: code,
                                                              currentLeader: .init(leaderId: config.nodeId, leaderEpoch: 0))
            })
        }
        if outcome == .closed, !sessionPartitions.isEmpty {
            sharePartitions.releaseAll(group: groupId, memberId: memberId,
                                       only: Set(sessionPartitions.map { SharePartitionKey(group: groupId, topic: $0.topic, partition: $0.partition) }))
        }
        return ShareAcknowledgeResponse(throttleTimeMs: 0, errorCode: .none, acquisitionLockTimeoutMs: Int32(clamping: settings.recordLockDurationMs),
                                        responses: responses,
                                        nodeEndpoints: [.init(nodeId: config.nodeId, host: listener.advertisedHost, port: listener.advertisedPort)])
    }
}
