/// Everything a ``ShareConsumer`` changes over time, kept behind its mutex (never held during
/// I/O). A value type.
struct ShareConsumerState: Sendable {
    /// One share session with one broker: the epoch its next request carries (0 = open anew)
    /// and the partitions the broker has in it.
    struct Session: Sendable, Equatable {
        var epoch: Int32 = 0
        var partitions: Set<TopicPartition> = []
    }

    /// `close()` was called.
    var closed = false
    /// A heartbeat error that ends the consumer (e.g. the group id belongs to a consumer group).
    var fatalError: KafkaClientError?
    /// The subscribed topics.
    var topics: Set<String> = []
    /// The member epoch the coordinator gave; 0 = (re)join with the next heartbeat.
    var memberEpoch: Int32 = 0
    /// The coordinator's heartbeat interval (from its latest answer).
    var heartbeatIntervalMs: Int
    /// The partitions the coordinator assigned, by name.
    var assignment: Set<TopicPartition> = []
    /// Share sessions by broker node id.
    var sessions: [Int32: Session] = [:]
    /// Acknowledgements to send with the next ShareFetch or ShareAcknowledge.
    var pending = ShareAcknowledgements()
    /// Records delivered and not acknowledged yet, per partition (implicit mode accepts them at
    /// the next poll or commit; explicit mode only allows acknowledging these).
    var delivered: [TopicPartition: Set<Int64>] = [:]
    /// Leaders moved or topics are unknown: refresh metadata before the next fetch.
    var metadataStale = false
    /// When the last heartbeat was sent (monotonic nanoseconds; 0 = never).
    var lastHeartbeatNanos: UInt64 = 0
    /// The background heartbeat thread, once joined.
    var heartbeat: HeartbeatThread?

    init(heartbeatIntervalMs: Int) {
        self.heartbeatIntervalMs = heartbeatIntervalMs
    }

    /// Implicit acknowledgement: every delivered record not acknowledged yet is accepted.
    mutating func acceptDelivered() {
        for (partition, offsets) in delivered {
            for offset in offsets { pending.add(partition, offset: offset, type: .accept) }
        }
        delivered.removeAll()
    }

    /// The member was fenced or removed: rejoin, and every share session starts anew (the
    /// broker released the member's records, so acknowledgements for them are pointless).
    mutating func resetMembership() {
        memberEpoch = 0
        assignment = []
        resetSessions()
    }

    /// Forgets every share session and what was delivered in them.
    mutating func resetSessions() {
        for node in sessions.keys { resetSession(node) }
    }

    /// Forgets the share session with `node` (its records went back to the group).
    mutating func resetSession(_ node: Int32) {
        guard let session = sessions[node] else { return }
        for partition in session.partitions {
            pending.drop(partition)
            delivered[partition] = nil
        }
        sessions[node] = Session()
    }
}
