/// The durable state of every consumer-protocol group: the internal log
/// `internal/consumer-groups`, one `ConsumerGroupStateRecord` snapshot per change of a
/// group's stored state, a tombstone when it is deleted (see `GroupStateLog`).
typealias ConsumerGroupStateLog = GroupStateLog<ConsumerGroupStateRecord>

extension ConsumerGroupStateRecord: GroupSnapshotFormat {
    static let logName = "consumer-groups"
}
