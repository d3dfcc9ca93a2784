import KafkaProtocol

/// The consumer group protocol of Kafka 4 (KIP-848): the member chooses its id, joins with
/// ConsumerGroupHeartbeat at epoch 0 and heartbeats every `HeartbeatIntervalMs` the coordinator
/// names. Answers may carry a new assignment (topic ids and partitions the member may own now);
/// `poll` reconciles it incrementally — revoking what is gone (auto-commit, listener
/// `partitionsRevoked`, stop fetching) before adding what is new (`partitionsAssigned`) — and
/// reports what it owns at once in the next heartbeat, so the coordinator can hand revoked
/// partitions to other members. Fencing loses every partition and rejoins at epoch 0 with the
/// same member id; `close`/`unsubscribe` leave with epoch -1 (-2 for a static member).
///
/// Threads: the heartbeat thread only sends heartbeats and records the answers; every listener
/// call and every change of the assignment happens on the thread that polls. Heartbeats never
/// overlap (`heartbeatSection`).
extension KafkaConsumer {
    /// How often the heartbeat thread checks whether a heartbeat is due.
    static let consumerHeartbeatCheckMs = 50

    /// The protocol a subscribed consumer uses: resolved once (for `.auto` from the
    /// coordinator's ApiVersions: ConsumerGroupHeartbeat advertised = consumer protocol). nil
    /// when the coordinator could not be asked before `deadline` (transient errors).
    func resolveGroupProtocol(deadline: UInt64) throws(KafkaClientError) -> ConsumerState.ActiveProtocol? {
        let (known, subscribed) = state.withLock { state in
            (state.activeProtocol, { if case .subscribed = state.mode { true } else { false } }())
        }
        if let known { return known }
        guard subscribed, let group else { return .classic }
        var chosen: ConsumerState.ActiveProtocol
        switch config.groupProtocol {
        case .classic: chosen = .classic
        case .consumer: chosen = .consumer
        case .auto:
            while true {
                let seen = wake.generation
                do {
                    chosen = try group.negotiatedVersion(.consumerGroupHeartbeat, purpose: .heartbeat) != nil ? .consumer : .classic
                    break
                } catch {
                    guard error.isRetriable else { throw error }
                    group.invalidate()
                    guard nowNanos() < deadline, !state.withLock({ $0.closed }) else { return nil }
                    let remainingMs = Int((deadline &- min(deadline, nowNanos())) / 1_000_000)
                    waitForWake(milliseconds: min(remainingMs, clientConfig.retryBackoffMs), seen: seen)
                }
            }
        }
        return state.withLock { state in
            if let raced = state.activeProtocol { return raced }
            state.activeProtocol = chosen
            if chosen == .consumer {
                state.memberId = ShareConsumer.newMemberId()
                state.generationId = 0
            }
            return chosen
        }
    }

    /// The consumer-protocol counterpart of the classic join: reconciles the latest assignment,
    /// joins (epoch 0) when not a member and starts the heartbeat thread. Returns false when
    /// closed or when transient errors lasted until `deadline`; throws fatal errors.
    func ensureConsumerMembership(deadline: UInt64) throws(KafkaClientError) -> Bool {
        var backoffMs = clientConfig.retryBackoffMs
        while true {
            let seen = wake.generation
            let snapshot = state.withLock { state in
                (fatal: state.fatalError, closed: state.closed, mode: state.mode, epoch: state.membership.epoch,
                 lost: state.membership.lost)
            }
            if let fatal = snapshot.fatal { throw fatal }
            guard !snapshot.closed else { return false }
            guard case .subscribed(let subscription) = snapshot.mode else { return true }
            try reconcileAssignment()
            if snapshot.epoch > 0 || snapshot.lost {
                try startConsumerHeartbeatIfNeeded()
                return true
            }
            do throws(KafkaClientError) {
                // As in the classic join: every subscribed topic must exist (a pattern may
                // match none yet; the coordinator assigns matching topics as they appear).
                if case .topics(let topics) = subscription {
                    let infos = try cluster.refreshMetadata(topics: topics.sorted())
                    if let missing = topics.sorted().first(where: { infos[$0] == nil }) { throw .unknownTopic(missing) }
                }
                try consumerGroupHeartbeat(wait: true)
                try reconcileAssignment()
                try startConsumerHeartbeatIfNeeded()
                return true
            } catch {
                guard error.isRetriable || Self.isUnreleasedInstance(error) else { throw error }
                // The held instance id is released only by a session timeout (seconds): ask
                // about once a second, not at the retry backoff.
                backoffMs = Self.isUnreleasedInstance(error) ? max(clientConfig.retryBackoffMs, 1_000) : clientConfig.retryBackoffMs
            }
            guard nowNanos() < deadline else { return false }
            let remainingMs = Int((deadline &- min(deadline, nowNanos())) / 1_000_000)
            waitForWake(milliseconds: min(remainingMs, backoffMs), seen: seen)
        }
    }

    /// UNRELEASED_INSTANCE_ID at a join: the coordinator still holds this instance id for a
    /// member that did not leave (a killed process with the same `groupInstanceId`). Java
    /// treats it as fatal; a restarted service would then need a person, so this client waits
    /// for the coordinator to expire that member (its session timeout) and joins then.
    static func isUnreleasedInstance(_ error: KafkaClientError) -> Bool {
        if case .broker(.unreleasedInstanceId, _) = error { return true }
        return false
    }

    /// Applies the coordinator's latest assignment (or a loss) on the polling thread: revoked
    /// partitions first (auto-commit, listener, no more fetches), then the added ones; then
    /// reports the owned partitions at once.
    func reconcileAssignment() throws(KafkaClientError) {
        let snapshot = state.withLock { state in
            (lost: state.membership.lost, target: state.membership.target, assignment: state.assignment,
             positions: state.positions, listener: state.listener)
        }
        if snapshot.lost {
            if !snapshot.assignment.isEmpty {
                let lost = snapshot.listener?.partitionsLost ?? snapshot.listener?.partitionsRevoked
                lost?(self, snapshot.assignment)
            }
            state.withLock { state in
                state.assignment.subtract(snapshot.assignment)
                for partition in snapshot.assignment { state.positions[partition] = nil }
                state.membership.lost = false
            }
            wake.signal()
            return
        }
        guard let target = snapshot.target else { return }
        let revoked = snapshot.assignment.subtracting(target)
        let added = target.subtracting(snapshot.assignment)
        if !revoked.isEmpty {
            if config.enableAutoCommit {
                try? commitOffsets(snapshot.positions.filter { revoked.contains($0.key) })
            }
            snapshot.listener?.partitionsRevoked(self, revoked)
        }
        let applied = state.withLock { state -> Bool in
            guard !state.closed, state.membership.target != nil, !state.membership.lost else { return false }
            state.assignment.subtract(revoked)
            for partition in revoked { state.positions[partition] = nil }
            state.assignment.formUnion(added)
            if state.membership.target == target { state.membership.target = nil }
            state.nextAutoCommitNanos = Self.deadline(afterMs: config.autoCommitIntervalMs, from: nowNanos())
            return true
        }
        guard applied else { return }
        if !added.isEmpty { snapshot.listener?.partitionsAssigned(self, added) }
        if !revoked.isEmpty || !added.isEmpty {
            // Tell the coordinator now, so revoked partitions move on without waiting an interval.
            do {
                try consumerGroupHeartbeat(wait: true)
            } catch {
                guard error.isRetriable else { throw error }
            }
        }
    }

    /// One ConsumerGroupHeartbeat: joins at epoch 0 or heartbeats with the current epoch, with
    /// the full fields (rebalance timeout, subscription, assignor, owned partitions) after a
    /// change and nil ones otherwise; records the answer (epoch, interval, new assignment).
    /// Fencing marks the partitions lost. With `wait` false, returns at once while another
    /// heartbeat runs. Throws retriable errors (coordinator moved or unreachable) and fatal ones.
    func consumerGroupHeartbeat(wait: Bool) throws(KafkaClientError) {
        guard let group else { return }
        if wait { heartbeatSection.enter() } else if !heartbeatSection.tryEnter() { return }
        defer { heartbeatSection.leave() }
        let now = nowNanos()
        let snapshot = state.withLock { state -> (memberId: String, epoch: Int32, subscription: ConsumerState.Subscription,
                                                   owned: Set<TopicPartition>, full: Bool, clearRegex: Bool)? in
            guard !state.closed, case .subscribed(let subscription) = state.mode, !state.membership.lost, !state.membership.left,
                  state.fatalError == nil else { return nil }
            state.membership.lastHeartbeatNanos = now
            state.membership.heartbeatSoon = false
            let membership = state.membership
            let full = membership.epoch == 0 || membership.sentSubscription != subscription || membership.sentOwned != state.assignment
            return (state.memberId, membership.epoch, subscription, membership.epoch == 0 ? [] : state.assignment, full,
                    membership.regexMaySurvive)
        }
        guard let snapshot else { return }
        // Full requests carry the whole subscription: names, or a regex with an empty name list
        // (which also drops names sent before); switching back to names clears the regex ("").
        var names: [String]?
        var regex: String?
        if snapshot.full {
            switch snapshot.subscription {
            case .topics(let topics):
                names = topics.sorted()
                if snapshot.clearRegex { regex = "" }
            case .pattern(let pattern):
                // v0 has no SubscribedTopicRegex: the encoder would drop it silently.
                guard let version = try group.negotiatedVersion(.consumerGroupHeartbeat, purpose: .heartbeat), version >= 1 else {
                    throw .unsupported(.consumerGroupHeartbeat, reason: "subscribe(pattern:) needs ConsumerGroupHeartbeat v1 or later "
                                       + "(SubscribedTopicRegex, KIP-848); the coordinator of group \(group.groupId) serves only v0")
                }
                names = []
                regex = pattern
                state.withLock { $0.membership.regexMaySurvive = true }
            }
        }
        var owned: [ConsumerGroupHeartbeatRequest.TopicPartitions]?
        if snapshot.full {
            let byTopic = Dictionary(grouping: snapshot.owned, by: \.topic)
            owned = try byTopic.keys.sorted().map { (topic) throws(KafkaClientError) in
                ConsumerGroupHeartbeatRequest.TopicPartitions(topicId: try cluster.topic(topic).id,
                                                              partitions: (byTopic[topic] ?? []).map(\.partition).sorted())
            }
        }
        let request = ConsumerGroupHeartbeatRequest(
            groupId: group.groupId, memberId: snapshot.memberId, memberEpoch: snapshot.epoch, instanceId: config.groupInstanceId,
            rebalanceTimeoutMs: snapshot.full ? Int32(clamping: config.rebalanceTimeoutMs) : -1,
            subscribedTopicNames: names, subscribedTopicRegex: regex,
            serverAssignor: snapshot.full ? config.groupRemoteAssignor : nil, topicPartitions: owned)
        let response: ConsumerGroupHeartbeatResponse
        do {
            response = try group.send(request, purpose: .heartbeat).0
        } catch {
            // The request may not have arrived: send the full fields next time.
            state.withLock { state in
                state.membership.sentSubscription = nil
                state.membership.sentOwned = nil
            }
            throw error
        }
        let context = "ConsumerGroupHeartbeat for group \(group.groupId)"
        switch response.errorCode {
        case .none:
            let resolved = try response.assignment.map { (assignment) throws(KafkaClientError) in
                try resolve(assignment, subscription: snapshot.subscription)
            }
            let assignment = resolved?.partitions
            let changed = state.withLock { state -> Bool in
                guard state.memberId == snapshot.memberId, state.membership.epoch == snapshot.epoch, !state.membership.left,
                      !state.membership.lost else { return false }
                state.membership.epoch = response.memberEpoch
                state.generationId = response.memberEpoch
                state.isJoined = response.memberEpoch > 0
                if response.heartbeatIntervalMs > 0 { state.membership.heartbeatIntervalMs = Int(response.heartbeatIntervalMs) }
                if snapshot.full {
                    state.membership.sentSubscription = snapshot.subscription
                    state.membership.sentOwned = snapshot.owned
                    if regex == "" { state.membership.regexMaySurvive = false }
                }
                // A topic id Metadata did not know yet (a topic the pattern just matched, its
                // metadata still on its way): the next full heartbeat gets the assignment again.
                if resolved?.unresolved == true { state.membership.sentSubscription = nil }
                guard let assignment else { return false }
                state.membership.target = assignment
                return assignment != state.assignment
            }
            if changed { wake.signal() }
        case .fencedMemberEpoch, .unknownMemberId:
            state.withLock { state in
                guard state.memberId == snapshot.memberId else { return }
                state.markLost()
            }
            wake.signal()
        case let code where ConsumerGroupClient.isCoordinatorMoved(code):
            group.invalidate()
            throw .broker(code, context: context)
        case let code where code.isRetriable:
            throw .broker(code, context: context)
        case let code:
            throw .broker(code, context: "\(context)\(response.errorMessage.map { ": \($0)" } ?? "")")
        }
    }

    /// The assignment's topic ids as names: from the metadata cache, else one Metadata request
    /// (of the subscribed topics; of every topic for a pattern, whose matches the coordinator
    /// chose and this client may never have seen). Ids still unknown are skipped (the caller
    /// asks for the assignment again).
    func resolve(_ assignment: ConsumerGroupHeartbeatResponse.Assignment,
                 subscription: ConsumerState.Subscription) throws(KafkaClientError) -> (partitions: Set<TopicPartition>, unresolved: Bool) {
        let (cached, query): (Set<String>, [String]?) = switch subscription {
        case .topics(let topics): (topics, topics.sorted())
        case .pattern: (Set(state.withLock { $0.assignment }.map(\.topic)), nil)
        }
        var names: [[UInt8]: String] = [:]
        for topic in cached {
            if let info = try? cluster.topic(topic) { names[info.id] = topic }
        }
        if assignment.topicPartitions.contains(where: { names[$0.topicId] == nil }) {
            for (name, info) in try cluster.refreshMetadata(topics: query) { names[info.id] = name }
        }
        var result: Set<TopicPartition> = []
        var unresolved = false
        for entry in assignment.topicPartitions {
            guard let name = names[entry.topicId] else {
                unresolved = true
                continue
            }
            for partition in entry.partitions { result.insert(TopicPartition(topic: name, partition: partition)) }
        }
        return (result, unresolved)
    }

    private func startConsumerHeartbeatIfNeeded() throws(KafkaClientError) {
        let needed = state.withLock { $0.heartbeat == nil && !$0.closed }
        guard needed else { return }
        // The thread wakes often and heartbeats when the coordinator's interval has passed.
        let thread = try HeartbeatThread.start(intervalMs: Self.consumerHeartbeatCheckMs) { [weak self] in
            guard let self else { return false }
            return consumerHeartbeatTick()
        }
        let keep = state.withLock { state -> Bool in
            guard state.heartbeat == nil, !state.closed else { return false }
            state.heartbeat = thread
            return true
        }
        if !keep { thread.stop() }
    }

    /// One check of the heartbeat thread; false ends it (closed, or a fatal error that the
    /// next `poll` throws).
    func consumerHeartbeatTick() -> Bool {
        let (closed, due) = state.withLock { state -> (Bool, Bool) in
            let membership = state.membership
            guard !membership.lost, !membership.left else { return (state.closed, false) }
            // A member that lost its membership rejoins after the retry backoff.
            let dueMs = membership.heartbeatSoon ? 0 : membership.epoch == 0 ? clientConfig.retryBackoffMs : membership.heartbeatIntervalMs
            return (state.closed, nowNanos() &- membership.lastHeartbeatNanos >= UInt64(max(0, dueMs)) &* 1_000_000)
        }
        if closed { return false }
        guard due else { return true }
        do {
            try consumerGroupHeartbeat(wait: false)
        } catch {
            guard error.isRetriable || Self.isUnreleasedInstance(error) else {
                state.withLock { state in
                    state.fatalError = error
                    state.heartbeat = nil
                }
                wake.signal()
                return false
            }
        }
        return true
    }

    /// Leaves a consumer-protocol group (epoch -1, or -2 for a static member, which keeps its
    /// assignment at the coordinator until its session times out); best effort. The caller has
    /// committed and run the revoke callback.
    func leaveConsumerGroup() {
        guard let group else { return }
        heartbeatSection.enter()
        defer { heartbeatSection.leave() }
        let (memberId, epoch) = state.withLock { state in
            state.membership.left = true
            return (state.memberId, state.membership.epoch)
        }
        if epoch > 0 {
            let request = ConsumerGroupHeartbeatRequest(groupId: group.groupId, memberId: memberId,
                                                        memberEpoch: config.groupInstanceId == nil ? -1 : -2,
                                                        instanceId: config.groupInstanceId)
            _ = try? group.send(request, purpose: .heartbeat)
        }
        state.withLock { state in
            state.membership.epoch = 0
            state.membership.target = nil
            state.membership.lost = false
            state.membership.sentSubscription = nil
            state.membership.sentOwned = nil
            state.generationId = 0
            state.dropAssignment()
        }
    }
}
