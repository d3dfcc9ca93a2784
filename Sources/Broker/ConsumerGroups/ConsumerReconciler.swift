/// Moves one member towards its target assignment, as Kafka's `CurrentAssignmentBuilder` does
/// (KIP-848 reconciliation):
/// - partitions the member has but its target does not are revoked first: the member stays at
///   its epoch in `.unrevokedPartitions` and keeps owning them until a heartbeat's owned
///   partitions show it gave them up;
/// - a partition of the target is given only once no other member owns it; until then the
///   member is at the target epoch in `.unreleasedPartitions`;
/// - otherwise the member moves to the target epoch, `.stable`.
/// So no partition is ever owned by two members. Pure function of its input; thread-safe.
enum ConsumerReconciler {
    /// `owned`: the partitions the heartbeat says the member owns (nil = not sent, meaning
    /// unchanged: pending revocations are then not acknowledged). `ownedByOther(topic,
    /// partition)`: whether a member other than this one owns the partition.
    static func reconcile(_ member: ConsumerGroupMember, targetEpoch: Int32, target: ConsumerAssignment,
                          owned: ConsumerAssignment?, ownedByOther: (String, Int32) -> Bool) -> ConsumerGroupMember {
        switch member.state {
        case .stable:
            guard member.memberEpoch != targetEpoch else { return member }
            return next(member, epoch: member.memberEpoch, targetEpoch: targetEpoch, target: target, owned: owned, ownedByOther: ownedByOther)
        case .unrevokedPartitions:
            if stillOwnsAny(member.pendingRevocation, owned: owned) { return member }
            return next(member, epoch: member.memberEpoch + 1, targetEpoch: targetEpoch, target: target, owned: owned, ownedByOther: ownedByOther)
        case .unreleasedPartitions:
            return next(member, epoch: member.memberEpoch, targetEpoch: targetEpoch, target: target, owned: owned, ownedByOther: ownedByOther)
        }
    }

    /// Whether the member still owns one of `revoking` (true when it did not say).
    private static func stillOwnsAny(_ revoking: ConsumerAssignment, owned: ConsumerAssignment?) -> Bool {
        guard let owned else { return true }
        for (topic, partitions) in owned where !(revoking[topic] ?? []).isDisjoint(with: partitions) { return true }
        return false
    }

    private static func next(_ member: ConsumerGroupMember, epoch: Int32, targetEpoch: Int32, target: ConsumerAssignment,
                             owned: ConsumerAssignment?, ownedByOther: (String, Int32) -> Bool) -> ConsumerGroupMember {
        var assigned: ConsumerAssignment = [:]
        var revoking: ConsumerAssignment = [:]
        var adding: ConsumerAssignment = [:]
        var unreleased = false
        for topic in Set(target.keys).union(member.assigned.keys) {
            let want = target[topic] ?? []
            let have = member.assigned[topic] ?? []
            let keep = have.intersection(want)
            let give = have.subtracting(keep)
            var take = want.subtracting(keep)
            // The member's own pending revocations count as owned too (Kafka's partition epochs).
            let blocked = take.filter { ownedByOther(topic, $0) || member.pendingRevocation[topic]?.contains($0) == true }
            if !blocked.isEmpty { unreleased = true; take.subtract(blocked) }
            if !keep.isEmpty { assigned[topic] = keep }
            if !give.isEmpty { revoking[topic] = give }
            if !take.isEmpty { adding[topic] = take }
        }
        var updated = member
        if !revoking.isEmpty, stillOwnsAny(revoking, owned: owned) {
            updated.state = .unrevokedPartitions
            updated.setEpoch(epoch)
            updated.assigned = assigned
            updated.pendingRevocation = revoking
            return updated
        }
        for (topic, partitions) in adding { assigned[topic, default: []].formUnion(partitions) }
        updated.state = unreleased ? .unreleasedPartitions : .stable
        updated.setEpoch(targetEpoch)
        updated.assigned = assigned
        updated.pendingRevocation = [:]
        return updated
    }
}

extension ConsumerGroupMember {
    /// Sets the epoch, remembering the previous one when it changes (Kafka's `updateMemberEpoch`).
    mutating func setEpoch(_ epoch: Int32) {
        guard epoch != memberEpoch else { return }
        previousMemberEpoch = memberEpoch
        memberEpoch = epoch
    }
}
