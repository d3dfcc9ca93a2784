import KafkaProtocol
import Synchronization
import SystemIO

/// The consumer group protocol of Kafka 4 (KIP-848) without sockets: members join, heartbeat,
/// reconcile incrementally and leave through `heartbeat`; `tick` expires sessions and fences
/// members that do not revoke within their rebalance timeout. Time comes in as `now` (wall-clock
/// millis), so tests drive it by hand.
///
/// Per group: the group epoch moves on every change of membership, of a member's subscription
/// or server assignor, or of the subscribed topics' partition counts (`partitionCount` is asked
/// at every heartbeat, so new topics and partitions are picked up at the next one); the target
/// assignment is recomputed in the same step by the group's assignor (the one most members ask
/// for, `uniform` by default); each member then moves towards its target at its own heartbeats
/// (`ConsumerReconciler`): revocations first, and a partition goes to its new owner only once
/// its previous owner released it. Invariant between calls: no partition is owned (assigned or
/// pending revocation) by two members of a group.
///
/// Durability: with a `stateLog`, every change of a group's stored state (its
/// `ConsumerGroupStateRecord` encoding: epochs, assignments, members and their subscriptions —
/// not their deadlines) is appended under the lock before it is applied in memory (so the
/// log's order is the order of changes), and synced after the lock is released but before any
/// answer goes out; every answer, a steady heartbeat's included (it writes nothing), first
/// waits until everything appended so far is durable, so no client ever sees a state a crash
/// could take back, while changes of many groups share one fsync. A failed append leaves the
/// group as it was and answers NOT_COORDINATOR; a failed sync (the disk failing) also answers
/// NOT_COORDINATOR, but memory then stays ahead of the disk until a restart brings back the
/// last durable state (what Kafka's coordinator answers
/// when its log cannot be written, `KAFKA_STORAGE_ERROR`; retriable: the client looks the
/// coordinator up again and retries). A group that loses its last member stays stored, empty,
/// until DeleteGroups tombstones it (as in memory; Kafka keeps empty groups until their
/// offsets expire). `recover` loads the groups at start-up with fresh session deadlines.
///
/// Thread-safety: one lock guards every group (and serialises the state appends; the fsyncs
/// happen outside it);
/// `partitionCount` and `newMemberId` are called under it and must not call back into the
/// coordinator.
final class ConsumerGroupCoordinator: Sendable {
    /// A group's session and heartbeat settings (its group configs over the broker defaults).
    struct Limits: Sendable, Equatable {
        /// `group.consumer.session.timeout.ms`.
        var sessionTimeoutMs: Int32 = 45_000
        /// `group.consumer.heartbeat.interval.ms`.
        var heartbeatIntervalMs: Int32 = 5_000
        /// `group.consumer.max.size`.
        var maxSize: Int = Int(Int32.max)
    }

    /// One ConsumerGroupHeartbeat, decoded; owned partitions by topic name (the handler maps ids).
    struct Heartbeat: Sendable {
        var groupId: String
        /// Empty on a join lets the coordinator choose one (v0 clients).
        var memberId: String
        /// 0 joins, -1 leaves, -2 a static member leaves for now; otherwise the member's epoch.
        var memberEpoch: Int32
        var instanceId: String? = nil
        var rackId: String? = nil
        /// -1 = unchanged.
        var rebalanceTimeoutMs: Int32 = -1
        /// nil = unchanged.
        var subscribedTopicNames: [String]? = nil
        /// nil = unchanged; not supported yet (INVALID_REQUEST, as Kafka before KIP-848's regex).
        var subscribedTopicRegex: String? = nil
        /// nil = unchanged.
        var serverAssignor: String? = nil
        /// nil = unchanged.
        var ownedPartitions: ConsumerAssignment? = nil
        var clientId: String = ""
        var clientHost: String = ""
    }

    /// The answer to a heartbeat.
    struct HeartbeatResult: Sendable, Equatable {
        var error: ErrorCode = .none
        var message: String? = nil
        var memberId: String? = nil
        var memberEpoch: Int32 = -1
        var heartbeatIntervalMs: Int32 = 0
        /// The partitions the member may use now, when they changed or the request was full;
        /// nil = unchanged.
        var assignment: ConsumerAssignment? = nil

        static func failure(_ error: ErrorCode, _ message: String) -> HeartbeatResult {
            HeartbeatResult(error: error, message: message)
        }
    }

    /// A member the coordinator removed on its own (`tick`).
    struct Removal: Sendable, Equatable {
        enum Reason: String, Sendable { case sessionTimeout, rebalanceTimeout }
        var groupId: String
        var memberId: String
        var reason: Reason
    }

    static let leaveEpoch: Int32 = -1
    static let staticLeaveEpoch: Int32 = -2

    private let logger: Logger
    private let assignors: [String: any ConsumerGroupAssignor]
    private let defaultAssignor: String
    private let partitionCount: @Sendable (String) -> Int?
    private let topicNames: @Sendable () -> [String]
    private let newMemberId: @Sendable () -> String
    private let groups = Mutex<[String: ConsumerProtocolGroup]>([:])
    private let stateLog: ConsumerGroupStateLog?
    /// Where the state log must be synced through before the next answer (set under the
    /// groups lock by each append; nil once synced).
    private let owedSync = Mutex<Int64?>(nil)

    /// `assignors`: the server assignors offered, the first is the default. `partitionCount(topic)`:
    /// a topic's partition count, nil if it does not exist. `topicNames()`: every topic, for
    /// regex subscriptions. `newMemberId`: ids for members that join without one. `stateLog`:
    /// where groups are stored (nil = in memory only).
    init(logger: Logger = .silent,
         assignors: [any ConsumerGroupAssignor] = [UniformAssignor(), RangeAssignor()],
         partitionCount: @escaping @Sendable (String) -> Int?,
         topicNames: @escaping @Sendable () -> [String] = { [] },
         newMemberId: @escaping @Sendable () -> String = { GroupCoordinator.newMemberId(clientId: "") },
         stateLog: ConsumerGroupStateLog? = nil) {
        self.logger = logger
        self.stateLog = stateLog
        var byName: [String: any ConsumerGroupAssignor] = [:]
        for assignor in assignors where byName[assignor.name] == nil { byName[assignor.name] = assignor }
        self.assignors = byName
        self.defaultAssignor = assignors.first?.name ?? "uniform"
        self.partitionCount = partitionCount
        self.topicNames = topicNames
        self.newMemberId = newMemberId
    }

    // MARK: - Heartbeat

    /// Handles one heartbeat with Kafka's validation and errors: malformed fields →
    /// INVALID_REQUEST; an unknown `ServerAssignor` → UNSUPPORTED_ASSIGNOR; an unknown group
    /// (epoch ≠ 0) → GROUP_ID_NOT_FOUND; an unknown member → UNKNOWN_MEMBER_ID; an epoch that
    /// is neither the member's nor (with owned partitions within its assignment) its previous
    /// one → FENCED_MEMBER_EPOCH; an instance id held by a live member → UNRELEASED_INSTANCE_ID;
    /// a static member with another's instance id → FENCED_INSTANCE_ID; a full group →
    /// GROUP_MAX_SIZE_REACHED; the group's state cannot be stored → NOT_COORDINATOR. A failed
    /// heartbeat changes nothing.
    func heartbeat(_ request: Heartbeat, limits: Limits, now: Int64) -> HeartbeatResult {
        if let failure = validate(request) { return failure }
        let result = groups.withLock { groups -> HeartbeatResult in
            answer(request, limits: limits, now: now, &groups)
        }
        return settle() ? result : Self.storageFailure(request.groupId)
    }

    /// `heartbeat` under the lock.
    private func answer(_ request: Heartbeat, limits: Limits, now: Int64, _ groups: inout [String: ConsumerProtocolGroup]) -> HeartbeatResult {
        if request.memberEpoch < 0 { return leave(request, &groups, now: now) }
        var group: ConsumerProtocolGroup
        if let existing = groups[request.groupId] {
            group = existing
        } else {
            guard request.memberEpoch == 0 else {
                return .failure(.groupIdNotFound, "Consumer group \(request.groupId) not found.")
            }
            group = ConsumerProtocolGroup(groupId: request.groupId, assignorName: defaultAssignor)
        }
        let memberId = request.memberId.isEmpty ? newMemberId() : request.memberId
        if group.members.count >= limits.maxSize, group.members[memberId] == nil,
           request.instanceId.flatMap({ group.memberId(instanceId: $0) }) == nil {
            return .failure(.groupMaxSizeReached, "The consumer group has reached its maximum capacity of \(limits.maxSize) members.")
        }
        // The member as it was (nil = new), and the member id it replaces (static rejoin).
        let old: ConsumerGroupMember
        var replaced: String? = nil
        if let instanceId = request.instanceId {
            let holder = group.memberId(instanceId: instanceId).flatMap { group.members[$0] }
            if request.memberEpoch == 0 {
                if let holder {
                    guard holder.memberEpoch == Self.staticLeaveEpoch else {
                        return .failure(.unreleasedInstanceId, "Static member \(memberId) with instance id \(instanceId) cannot join the group because the instance id is owned by member \(holder.memberId).")
                    }
                    var taken = holder
                    taken.memberId = memberId
                    taken.memberEpoch = 0
                    taken.previousMemberEpoch = 0
                    old = taken
                    replaced = holder.memberId
                } else if let existing = group.members[memberId] {
                    old = existing
                    if let failure = checkEpoch(existing, request) { return failure }
                } else {
                    old = ConsumerGroupMember(memberId: memberId)
                }
            } else {
                guard let holder else { return .failure(.unknownMemberId, "Instance id \(instanceId) is unknown.") }
                guard holder.memberId == memberId else {
                    return .failure(.fencedInstanceId, "Static member \(memberId) with instance id \(instanceId) was fenced by member \(holder.memberId).")
                }
                if let failure = checkEpoch(holder, request) { return failure }
                old = holder
            }
        } else if let existing = group.members[memberId] {
            if let failure = checkEpoch(existing, request) { return failure }
            old = existing
        } else {
            guard request.memberEpoch == 0 else {
                return .failure(.unknownMemberId, "Member \(memberId) is not a member of group \(request.groupId).")
            }
            old = ConsumerGroupMember(memberId: memberId)
        }
        let isNew = group.members[memberId] == nil && replaced == nil

        var member = old
        if let instanceId = request.instanceId { member.instanceId = instanceId }
        if let rackId = request.rackId { member.rackId = rackId }
        if request.rebalanceTimeoutMs != -1 { member.rebalanceTimeoutMs = request.rebalanceTimeoutMs }
        if let assignor = request.serverAssignor { member.serverAssignor = assignor }
        if let names = request.subscribedTopicNames { member.subscribedTopicNames = Set(names).sorted() }
        if let pattern = request.subscribedTopicRegex { member.subscribedTopicRegex = pattern.isEmpty ? nil : pattern }
        member.clientId = request.clientId
        member.clientHost = request.clientHost
        member.sessionDeadline = now + Int64(limits.sessionTimeoutMs)

        var bump = isNew || member.subscribedTopicNames != old.subscribedTopicNames || member.subscribedTopicRegex != old.subscribedTopicRegex
            || member.serverAssignor != old.serverAssignor
        if let replaced {
            group.members[replaced] = nil
            group.targetAssignment[memberId] = group.targetAssignment.removeValue(forKey: replaced) ?? [:]
            logger.info("consumer group \(group.groupId): static member \(member.instanceId ?? "") rejoined as \(memberId), replacing \(replaced)")
        }
        group.members[memberId] = member
        // Regex subscriptions follow the topics that exist now (a topic created later joins).
        if resolveRegexSubscriptions(&group) { bump = true }
        if subscribedPartitionCounts(group) != group.partitionCounts { bump = true }
        if bump {
            computeTarget(&group, reason: isNew ? "member \(memberId) joined" : "member \(memberId) changed its subscription or topics changed")
        }

        // Reconcile this member towards its target.
        let before = group.members[memberId] ?? member
        var updated = before
        if !before.isReconciled(to: group.assignmentEpoch) || request.ownedPartitions != nil {
            let target = group.targetAssignment[memberId] ?? [:]
            let others = group.members.values.filter { $0.memberId != memberId }
            updated = ConsumerReconciler.reconcile(before, targetEpoch: group.assignmentEpoch, target: target,
                                                   owned: request.ownedPartitions) { topic, partition in
                others.contains { $0.owns(topic, partition) }
            }
        }
        if updated.state == .unrevokedPartitions {
            if before.state != .unrevokedPartitions || before.memberEpoch != updated.memberEpoch || updated.rebalanceDeadline == nil {
                updated.rebalanceDeadline = now + Int64(updated.rebalanceTimeoutMs)
            }
        } else {
            updated.rebalanceDeadline = nil
        }
        group.members[memberId] = updated
        guard store(group, replacing: groups[request.groupId], now: now) else { return Self.storageFailure(request.groupId) }
        groups[request.groupId] = group

        let full = request.memberEpoch == 0
            || (request.rebalanceTimeoutMs != -1 && request.subscribedTopicNames != nil && request.ownedPartitions != nil)
        return HeartbeatResult(memberId: memberId, memberEpoch: updated.memberEpoch,
                               heartbeatIntervalMs: limits.heartbeatIntervalMs,
                               assignment: full || updated.assigned != old.assigned ? updated.assigned : nil)
    }

    /// Kafka's request validation (before any state is read).
    private func validate(_ request: Heartbeat) -> HeartbeatResult? {
        if request.groupId.isEmpty { return .failure(.invalidRequest, "GroupId can't be empty.") }
        if request.instanceId?.isEmpty == true { return .failure(.invalidRequest, "InstanceId can't be empty.") }
        if request.rackId?.isEmpty == true { return .failure(.invalidRequest, "RackId can't be empty.") }
        // An empty regex means "no regex subscription" (librdkafka sends "" beside topic names).
        if let pattern = request.subscribedTopicRegex, !pattern.isEmpty, TopicPattern(pattern) == nil {
            return .failure(.invalidRegularExpression, "SubscribedTopicRegex \(pattern) is not a valid regular expression.")
        }
        switch request.memberEpoch {
        case 0:
            if request.rebalanceTimeoutMs == -1 { return .failure(.invalidRequest, "RebalanceTimeoutMs must be provided in first request.") }
            if request.rebalanceTimeoutMs < 0 { return .failure(.invalidRequest, "RebalanceTimeoutMs is invalid.") }
            if request.ownedPartitions.map({ !$0.values.allSatisfy(\.isEmpty) }) ?? true {
                return .failure(.invalidRequest, "TopicPartitions must be empty when (re-)joining.")
            }
            if request.subscribedTopicNames == nil && (request.subscribedTopicRegex ?? "").isEmpty {
                return .failure(.invalidRequest, "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.")
            }
        case Self.leaveEpoch, 1...:
            if request.memberId.isEmpty { return .failure(.invalidRequest, "MemberId can't be empty.") }
        case Self.staticLeaveEpoch:
            if request.memberId.isEmpty { return .failure(.invalidRequest, "MemberId can't be empty.") }
            if request.instanceId == nil { return .failure(.invalidRequest, "InstanceId can't be null.") }
        default:
            return .failure(.invalidRequest, "MemberEpoch is invalid.")
        }
        if request.rebalanceTimeoutMs < -1 { return .failure(.invalidRequest, "RebalanceTimeoutMs is invalid.") }
        if let assignor = request.serverAssignor, assignors[assignor] == nil {
            return .failure(.unsupportedAssignor, "ServerAssignor \(assignor) is not supported. Supported assignors: \(assignors.keys.sorted().joined(separator: ", ")).")
        }
        return nil
    }

    /// Kafka's member epoch check: a greater epoch is fenced; a smaller one is accepted only if
    /// it is the previous epoch and the owned partitions are within the current assignment (the
    /// response that moved the member on was lost).
    private func checkEpoch(_ member: ConsumerGroupMember, _ request: Heartbeat) -> HeartbeatResult? {
        let received = request.memberEpoch
        if received > member.memberEpoch {
            return .failure(.fencedMemberEpoch, "The consumer group member has a greater member epoch (\(received)) than the one known by the group coordinator (\(member.memberEpoch)). The member must abandon all its partitions and rejoin.")
        }
        if received < member.memberEpoch {
            let withinAssignment = request.ownedPartitions.map { owned in
                owned.allSatisfy { topic, partitions in partitions.isEmpty || (member.assigned[topic].map { partitions.isSubset(of: $0) } ?? false) }
            } ?? false
            if received != member.previousMemberEpoch || !withinAssignment {
                return .failure(.fencedMemberEpoch, "The consumer group member has a smaller member epoch (\(received)) than the one known by the group coordinator (\(member.memberEpoch)). The member must abandon all its partitions and rejoin.")
            }
        }
        return nil
    }

    /// Epoch -1 (leave) or -2 (a static member leaves for now). Call under the lock.
    private func leave(_ request: Heartbeat, _ groups: inout [String: ConsumerProtocolGroup], now: Int64) -> HeartbeatResult {
        guard var group = groups[request.groupId] else {
            return .failure(.groupIdNotFound, "Consumer group \(request.groupId) not found.")
        }
        let memberId: String
        if let instanceId = request.instanceId {
            guard let holder = group.memberId(instanceId: instanceId) else {
                return .failure(.unknownMemberId, "Instance id \(instanceId) is unknown.")
            }
            guard holder == request.memberId else {
                return .failure(.fencedInstanceId, "Static member \(request.memberId) with instance id \(instanceId) was fenced by member \(holder).")
            }
            memberId = holder
            if request.memberEpoch == Self.staticLeaveEpoch, var member = group.members[holder] {
                // Keeps its assignment for its successor; its session still runs out.
                member.memberEpoch = Self.staticLeaveEpoch
                member.pendingRevocation = [:]
                member.state = .stable
                member.rebalanceDeadline = nil
                group.members[holder] = member
                guard store(group, replacing: groups[request.groupId], now: now) else { return Self.storageFailure(request.groupId) }
                groups[request.groupId] = group
                logger.info("consumer group \(group.groupId): static member \(instanceId) (\(holder)) left for now")
                return HeartbeatResult(memberId: holder, memberEpoch: Self.staticLeaveEpoch)
            }
        } else {
            guard group.members[request.memberId] != nil else {
                return .failure(.unknownMemberId, "Member \(request.memberId) is not a member of group \(request.groupId).")
            }
            memberId = request.memberId
        }
        remove(memberId, from: &group, reason: "member \(memberId) left")
        guard store(group, replacing: groups[request.groupId], now: now) else { return Self.storageFailure(request.groupId) }
        groups[request.groupId] = group
        return HeartbeatResult(memberId: memberId, memberEpoch: request.memberEpoch)
    }

    /// Appends `group` (nil: a tombstone) as the stored state of its id when its encoding
    /// differs from `old`'s, leaving the sync to `settle`; false when the append failed (the
    /// caller must then leave `old` in place). Under the lock.
    private func store(_ group: ConsumerProtocolGroup?, replacing old: ConsumerProtocolGroup?, id: String? = nil, now: Int64) -> Bool {
        guard let stateLog, let groupId = id ?? group?.groupId ?? old?.groupId else { return true }
        let before = old.map(ConsumerGroupStateRecord.encodeValue)
        let after = group.map(ConsumerGroupStateRecord.encodeValue)
        guard before != after else { return true }
        do {
            if let through = try stateLog.writeDeferringSync(groupId, encoded: after, timestamp: now) {
                owedSync.withLock { $0 = max($0 ?? through, through) }
            }
            return true
        } catch {
            logger.error("consumer group \(groupId): storing its state failed: \(error)")
            return false
        }
    }

    /// Syncs the state log through every append made so far (outside the groups lock; a
    /// no-op when nothing is owed); false when the sync failed. Called before every answer.
    private func settle() -> Bool {
        guard let stateLog, let through = owedSync.withLock({ $0 }) else { return true }
        do {
            try stateLog.sync(through: through)
            owedSync.withLock { owed in
                if let current = owed, current <= through { owed = nil }
            }
            return true
        } catch {
            logger.error("consumer groups: syncing their state failed: \(error)")
            return false
        }
    }

    private static func storageFailure(_ groupId: String) -> HeartbeatResult {
        .failure(.notCoordinator, "The state of consumer group \(groupId) could not be stored.")
    }

    /// Removes a member (its partitions are free at once) and recomputes the target. Under the lock.
    private func remove(_ memberId: String, from group: inout ConsumerProtocolGroup, reason: String) {
        group.members[memberId] = nil
        group.targetAssignment[memberId] = nil
        computeTarget(&group, reason: reason)
    }

    /// Re-resolves every member's regex subscription against the topics that exist now;
    /// true when some member's resolved topics changed. Under the lock.
    private func resolveRegexSubscriptions(_ group: inout ConsumerProtocolGroup) -> Bool {
        guard group.members.values.contains(where: { $0.subscribedTopicRegex != nil || !$0.regexTopics.isEmpty }) else { return false }
        let names = topicNames()
        var changed = false
        for (id, member) in group.members {
            let resolved = member.subscribedTopicRegex.flatMap(TopicPattern.init)?.matching(names).sorted() ?? []
            if resolved != member.regexTopics {
                group.members[id]?.regexTopics = resolved
                changed = true
            }
        }
        return changed
    }

    /// The partition counts of the group's subscribed topics that exist.
    private func subscribedPartitionCounts(_ group: ConsumerProtocolGroup) -> [String: Int] {
        var counts: [String: Int] = [:]
        for topic in group.subscribedTopics {
            if let count = partitionCount(topic), count > 0 { counts[topic] = count }
        }
        return counts
    }

    /// The assignor most members ask for (ties to the smaller name); the default when none asks.
    private func preferredAssignor(_ group: ConsumerProtocolGroup) -> String {
        var counts: [String: Int] = [:]
        for member in group.members.values { if let name = member.serverAssignor { counts[name, default: 0] += 1 } }
        let best = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }
        return best?.key ?? defaultAssignor
    }

    /// Bumps the group epoch and computes the target assignment at it. Call under the lock.
    private func computeTarget(_ group: inout ConsumerProtocolGroup, reason: String) {
        group.groupEpoch += 1
        group.partitionCounts = subscribedPartitionCounts(group)
        group.assignorName = preferredAssignor(group)
        let assignor = assignors[group.assignorName] ?? UniformAssignor()
        let input = group.members.mapValues { member in
            AssignorMember(subscribedTopics: member.subscribedTopics,
                           previousTarget: group.targetAssignment[member.memberId] ?? [:])
        }
        group.targetAssignment = assignor.assign(members: input, partitionCounts: group.partitionCounts)
        group.assignmentEpoch = group.groupEpoch
        logger.info("consumer group \(group.groupId): epoch \(group.groupEpoch), \(group.members.count) members, assignor \(assignor.name) (\(reason))")
    }

    // MARK: - Timers

    /// Removes members whose session ran out (no heartbeat within `sessionTimeoutMs`, static
    /// members that left for now included) and fences members still holding partitions to
    /// revoke after their rebalance timeout. Returns what it removed, by group then member.
    @discardableResult
    func tick(now: Int64) -> [Removal] {
        let removals = groups.withLock { groups in
            var removals: [Removal] = []
            for id in groups.keys.sorted() {
                guard var group = groups[id] else { continue }
                var gone: [Removal] = []
                for member in group.members.values.sorted(by: { $0.memberId < $1.memberId }) {
                    if now > member.sessionDeadline {
                        gone.append(Removal(groupId: id, memberId: member.memberId, reason: .sessionTimeout))
                    } else if let deadline = member.rebalanceDeadline, now > deadline {
                        gone.append(Removal(groupId: id, memberId: member.memberId, reason: .rebalanceTimeout))
                    }
                }
                guard !gone.isEmpty else { continue }
                for removal in gone {
                    group.members[removal.memberId] = nil
                    group.targetAssignment[removal.memberId] = nil
                }
                computeTarget(&group, reason: gone.map { "\($0.memberId): \($0.reason.rawValue)" }.joined(separator: ", "))
                // Not stored: the members stay until a later tick stores their removal.
                guard store(group, replacing: groups[id], now: now) else { continue }
                groups[id] = group
                removals += gone
            }
            return removals
        }
        // A failed sync is logged; the removals stand in memory (see the type's durability notes).
        _ = settle()
        return removals
    }

    // MARK: - Offsets

    /// Whether an OffsetCommit may store offsets for `group` (Kafka's
    /// `ConsumerGroup.validateOffsetCommit`): a commit with a negative epoch (admin tools,
    /// consumers outside the group) only while the group has no members; otherwise the member
    /// must exist (UNKNOWN_MEMBER_ID), commit with OffsetCommit v9+ (UNSUPPORTED_VERSION), and
    /// name its current epoch (STALE_MEMBER_EPOCH). Nil when the commit is valid.
    static func validateCommit(_ group: ConsumerProtocolGroup, memberId: String, memberEpoch: Int32, version: Int16) -> ErrorCode? {
        if memberEpoch < 0 && group.members.isEmpty { return nil }
        guard let member = group.members[memberId] else { return .unknownMemberId }
        guard version >= 9 else { return .unsupportedVersion }
        return member.memberEpoch == memberEpoch ? nil : .staleMemberEpoch
    }

    // MARK: - Recovery

    /// Loads the stored groups (replacing any in memory), as Kafka loads its coordinator's
    /// partition: every member gets a fresh session deadline (`now` + its group's
    /// `sessionTimeoutMs`), and one still revoking partitions a fresh rebalance deadline.
    /// Unreadable records are skipped and reported through `skipped`. Returns the groups loaded.
    @discardableResult
    func recover(now: Int64, limits: (String) -> Limits = { _ in Limits() }, skipped: (Int64) -> Void = { _ in }) throws -> Int {
        guard let stateLog else { return 0 }
        var loaded = try stateLog.load(skipped: skipped)
        for (id, group) in loaded {
            let session = Int64(limits(id).sessionTimeoutMs)
            var restored = group
            for (memberId, member) in group.members {
                var member = member
                member.sessionDeadline = now + session
                member.rebalanceDeadline = member.state == .unrevokedPartitions ? now + Int64(member.rebalanceTimeoutMs) : nil
                restored.members[memberId] = member
            }
            loaded[id] = restored
        }
        let count = loaded.count
        groups.withLock { $0 = loaded }
        return count
    }

    // MARK: - Reading

    /// A snapshot of one group, or nil.
    func describe(_ groupId: String) -> ConsumerProtocolGroup? {
        groups.withLock { $0[groupId] }
    }

    /// Every consumer-protocol group's id, sorted.
    var groupIds: [String] {
        groups.withLock { $0.keys.sorted() }
    }

    /// Whether the group exists and has members (a classic group may not take its id then).
    func hasMembers(_ groupId: String) -> Bool {
        groups.withLock { !($0[groupId]?.members.isEmpty ?? true) }
    }

    /// Deletes an empty group (DeleteGroups): NON_EMPTY_GROUP while it has members,
    /// GROUP_ID_NOT_FOUND when unknown, NOT_COORDINATOR when its tombstone cannot be stored.
    func delete(_ groupId: String, now: Int64 = 0) -> ErrorCode {
        let result = groups.withLock { groups -> ErrorCode in
            guard let group = groups[groupId] else { return .groupIdNotFound }
            guard group.members.isEmpty else { return .nonEmptyGroup }
            guard store(nil, replacing: group, id: groupId, now: now) else { return .notCoordinator }
            groups[groupId] = nil
            return .none
        }
        return settle() ? result : .notCoordinator
    }
}
