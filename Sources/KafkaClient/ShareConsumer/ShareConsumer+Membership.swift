import KafkaProtocol

extension ShareConsumer {
    /// How often the heartbeat thread checks whether a heartbeat is due.
    static let heartbeatCheckMs = 50

    /// Whether a heartbeat error means "the member is gone: rejoin with epoch 0".
    static func needsRejoin(_ code: ErrorCode) -> Bool {
        code == .unknownMemberId || code == .fencedMemberEpoch
    }

    /// One ShareGroupHeartbeat: joins (epoch 0) or heartbeats with the current epoch, applies the
    /// answer (epoch, interval, new assignment mapped from topic ids to names via Metadata).
    /// UNKNOWN_MEMBER_ID / FENCED_MEMBER_EPOCH reset the membership and rejoin at once.
    ///
    /// With `wait` false, returns without doing anything while another heartbeat is running.
    /// Throws retriable errors (coordinator moved or unreachable) and the coordinator's others.
    func heartbeat(wait: Bool) throws(KafkaClientError) {
        if wait { heartbeatSection.enter() } else if !heartbeatSection.tryEnter() { return }
        defer { heartbeatSection.leave() }
        for _ in 0..<2 {
            let now = nowNanos()
            let (epoch, topics, closed) = state.withLock { state in
                state.lastHeartbeatNanos = now
                return (state.memberEpoch, state.topics, state.closed)
            }
            if closed { return }
            let request = ShareGroupHeartbeatRequest(groupId: config.groupId, memberId: memberId, memberEpoch: epoch,
                                                     subscribedTopicNames: topics.sorted())
            let response = try group.send(request, purpose: .heartbeat).0
            switch response.errorCode {
            case .none:
                let assignment = try response.assignment.map { (assignment) throws(KafkaClientError) in try resolve(assignment, topics: topics) }
                state.withLock { state in
                    state.memberEpoch = response.memberEpoch
                    if response.heartbeatIntervalMs > 0 { state.heartbeatIntervalMs = Int(response.heartbeatIntervalMs) }
                    if let assignment { state.assignment = assignment }
                }
                return
            case let code where Self.needsRejoin(code):
                state.withLock { $0.resetMembership() }
                continue
            case let code where ConsumerGroupClient.isCoordinatorMoved(code):
                group.invalidate()
                throw .broker(code, context: "ShareGroupHeartbeat for share group \(config.groupId)")
            case let code:
                throw .broker(code, context: "ShareGroupHeartbeat for share group \(config.groupId)\(response.errorMessage.map { ": \($0)" } ?? "")")
            }
        }
    }

    /// The assignment's topic ids as names (Metadata of the subscribed topics; ids it does not
    /// know are refreshed once, then skipped until the next assignment).
    func resolve(_ assignment: ShareGroupHeartbeatResponse.Assignment, topics: Set<String>) throws(KafkaClientError) -> Set<TopicPartition> {
        var names: [[UInt8]: String] = [:]
        for topic in topics {
            if let info = try? cluster.topic(topic) { names[info.id] = topic }
        }
        if assignment.topicPartitions.contains(where: { names[$0.topicId] == nil }) {
            for (name, info) in try cluster.refreshMetadata(topics: topics.sorted()) { names[info.id] = name }
        }
        var result: Set<TopicPartition> = []
        for entry in assignment.topicPartitions {
            guard let name = names[entry.topicId] else { continue }
            for partition in entry.partitions { result.insert(TopicPartition(topic: name, partition: partition)) }
        }
        return result
    }

    /// Joins (in `poll`) when not a member, and starts the heartbeat thread after the first join.
    func ensureJoined() throws(KafkaClientError) {
        let (joined, running) = state.withLock { ($0.memberEpoch > 0, $0.heartbeat != nil) }
        if !joined { try heartbeat(wait: true) }
        guard !running else { return }
        // The thread wakes often and heartbeats when the coordinator's interval (which may change
        // with the group's config) has passed since the last heartbeat.
        let thread = try HeartbeatThread.start(intervalMs: Self.heartbeatCheckMs) { [weak self] in
            guard let self else { return false }
            return heartbeatTick()
        }
        let keep = state.withLock { state -> Bool in
            guard state.heartbeat == nil, !state.closed else { return false }
            state.heartbeat = thread
            return true
        }
        if !keep { thread.stop() }
    }

    /// One background heartbeat; false ends the thread (closed, or a fatal coordinator error,
    /// which the next `poll` throws).
    func heartbeatTick() -> Bool {
        let (closed, last, interval, rejoining) = state.withLock { ($0.closed, $0.lastHeartbeatNanos, $0.heartbeatIntervalMs, $0.memberEpoch == 0) }
        if closed { return false }
        // A member that lost its membership rejoins after the retry backoff, not a whole interval.
        let dueMs = rejoining ? config.client.retryBackoffMs : interval
        guard nowNanos() &- last >= UInt64(max(1, dueMs)) &* 1_000_000 else { return true }
        do {
            try heartbeat(wait: false)
        } catch {
            guard error.isRetriable else {
                state.withLock { state in
                    state.fatalError = error
                    state.heartbeat = nil
                }
                return false
            }
        }
        return true
    }

    /// ShareGroupHeartbeat with epoch -1 (best effort).
    func leaveGroup() {
        heartbeatSection.enter()
        defer { heartbeatSection.leave() }
        let joined = state.withLock { $0.memberEpoch > 0 }
        guard joined else { return }
        let request = ShareGroupHeartbeatRequest(groupId: config.groupId, memberId: memberId, memberEpoch: -1)
        _ = try? group.send(request, purpose: .heartbeat)
        state.withLock { $0.resetMembership() }
    }
}
