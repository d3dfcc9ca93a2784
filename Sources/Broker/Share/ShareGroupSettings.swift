/// Where a share group starts reading a partition it has no state for
/// (`share.auto.offset.reset`, a group config; Kafka's default is `latest`).
public enum ShareAutoOffsetReset: Sendable, Equatable {
    /// The log end offset: only records produced from now on are delivered.
    case latest
    /// The log start offset: everything still in the log is delivered.
    case earliest
    /// `by_duration:<ISO-8601 duration>`: the first offset whose timestamp is at or after
    /// now − duration. The caller resolves it against the log (a timestamp lookup) and
    /// passes the offset to `initialStartOffset`.
    case byDuration(milliseconds: Int64)

    /// The first share-partition start offset (SPSO) of a partition with no stored state.
    /// `resolvedByDuration` is the offset the caller found for `.byDuration` (nil if no record
    /// is that recent: then the log end offset, as Kafka does). The result is clamped into
    /// `[logStartOffset, logEndOffset]`.
    public func initialStartOffset(logStartOffset: Int64, logEndOffset: Int64, resolvedByDuration: Int64? = nil) -> Int64 {
        let offset: Int64
        switch self {
        case .latest: offset = logEndOffset
        case .earliest: offset = logStartOffset
        case .byDuration: offset = resolvedByDuration ?? logEndOffset
        }
        return min(max(offset, logStartOffset), max(logStartOffset, logEndOffset))
    }
}

/// The limits of share-group record delivery (Kafka's `group.share.*` broker configs and the
/// `share.*` group configs of the same meaning). A plain value; the broker computes the group's
/// current settings at every acquisition and acknowledgement and the share partition adopts
/// them (`SharePartition.adopt`), so an altered group config applies to existing partitions
/// from their next acquisition on, as Kafka reads its group configs per acquisition. In Kafka
/// 4.2 only `share.record.lock.duration.ms` and `share.auto.offset.reset` are group configs;
/// the delivery count limit and the record-lock limit are broker configs (their group configs
/// came after 4.2, KIP-1240).
public struct ShareGroupSettings: Sendable, Equatable {
    /// `group.share.record.lock.duration.ms`: how long an acquired record stays locked to its
    /// member before it becomes available again.
    public var recordLockDurationMs: Int64 = 30_000
    /// `group.share.delivery.count.limit`: a record delivered this many times is archived
    /// instead of being made available again (on release, lock expiry or recovery).
    public var deliveryCountLimit: Int16 = 5
    /// `group.share.partition.max.record.locks`: the most records in flight (SPSO..SPEO) per
    /// share partition; no record at or beyond SPSO + this is acquired.
    public var maxRecordLocks: Int = 2000
    /// `share.auto.offset.reset`.
    public var autoOffsetReset: ShareAutoOffsetReset = .latest

    public init() {}
}
