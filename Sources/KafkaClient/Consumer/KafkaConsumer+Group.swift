import KafkaProtocol

/// Group membership (kafka-protocol.md §5): FindCoordinator, the KIP-394 two-step JoinGroup,
/// the leader's assignment, SyncGroup, heartbeats and the error reactions of §5.4.
extension KafkaConsumer {
    /// How a join attempt ended.
    enum JoinResult {
        /// Joined: the new assignment is in place.
        case joined
        /// A group error that calls for another JoinGroup (after a short backoff).
        case retry
    }

    /// Makes sure a subscribed consumer is a member with a current assignment, joining or
    /// rejoining as needed. Returns false when it is not (closed, or retriable failures until
    /// `deadline`; at least one attempt is made per call). Throws fatal group errors.
    func ensureActiveGroup(deadline: UInt64) throws(KafkaClientError) -> Bool {
        switch try resolveGroupProtocol(deadline: deadline) {
        case nil: return false
        case .consumer?: return try ensureConsumerMembership(deadline: deadline)
        case .classic?: break
        }
        var attempted = false
        while true {
            let seen = wake.generation
            let snapshot = state.withLock { state in
                (fatal: state.fatalError, closed: state.closed, mode: state.mode, needsJoin: state.needsJoin)
            }
            if let fatal = snapshot.fatal { throw fatal }
            guard !snapshot.closed else { return false }
            guard case .subscribed(let subscription) = snapshot.mode else { return true }
            guard case .topics(let topics) = subscription else {
                // `.auto` chose the classic protocol at this poll (`subscribe(pattern:)` refuses
                // a consumer configured or known to be classic).
                throw .unsupported(.consumerGroupHeartbeat, reason: "subscribe(pattern:) needs the consumer group protocol (KIP-848), "
                                   + "but the group coordinator speaks only the classic protocol; subscribe to topic names instead")
            }
            guard snapshot.needsJoin else { return true }
            guard !attempted || nowNanos() < deadline else { return false }
            attempted = true
            do {
                if try joinGroup(topics: topics) == .joined { continue }
            } catch {
                guard error.isRetriable else { throw error }
            }
            let remainingMs = Int((deadline &- min(deadline, nowNanos())) / 1_000_000)
            waitForWake(milliseconds: min(remainingMs, clientConfig.retryBackoffMs), seen: seen)
        }
    }

    /// One join: revoke (auto-committing first), JoinGroup (twice with MEMBER_ID_REQUIRED),
    /// assignment by the leader, SyncGroup, then install the assignment and run the callback.
    func joinGroup(topics: Set<String>) throws(KafkaClientError) -> JoinResult {
        guard let group else { throw .invalidArgument("subscribe needs ConsumerConfig.groupId") }
        revokeBeforeJoin()

        let infos = try cluster.refreshMetadata(topics: topics.sorted())
        if let missing = topics.sorted().first(where: { infos[$0] == nil }) { throw .unknownTopic(missing) }

        let (memberId, reason) = state.withLock { ($0.memberId, $0.rejoinReason) }
        let subscription = ConsumerProtocolSubscription(topics: topics.sorted())
        var request = JoinGroupRequest(
            groupId: group.groupId, sessionTimeoutMs: Int32(clamping: config.sessionTimeoutMs),
            rebalanceTimeoutMs: Int32(clamping: config.rebalanceTimeoutMs), memberId: memberId,
            groupInstanceId: config.groupInstanceId, protocolType: "consumer",
            protocols: config.assignors.map { JoinGroupRequest.ProtocolEntry(name: $0.protocolName, metadata: subscription.encoded(version: 1)) },
            reason: reason ?? "joining the group")
        let joinTimeout = max(clientConfig.requestTimeoutMs, config.rebalanceTimeoutMs + 5_000)
        var joined: JoinGroupResponse?
        for _ in 0..<3 where joined == nil {
            let response = try group.send(request, purpose: .group, timeoutMs: joinTimeout).0
            switch response.errorCode {
            case .none:
                joined = response
            case .memberIdRequired:
                // KIP-394: the coordinator gave us an id; send JoinGroup again with it at once.
                request.memberId = response.memberId
                setMembership(memberId: response.memberId, generation: -1)
            default:
                return try handleGroupError(response.errorCode, api: "JoinGroup")
            }
        }
        guard let joined else { return .retry }
        setMembership(memberId: joined.memberId, generation: joined.generationId)

        var assignments: [SyncGroupRequest.Assignment] = []
        if joined.leader == joined.memberId && !joined.skipAssignment {
            assignments = try assign(joined)
        }
        let sync = SyncGroupRequest(groupId: group.groupId, generationId: joined.generationId, memberId: joined.memberId,
                                    groupInstanceId: config.groupInstanceId, protocolType: "consumer",
                                    protocolName: joined.protocolName, assignments: assignments)
        let (synced, _) = try group.send(sync, purpose: .group, timeoutMs: joinTimeout)
        guard synced.errorCode == .none else { return try handleGroupError(synced.errorCode, api: "SyncGroup") }
        let assigned: ConsumerProtocolAssignment
        do {
            assigned = try ConsumerProtocolAssignment(decoding: synced.assignment)
        } catch {
            throw .connection(address: "coordinator of \(group.groupId)", reason: "cannot decode the assignment from the group leader: \(error)")
        }

        let partitions = Set(assigned.partitions)
        let (installed, listener) = state.withLock { state -> (Bool, ConsumerRebalanceListener?) in
            guard !state.closed, case .subscribed(let current) = state.mode, state.memberId == joined.memberId,
                  state.generationId == joined.generationId else { return (false, nil) }
            state.assignment = partitions
            state.positions = [:]
            state.isJoined = true
            // `subscribe` may have changed the topics while this join was under way.
            state.rejoinReason = current == .topics(topics) ? nil : "subscription changed"
            state.nextAutoCommitNanos = Self.deadline(afterMs: config.autoCommitIntervalMs, from: nowNanos())
            return (true, state.listener)
        }
        guard installed else { return .retry }
        try startHeartbeatIfNeeded()
        listener?.partitionsAssigned(self, partitions)
        return .joined
    }

    /// Eager rebalance: auto-commit the positions, run the revoke callback, drop the assignment.
    private func revokeBeforeJoin() {
        let snapshot = state.withLock { state in
            (joined: state.isJoined, assignment: state.assignment, positions: state.positions, listener: state.listener)
        }
        if snapshot.joined && config.enableAutoCommit {
            try? commitOffsets(snapshot.positions.filter { snapshot.assignment.contains($0.key) })
        }
        if !snapshot.assignment.isEmpty { snapshot.listener?.partitionsRevoked(self, snapshot.assignment) }
        state.withLock { $0.dropAssignment() }
    }

    private func setMembership(memberId: String, generation: Int32) {
        state.withLock { state in
            state.memberId = memberId
            state.generationId = generation
        }
    }

    /// The leader's part: decode every member's subscription, look up the partition counts of
    /// all their topics and run the chosen assignor.
    private func assign(_ joined: JoinGroupResponse) throws(KafkaClientError) -> [SyncGroupRequest.Assignment] {
        let name = joined.protocolName ?? ""
        guard let assignor = PartitionAssignor(protocolName: name) else {
            throw .broker(.inconsistentGroupProtocol, context: "the coordinator chose assignor \"\(name)\", which this consumer does not implement")
        }
        // A member whose subscription cannot be decoded gets nothing rather than stalling the group.
        let members = joined.members.map { member in
            GroupMemberSubscription(memberId: member.memberId, groupInstanceId: member.groupInstanceId,
                                    topics: (try? ConsumerProtocolSubscription(decoding: member.metadata))?.topics ?? [])
        }
        let topics = Set(members.flatMap(\.topics)).sorted()
        let counts = try cluster.refreshMetadata(topics: topics).mapValues(\.partitionCount)
        let plan = assignor.assign(members: members, partitionCounts: counts)
        var seen: Set<String> = []
        return members.filter { seen.insert($0.memberId).inserted }.map { member in
            SyncGroupRequest.Assignment(memberId: member.memberId,
                                        assignment: ConsumerProtocolAssignment(partitions: plan[member.memberId] ?? []).encoded())
        }
    }

    /// §5.4 reactions to a JoinGroup/SyncGroup error: retry (rediscovering the coordinator or
    /// forgetting the member id where needed) or throw.
    private func handleGroupError(_ code: ErrorCode, api: String) throws(KafkaClientError) -> JoinResult {
        let groupId = group?.groupId ?? ""
        switch code {
        case .unknownMemberId:
            setMembership(memberId: "", generation: -1)
            return .retry
        case .rebalanceInProgress, .illegalGeneration, .coordinatorLoadInProgress:
            return .retry
        case .notCoordinator, .coordinatorNotAvailable:
            group?.invalidate()
            return .retry
        case .fencedInstanceId:
            let error = KafkaClientError.broker(code, context: "\(api) for group \(groupId): another consumer uses groupInstanceId "
                + "\(config.groupInstanceId ?? "?"); this consumer is fenced and must be closed")
            state.withLock { $0.fatalError = error }
            throw error
        default:
            throw .broker(code, context: "\(api) for group \(groupId)")
        }
    }

    private func startHeartbeatIfNeeded() throws(KafkaClientError) {
        let needed = state.withLock { $0.heartbeat == nil && !$0.closed }
        guard needed else { return }
        let thread = try HeartbeatThread.start(intervalMs: config.heartbeatIntervalMs) { [weak self] in
            guard let self else { return false }
            self.heartbeatTick()
            return true
        }
        let keep = state.withLock { state -> Bool in
            guard state.heartbeat == nil, !state.closed else { return false }
            state.heartbeat = thread
            return true
        }
        if !keep { thread.stop() }
    }

    /// One heartbeat (on the heartbeat thread) while joined; flags a rejoin, forgets the member
    /// id, rediscovers the coordinator or records a fatal error as the answer requires.
    func heartbeatTick() {
        guard let group else { return }
        let target = state.withLock { state -> (generation: Int32, memberId: String)? in
            guard !state.closed, state.isJoined, state.fatalError == nil else { return nil }
            return (state.generationId, state.memberId)
        }
        guard let target else { return }
        let request = HeartbeatRequest(groupId: group.groupId, generationId: target.generation, memberId: target.memberId,
                                       groupInstanceId: config.groupInstanceId)
        let code: ErrorCode
        do {
            code = try group.send(request, purpose: .heartbeat, timeoutMs: max(1_000, min(clientConfig.requestTimeoutMs, config.sessionTimeoutMs))).0.errorCode
        } catch {
            return  // the connection was dropped; the next tick reconnects (rediscovering the coordinator)
        }
        if ConsumerGroupClient.isCoordinatorMoved(code) { group.invalidate() }
        let flagged = state.withLock { state -> Bool in
            guard state.isJoined, state.generationId == target.generation, state.memberId == target.memberId else { return false }
            switch code {
            case .rebalanceInProgress, .illegalGeneration:
                state.rejoinReason = "Heartbeat answered \(code.summary)"
            case .unknownMemberId:
                state.memberId = ""
                state.generationId = -1
                state.isJoined = false
                state.rejoinReason = "Heartbeat answered \(code.summary)"
            case .fencedInstanceId:
                state.fatalError = .broker(code, context: "Heartbeat for group \(group.groupId): another consumer uses groupInstanceId "
                    + "\(config.groupInstanceId ?? "?"); this consumer is fenced and must be closed")
            default:
                return false
            }
            return true
        }
        if flagged { wake.signal() }
    }
}
