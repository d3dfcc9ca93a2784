import KafkaProtocol
import SystemIO
import Synchronization

/// The classic group coordinator (kafka-protocol.md §5): membership, rebalances, generations,
/// static members, session and rebalance timeouts.
///
/// A state machine over `ConsumerGroup` values under one lock. JoinGroup and SyncGroup may have
/// to wait for other members; they park a `ReplySlot` in the member and the calling connection
/// thread blocks on it outside the lock; whoever completes the phase (another member's request
/// or `tick()`) fills every slot. Timers advance only in `tick()`, driven by the server every
/// 100 ms (tests call it with a manual clock). Thread-safe.
///
/// Durability: with a `stateLog`, a group's membership is written (`ClassicGroupStateRecord`,
/// synced) when a generation becomes Stable, when a join phase ends Empty, and when a static
/// member of a Stable group is replaced; DeleteGroups writes a tombstone. `recover` loads the
/// groups at start-up, Stable (or Empty) with fresh sessions. A failed write is logged and
/// changes nothing in memory, which stays authoritative while the process lives.
final class GroupCoordinator: Sendable {
    typealias Settings = GroupSettings

    let settings: Settings
    let time: any TimeSource
    let logger: Logger
    let groups = Mutex<[String: ConsumerGroup]>([:])
    let stateLog: ClassicGroupStateLog?

    init(settings: Settings, time: any TimeSource, logger: Logger, stateLog: ClassicGroupStateLog? = nil) {
        self.settings = settings
        self.time = time
        self.logger = logger
        self.stateLog = stateLog
    }

    var nowMillis: Int64 { Int64(time.monotonicNanos() / 1_000_000) }

    static func newMemberId(clientId: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }.joined()
        return (clientId.isEmpty ? "member" : clientId) + "-" + hex
    }

    // MARK: JoinGroup

    /// What `join` decided: an answer now, or a slot to wait on.
    enum JoinOutcome {
        case now(JoinGroupResponse)
        case parked(ReplySlot<JoinGroupResponse>, timeoutMillis: Int64)
    }

    func join(_ request: JoinGroupRequest, version: Int16, clientId: String, clientHost: String) -> JoinOutcome {
        func fail(_ code: ErrorCode, memberId: String = "") -> JoinOutcome {
            .now(JoinGroupResponse(errorCode: code, generationId: -1, protocolName: version >= 7 ? nil : "", leader: "", memberId: memberId))
        }
        guard !request.groupId.isEmpty else { return fail(.invalidGroupId) }
        guard request.sessionTimeoutMs >= settings.minSessionTimeoutMs && request.sessionTimeoutMs <= settings.maxSessionTimeoutMs else {
            return fail(.invalidSessionTimeout)
        }
        let rebalanceTimeout = version >= 1 && request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs
        let protocols = request.protocols.map { (name: $0.name, metadata: $0.metadata) }
        let instanceId = version >= 5 ? request.groupInstanceId : nil
        let now = nowMillis
        return groups.withLock { groups -> JoinOutcome in
            var group = groups[request.groupId] ?? ConsumerGroup(groupId: request.groupId)
            if group.state == .dead { group = ConsumerGroup(groupId: request.groupId) }
            defer { groups[request.groupId] = group }
            guard group.accepts(protocolType: request.protocolType, protocols: protocols.map(\.name)) else {
                return fail(.inconsistentGroupProtocol, memberId: request.memberId)
            }
            func newMember(_ id: String) -> GroupMember {
                GroupMember(memberId: id, groupInstanceId: instanceId, clientId: clientId, clientHost: clientHost,
                            sessionTimeoutMs: request.sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeout,
                            protocols: protocols, lastHeardMillis: now)
            }
            var memberId = request.memberId
            if memberId.isEmpty {
                if let instanceId, let oldId = group.staticMembers[instanceId], var member = group.members[oldId] {
                    // A static member came back: new member id, old one fenced, and no rebalance
                    // when nothing about it changed.
                    memberId = Self.newMemberId(clientId: clientId)
                    let unchanged = member.hasSameProtocols(as: protocols)
                    let wasLeader = group.leaderId == oldId
                    group.remove(oldId)
                    member.pendingJoin?.fill(JoinGroupResponse(errorCode: .fencedInstanceId, generationId: -1, leader: "", memberId: oldId))
                    member.pendingSync?.fill(SyncGroupResponse(errorCode: .fencedInstanceId))
                    member.pendingJoin = nil
                    member.pendingSync = nil
                    member.memberId = memberId
                    member.protocols = protocols
                    member.sessionTimeoutMs = request.sessionTimeoutMs
                    member.rebalanceTimeoutMs = rebalanceTimeout
                    member.lastHeardMillis = now
                    group.add(member)
                    if wasLeader { group.leaderId = memberId }
                    logger.info("group \(group.groupId): static member \(instanceId) returned as \(memberId)")
                    if group.state == .stable && unchanged {
                        // Kafka stores the group here: the old member id is gone for good.
                        persist(group)
                        return .now(currentGenerationAnswer(group, for: memberId, version: version, skipAssignment: version >= 9 && group.leaderId == memberId))
                    }
                } else if instanceId != nil {
                    memberId = Self.newMemberId(clientId: clientId)
                    group.add(newMember(memberId))
                } else if version >= 4 {
                    // KIP-394: hand out an id and make the client come back with it.
                    memberId = Self.newMemberId(clientId: clientId)
                    group.pendingMemberIds[memberId] = now + Int64(request.sessionTimeoutMs)
                    return .now(JoinGroupResponse(errorCode: .memberIdRequired, generationId: -1, protocolName: version >= 7 ? nil : "", leader: "", memberId: memberId))
                } else {
                    memberId = Self.newMemberId(clientId: clientId)
                    group.add(newMember(memberId))
                }
            } else if group.pendingMemberIds.removeValue(forKey: memberId) != nil {
                group.add(newMember(memberId))
            } else if var member = group.members[memberId] {
                if let instanceId, group.staticMembers[instanceId] != memberId { return fail(.fencedInstanceId, memberId: memberId) }
                let unchanged = member.hasSameProtocols(as: protocols)
                member.protocols = protocols
                member.sessionTimeoutMs = request.sessionTimeoutMs
                member.rebalanceTimeoutMs = rebalanceTimeout
                member.lastHeardMillis = now
                group.members[memberId] = member
                if unchanged && ((group.state == .stable && group.leaderId != memberId) || group.state == .completingRebalance) {
                    return .now(currentGenerationAnswer(group, for: memberId, version: version, skipAssignment: false))
                }
            } else {
                if let instanceId, group.staticMembers[instanceId] != nil { return fail(.fencedInstanceId, memberId: memberId) }
                return fail(.unknownMemberId, memberId: memberId)
            }
            let slot = ReplySlot<JoinGroupResponse>()
            group.members[memberId]?.pendingJoin = slot
            group.members[memberId]?.pendingJoinVersion = version
            if group.protocolType == nil || group.members.count == 1 { group.protocolType = request.protocolType }
            if group.state != .preparingRebalance { prepareRebalance(&group, now: now, reason: "member \(memberId) joined") }
            maybeCompleteJoin(&group, now: now)
            let timeout = Int64(group.members.values.map(\.rebalanceTimeoutMs).max() ?? rebalanceTimeout) + Int64(settings.initialRebalanceDelayMs) + 5_000
            return .parked(slot, timeoutMillis: timeout)
        }
    }

    /// The current generation's JoinGroup answer for `memberId` (members only for the leader).
    private func currentGenerationAnswer(_ group: ConsumerGroup, for memberId: String, version: Int16, skipAssignment: Bool) -> JoinGroupResponse {
        let isLeader = group.leaderId == memberId
        let protocolName = group.protocolName ?? ""
        return JoinGroupResponse(
            errorCode: .none, generationId: group.generationId, protocolType: group.protocolType,
            protocolName: protocolName, leader: group.leaderId ?? "", skipAssignment: skipAssignment, memberId: memberId,
            members: isLeader ? group.orderedMembers.map {
                JoinGroupResponse.Member(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, metadata: $0.metadata(for: protocolName))
            } : [])
    }

    /// Starts a join phase: parked syncs learn a rebalance began, deadlines are set.
    func prepareRebalance(_ group: inout ConsumerGroup, now: Int64, reason: String) {
        if group.state == .completingRebalance {
            for id in group.joinOrder {
                group.members[id]?.pendingSync?.fill(SyncGroupResponse(errorCode: .rebalanceInProgress))
                group.members[id]?.pendingSync = nil
            }
        }
        let fromEmpty = group.state == .empty || group.state == .dead
        group.state = .preparingRebalance
        let longest = Int64(group.members.values.map(\.rebalanceTimeoutMs).max() ?? 0)
        group.phaseDeadlineMillis = now + longest
        group.initialDelayUntilMillis = fromEmpty ? now + min(Int64(settings.initialRebalanceDelayMs), longest) : now
        logger.info("group \(group.groupId): rebalance (generation \(group.generationId)): \(reason)")
    }

    /// Ends the join phase when every member has rejoined (after the initial delay) or the
    /// rebalance timeout passed. As Kafka's `completeClassicGroupJoin`: dynamic members that
    /// did not rejoin are removed; static ones stay in the new generation (the leader sees
    /// their last metadata) until their session times out. When no member rejoined at all,
    /// the phase is extended by the rebalance timeout (sessions expire the silent ones).
    func maybeCompleteJoin(_ group: inout ConsumerGroup, now: Int64) {
        guard group.state == .preparingRebalance else { return }
        let allJoined = group.members.values.allSatisfy { $0.pendingJoin != nil }
        guard (allJoined && now >= group.initialDelayUntilMillis) || now >= group.phaseDeadlineMillis else { return }
        for member in group.orderedMembers where member.pendingJoin == nil && member.groupInstanceId == nil {
            group.remove(member.memberId)
            logger.info("group \(group.groupId): member \(member.memberId) did not rejoin in time; removed")
        }
        let joined = group.joinOrder.filter { group.members[$0]?.pendingJoin != nil }
        if joined.isEmpty && !group.members.isEmpty {
            // Only static members that did not rejoin are left: no one could lead.
            group.phaseDeadlineMillis = now + Int64(group.members.values.map(\.rebalanceTimeoutMs).max() ?? 0)
            logger.info("group \(group.groupId): no member rejoined; waiting for the static members' sessions")
            return
        }
        group.generationId &+= 1
        guard !group.members.isEmpty else {
            group.state = .empty
            group.protocolName = nil
            group.leaderId = nil
            group.subscribedTopics = group.computeSubscribedTopics()
            persist(group)
            return
        }
        group.protocolName = group.selectProtocol()
        group.subscribedTopics = group.computeSubscribedTopics()
        // The leader must be a member that is waiting for this answer (Kafka's maybeElectNewJoinedLeader).
        if !joined.contains(group.leaderId ?? "") { group.leaderId = joined.first }
        group.state = .completingRebalance
        group.phaseDeadlineMillis = now + Int64(group.members.values.map(\.rebalanceTimeoutMs).max() ?? 0)
        for id in group.joinOrder {
            guard var member = group.members[id] else { continue }
            // Every member's session restarts now, a static one that did not rejoin included.
            member.lastHeardMillis = now
            if let slot = member.pendingJoin {
                slot.fill(currentGenerationAnswer(group, for: id, version: member.pendingJoinVersion, skipAssignment: false))
                member.pendingJoin = nil
            }
            group.members[id] = member
        }
        logger.info("group \(group.groupId): generation \(group.generationId) with \(group.members.count) members, protocol \(group.protocolName ?? "-"), leader \(group.leaderId ?? "-")")
    }

    // MARK: SyncGroup

    enum SyncOutcome {
        case now(SyncGroupResponse)
        case parked(ReplySlot<SyncGroupResponse>, timeoutMillis: Int64)
    }

    func sync(_ request: SyncGroupRequest, version: Int16) -> SyncOutcome {
        let now = nowMillis
        return groups.withLock { groups -> SyncOutcome in
            if let instance = request.groupInstanceId, let current = groups[request.groupId]?.staticMembers[instance], current != request.memberId {
                return .now(SyncGroupResponse(errorCode: .fencedInstanceId))
            }
            guard var group = groups[request.groupId], var member = group.members[request.memberId] else {
                return .now(SyncGroupResponse(errorCode: .unknownMemberId))
            }
            defer { groups[request.groupId] = group }
            guard request.generationId == group.generationId else { return .now(SyncGroupResponse(errorCode: .illegalGeneration)) }
            if version >= 5 {
                if let type = request.protocolType, type != group.protocolType { return .now(SyncGroupResponse(errorCode: .inconsistentGroupProtocol)) }
                if let name = request.protocolName, name != group.protocolName { return .now(SyncGroupResponse(errorCode: .inconsistentGroupProtocol)) }
            }
            member.lastHeardMillis = now
            group.members[request.memberId] = member
            switch group.state {
            case .empty, .dead:
                return .now(SyncGroupResponse(errorCode: .unknownMemberId))
            case .preparingRebalance:
                return .now(SyncGroupResponse(errorCode: .rebalanceInProgress))
            case .stable:
                return .now(SyncGroupResponse(errorCode: .none, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment))
            case .completingRebalance:
                let slot = ReplySlot<SyncGroupResponse>()
                group.members[request.memberId]?.pendingSync = slot
                if request.memberId == group.leaderId {
                    let given = Dictionary(request.assignments.map { ($0.memberId, $0.assignment) }, uniquingKeysWith: { a, _ in a })
                    for id in group.joinOrder {
                        group.members[id]?.assignment = given[id] ?? []
                    }
                    group.state = .stable
                    persist(group)
                    for id in group.joinOrder {
                        guard let parked = group.members[id]?.pendingSync else { continue }
                        parked.fill(SyncGroupResponse(errorCode: .none, protocolType: group.protocolType, protocolName: group.protocolName,
                                                      assignment: group.members[id]?.assignment ?? []))
                        group.members[id]?.pendingSync = nil
                    }
                    logger.info("group \(group.groupId): generation \(group.generationId) is stable")
                }
                return .parked(slot, timeoutMillis: Int64(member.rebalanceTimeoutMs) + 5_000)
            }
        }
    }

    // MARK: Heartbeat and LeaveGroup

    func heartbeat(_ request: HeartbeatRequest) -> ErrorCode {
        let now = nowMillis
        return groups.withLock { groups -> ErrorCode in
            guard var group = groups[request.groupId] else { return .unknownMemberId }
            if let instance = request.groupInstanceId, let current = group.staticMembers[instance], current != request.memberId {
                return .fencedInstanceId
            }
            guard group.state != .empty, group.state != .dead, group.members[request.memberId] != nil else { return .unknownMemberId }
            guard request.generationId == group.generationId else { return .illegalGeneration }
            group.members[request.memberId]?.lastHeardMillis = now
            groups[request.groupId] = group
            return group.state == .preparingRebalance ? .rebalanceInProgress : .none
        }
    }

    /// Removes members (by member id, or by instance id for static members); per-member errors.
    func leave(groupId: String, members: [(memberId: String, instanceId: String?)]) -> [ErrorCode] {
        let now = nowMillis
        return groups.withLock { groups -> [ErrorCode] in
            guard var group = groups[groupId] else { return members.map { _ in .unknownMemberId } }
            defer { groups[groupId] = group }
            var results: [ErrorCode] = []
            var removedAny = false
            for (memberId, instanceId) in members {
                var target = memberId
                if let instanceId {
                    guard let current = group.staticMembers[instanceId] else { results.append(.unknownMemberId); continue }
                    if !memberId.isEmpty && memberId != current { results.append(.fencedInstanceId); continue }
                    target = current
                }
                guard let removed = group.remove(target) else { results.append(.unknownMemberId); continue }
                removed.pendingJoin?.fill(JoinGroupResponse(errorCode: .unknownMemberId, generationId: -1, leader: "", memberId: target))
                removed.pendingSync?.fill(SyncGroupResponse(errorCode: .unknownMemberId))
                removedAny = true
                results.append(.none)
                logger.info("group \(groupId): member \(target) left")
            }
            if removedAny { membershipChanged(&group, now: now, reason: "members left") }
            return results
        }
    }

    /// After members were removed: rebalance (or become Empty).
    private func membershipChanged(_ group: inout ConsumerGroup, now: Int64, reason: String) {
        switch group.state {
        case .stable, .completingRebalance:
            prepareRebalance(&group, now: now, reason: reason)
            maybeCompleteJoin(&group, now: now)
        case .preparingRebalance:
            maybeCompleteJoin(&group, now: now)
        case .empty, .dead:
            break
        }
        if group.members.isEmpty && group.state == .preparingRebalance {
            group.phaseDeadlineMillis = now
            maybeCompleteJoin(&group, now: now)
        }
    }

    // MARK: timers

    /// Expires silent members and pending member ids, ends join phases at their deadlines, and
    /// restarts rebalances whose leader never synced.
    func tick() {
        let now = nowMillis
        groups.withLock { groups in
            for id in Array(groups.keys) {
                guard var group = groups[id] else { continue }
                group.pendingMemberIds = group.pendingMemberIds.filter { $0.value > now }
                var expired = false
                for member in group.orderedMembers where member.pendingJoin == nil && member.pendingSync == nil
                    && now - member.lastHeardMillis > Int64(member.sessionTimeoutMs) {
                    group.remove(member.memberId)
                    expired = true
                    logger.info("group \(id): member \(member.memberId) expired after \(member.sessionTimeoutMs) ms of silence")
                }
                if group.state == .completingRebalance && now >= group.phaseDeadlineMillis {
                    for member in group.orderedMembers where member.pendingSync == nil {
                        group.remove(member.memberId)
                        expired = true
                    }
                    if group.members[group.leaderId ?? ""] == nil { expired = true }
                }
                if expired { membershipChanged(&group, now: now, reason: "members expired") }
                maybeCompleteJoin(&group, now: now)
                groups[id] = group
            }
        }
    }
}
