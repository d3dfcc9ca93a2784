import KafkaProtocol
import Synchronization
import SystemIO

/// Share-group membership (KIP-932's ShareGroupHeartbeat): members join, heartbeat and leave;
/// the group epoch moves on every change of membership, subscriptions or subscribed topics'
/// partition counts, and the broker-side `ShareAssignor` recomputes the assignment at each new
/// epoch. Share groups have no revocation phase (records, not partitions, are owned), so a
/// member moves to the new epoch and its new assignment at its next heartbeat.
///
/// No sockets and an injected clock: the handler decodes the request, calls `heartbeat`, and
/// encodes the result; `tick` expires members whose session timed out.
///
/// Thread-safety: one lock guards every group; `partitionCount` is called under it and must
/// not call back into the coordinator.
final class ShareGroupCoordinator: Sendable {
    /// The session and heartbeat settings of one group (its group configs over the broker's
    /// `group.share.*` defaults).
    struct Limits: Sendable, Equatable {
        var sessionTimeoutMs: Int32 = 45_000
        var heartbeatIntervalMs: Int32 = 5_000
        /// `group.share.max.size`.
        var maxSize: Int = 200
    }

    /// One ShareGroupHeartbeat, decoded.
    struct Heartbeat: Sendable {
        var groupId: String
        var memberId: String
        /// 0 joins, -1 leaves, otherwise the member's current epoch.
        var memberEpoch: Int32
        var rackId: String? = nil
        /// nil = unchanged since the last heartbeat (required when joining).
        var subscribedTopicNames: [String]? = nil
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
        /// The member's assignment (topic → partitions) when it changed or the member joined;
        /// nil when unchanged.
        var assignment: [String: [Int32]]? = nil
    }

    private let time: any TimeSource
    private let logger: Logger
    private let partitionCount: @Sendable (String) -> Int32?
    private let groups = Mutex<[String: ShareGroup]>([:])

    /// `partitionCount(topic)` gives a topic's partition count (nil if it does not exist).
    init(time: any TimeSource, logger: Logger, partitionCount: @escaping @Sendable (String) -> Int32?) {
        self.time = time
        self.logger = logger
        self.partitionCount = partitionCount
    }

    /// Handles one heartbeat (Kafka's validation order and errors): an empty group or member id,
    /// a join without subscriptions or an epoch below -1 → INVALID_REQUEST; an unknown member →
    /// UNKNOWN_MEMBER_ID; an epoch that is not the member's → FENCED_MEMBER_EPOCH; a full group →
    /// GROUP_MAX_SIZE_REACHED. `limits` are the group's settings now.
    func heartbeat(_ request: Heartbeat, limits: Limits) -> HeartbeatResult {
        if request.groupId.isEmpty { return HeartbeatResult(error: .invalidRequest, message: "GroupId can't be empty.") }
        if request.memberId.isEmpty { return HeartbeatResult(error: .invalidRequest, message: "MemberId can't be empty.") }
        if request.memberEpoch < -1 { return HeartbeatResult(error: .invalidRequest, message: "MemberEpoch is invalid.") }
        if request.memberEpoch == 0, (request.subscribedTopicNames ?? []).isEmpty {
            return HeartbeatResult(error: .invalidRequest, message: "SubscribedTopicNames must be set in first request.")
        }
        let now = time.wallMillis()
        return groups.withLock { groups -> HeartbeatResult in
            if request.memberEpoch == -1 {
                guard var group = groups[request.groupId], group.members[request.memberId] != nil else {
                    return HeartbeatResult(error: .unknownMemberId, message: "Member \(request.memberId) is not a member of group \(request.groupId).")
                }
                group.members[request.memberId] = nil
                rebalance(&group, reason: "member \(request.memberId) left")
                groups[request.groupId] = group
                return HeartbeatResult(memberId: request.memberId, memberEpoch: -1, heartbeatIntervalMs: 0)
            }
            var group = groups[request.groupId] ?? ShareGroup(groupId: request.groupId)
            var changed = false
            var member: ShareGroupMember
            if request.memberEpoch == 0 {
                if let existing = group.members[request.memberId] {
                    member = existing
                } else {
                    guard group.members.count < limits.maxSize else {
                        return HeartbeatResult(error: .groupMaxSizeReached, message: "The share group has reached its maximum capacity of \(limits.maxSize) members.")
                    }
                    member = ShareGroupMember(memberId: request.memberId)
                    changed = true
                }
            } else {
                guard let existing = group.members[request.memberId] else {
                    return HeartbeatResult(error: .unknownMemberId, message: "Member \(request.memberId) is not a member of group \(request.groupId).")
                }
                guard existing.memberEpoch == request.memberEpoch else {
                    return HeartbeatResult(error: .fencedMemberEpoch,
                                           message: "The share group member has a smaller member epoch (\(request.memberEpoch)) than the one known by the group coordinator (\(existing.memberEpoch)).")
                }
                member = existing
            }
            member.clientId = request.clientId
            member.clientHost = request.clientHost
            member.rackId = request.rackId
            member.lastHeardMillis = now
            if let names = request.subscribedTopicNames, Set(names) != member.subscribedTopics {
                member.subscribedTopics = Set(names)
                changed = true
            }
            group.members[request.memberId] = member
            // New partitions of a subscribed topic change the assignment too.
            let counts = group.subscribedPartitionCounts(partitionCount)
            if counts != group.partitionCounts { changed = true }
            if changed { rebalance(&group, reason: request.memberEpoch == 0 ? "member \(request.memberId) joined" : "subscriptions or topics changed") }
            guard var current = group.members[request.memberId] else { return HeartbeatResult(error: .unknownServerError) }
            let assignmentChanged = current.memberEpoch != group.groupEpoch || request.memberEpoch == 0
            current.memberEpoch = group.groupEpoch
            group.members[request.memberId] = current
            groups[request.groupId] = group
            return HeartbeatResult(memberId: request.memberId, memberEpoch: current.memberEpoch, heartbeatIntervalMs: limits.heartbeatIntervalMs,
                                   assignment: assignmentChanged ? current.assignment : nil)
        }
    }

    /// Bumps the group epoch and recomputes every member's target assignment. Call under the lock.
    private func rebalance(_ group: inout ShareGroup, reason: String) {
        group.groupEpoch += 1
        group.partitionCounts = group.subscribedPartitionCounts(partitionCount)
        let assignment = ShareAssignor.assign(subscriptions: group.members.mapValues(\.subscribedTopics)) { group.partitionCounts[$0] }
        for (id, partitions) in assignment { group.members[id]?.assignment = partitions }
        group.assignmentEpoch = group.groupEpoch
        logger.info("share group \(group.groupId): epoch \(group.groupEpoch) with \(group.members.count) members (\(reason))")
    }

    /// Removes members whose session timed out (no heartbeat within the group's
    /// `share.session.timeout.ms`); returns (group, member) of each removed member, so their
    /// acquired records can be released. `limits(groupId)` gives each group's settings now.
    @discardableResult
    func tick(limits: (String) -> Limits) -> [(groupId: String, memberId: String)] {
        let now = time.wallMillis()
        return groups.withLock { groups in
            var removed: [(String, String)] = []
            for id in groups.keys.sorted() {
                guard var group = groups[id] else { continue }
                let timeout = Int64(limits(id).sessionTimeoutMs)
                let expired = group.members.values.filter { now - $0.lastHeardMillis > timeout }.map(\.memberId).sorted()
                guard !expired.isEmpty else { continue }
                for member in expired { group.members[member] = nil }
                rebalance(&group, reason: "session of \(expired.joined(separator: ", ")) timed out")
                groups[id] = group
                removed += expired.map { (id, $0) }
            }
            return removed
        }
    }

    /// The member's current assignment, or nil when it is not a member of the group.
    func assignment(groupId: String, memberId: String) -> [String: [Int32]]? {
        groups.withLock { $0[groupId]?.members[memberId]?.assignment }
    }

    /// A snapshot of one group, or nil.
    func describe(_ groupId: String) -> ShareGroup? {
        groups.withLock { $0[groupId] }
    }

    /// Every share group's id, sorted.
    var groupIds: [String] {
        groups.withLock { $0.keys.sorted() }
    }

    /// Deletes an empty group (DeleteGroups); NON_EMPTY_GROUP while it has members,
    /// GROUP_ID_NOT_FOUND when unknown.
    func delete(_ groupId: String) -> ErrorCode {
        groups.withLock { groups in
            guard let group = groups[groupId] else { return .groupIdNotFound }
            guard group.members.isEmpty else { return .nonEmptyGroup }
            groups[groupId] = nil
            return .none
        }
    }
}
