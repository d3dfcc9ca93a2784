import KafkaProtocol
import Synchronization

/// Share sessions (KIP-932): per group and member, the partitions a share consumer fetches
/// from and the epoch its next ShareFetch/ShareAcknowledge must carry. Epoch 0 opens a new
/// session (replacing the member's old one), -1 closes it, anything else must be the session's
/// current epoch, which then moves on (1, 2, …, wrapping to 1).
///
/// Kafka's answers: a request for a session that does not exist → SHARE_SESSION_NOT_FOUND; the
/// wrong epoch → INVALID_SHARE_SESSION_EPOCH; opening a session with acknowledgements in it, or
/// closing one with partitions to fetch → INVALID_REQUEST; more than `maxSessions` →
/// SHARE_SESSION_LIMIT_REACHED. Thread-safe (one lock).
final class ShareSessionCache: Sendable {
    /// One topic-partition of a session.
    struct Partition: Hashable, Sendable, Comparable {
        var topic: String
        var partition: Int32
        static func < (a: Self, b: Self) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
    }

    struct Key: Hashable, Sendable {
        var groupId: String
        var memberId: String
    }

    struct Session: Sendable, Equatable {
        /// The epoch the next request must carry.
        var epoch: Int32
        var partitions: Set<Partition>
        var lastUsedMillis: Int64
    }

    /// What a request may do once its session is checked.
    enum Outcome: Equatable, Sendable {
        /// Go on with these partitions (the session after the request's changes).
        case proceed(Set<Partition>)
        /// The session was closed (epoch -1): answer the acknowledgements, fetch nothing.
        case closed
        /// Refused with this error; the session is unchanged.
        case refused(ErrorCode)
    }

    static let initialEpoch: Int32 = 0
    static let finalEpoch: Int32 = -1

    let maxSessions: Int
    private let sessions = Mutex<[Key: Session]>([:])

    init(maxSessions: Int = 2_000) {
        self.maxSessions = maxSessions
    }

    /// The epoch after `epoch` (never 0 or -1).
    static func nextEpoch(_ epoch: Int32) -> Int32 { epoch == Int32.max ? 1 : epoch + 1 }

    /// Checks and applies a ShareFetch's session fields: `adding` are the partitions it names
    /// (with a nonzero byte budget), `forgetting` those it drops, `hasAcknowledgements` whether it
    /// carries acknowledgements.
    func fetch(groupId: String, memberId: String, epoch: Int32, adding: Set<Partition>, forgetting: Set<Partition>,
               hasAcknowledgements: Bool, now: Int64) -> Outcome {
        let key = Key(groupId: groupId, memberId: memberId)
        return sessions.withLock { sessions -> Outcome in
            switch epoch {
            case Self.finalEpoch:
                guard adding.isEmpty else { return .refused(.invalidRequest) }
                guard sessions.removeValue(forKey: key) != nil else { return .refused(.shareSessionNotFound) }
                return .closed
            case Self.initialEpoch:
                guard !hasAcknowledgements else { return .refused(.invalidRequest) }
                sessions[key] = nil
                guard sessions.count < maxSessions else { return .refused(.shareSessionLimitReached) }
                let partitions = adding.subtracting(forgetting)
                sessions[key] = Session(epoch: Self.nextEpoch(epoch), partitions: partitions, lastUsedMillis: now)
                return .proceed(partitions)
            default:
                guard var session = sessions[key] else { return .refused(.shareSessionNotFound) }
                guard session.epoch == epoch else { return .refused(.invalidShareSessionEpoch) }
                session.partitions.formUnion(adding)
                session.partitions.subtract(forgetting)
                session.epoch = Self.nextEpoch(session.epoch)
                session.lastUsedMillis = now
                sessions[key] = session
                return .proceed(session.partitions)
            }
        }
    }

    /// Checks and applies a ShareAcknowledge's session epoch: 0 is refused with
    /// INVALID_SHARE_SESSION_EPOCH whether or not a session exists (a session is opened only by
    /// ShareFetch; Kafka's `SharePartitionManager.acknowledgeSessionUpdate` checks this first),
    /// then a missing session is SHARE_SESSION_NOT_FOUND; -1 closes the session after the
    /// acknowledgements.
    func acknowledge(groupId: String, memberId: String, epoch: Int32, now: Int64) -> Outcome {
        if epoch == Self.initialEpoch { return .refused(.invalidShareSessionEpoch) }
        let key = Key(groupId: groupId, memberId: memberId)
        return sessions.withLock { sessions -> Outcome in
            guard var session = sessions[key] else { return .refused(.shareSessionNotFound) }
            switch epoch {
            case Self.finalEpoch:
                sessions[key] = nil
                return .closed
            default:
                guard session.epoch == epoch else { return .refused(.invalidShareSessionEpoch) }
                session.epoch = Self.nextEpoch(session.epoch)
                session.lastUsedMillis = now
                sessions[key] = session
                return .proceed(session.partitions)
            }
        }
    }

    /// Drops the member's session (it left the group or its session timed out).
    func remove(groupId: String, memberId: String) {
        _ = sessions.withLock { $0.removeValue(forKey: Key(groupId: groupId, memberId: memberId)) }
    }

    /// Every session as (group, member, last use in wall-clock ms).
    func sessionsByLastUse() -> [(groupId: String, memberId: String, lastUsedMillis: Int64)] {
        sessions.withLock { $0.map { (groupId: $0.key.groupId, memberId: $0.key.memberId, lastUsedMillis: $0.value.lastUsedMillis) } }
    }

    /// Drops the member's session if it was not used after `lastUsedMillis`; returns whether it did.
    func remove(groupId: String, memberId: String, ifUnusedSince lastUsedMillis: Int64) -> Bool {
        sessions.withLock { sessions in
            let key = Key(groupId: groupId, memberId: memberId)
            guard let session = sessions[key], session.lastUsedMillis <= lastUsedMillis else { return false }
            sessions[key] = nil
            return true
        }
    }

    /// The member's session, if any.
    func session(groupId: String, memberId: String) -> Session? {
        sessions.withLock { $0[Key(groupId: groupId, memberId: memberId)] }
    }

    /// How many sessions are open.
    var count: Int { sessions.withLock { $0.count } }
}
