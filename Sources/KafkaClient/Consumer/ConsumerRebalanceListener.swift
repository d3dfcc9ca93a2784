/// Callbacks a subscribed `KafkaConsumer` runs around each rebalance. Classic protocol (eager):
/// all partitions are revoked before the group rejoins, then the whole new assignment is handed
/// out. Consumer protocol (KIP-848, incremental): only the changes — the partitions taken away
/// are revoked first, then the partitions added are assigned (no call when nothing was added);
/// a fenced member's partitions are lost (`partitionsLost`, else `partitionsRevoked`).
///
/// Both run on the thread that called `poll` (or `close`/`unsubscribe`), outside the consumer's
/// locks: they may call `commitSync`, `seek*`, `position`, `committed` and `assignment`, but
/// must not call `poll`, `close` or `unsubscribe`. A value type; `Sendable`.
public struct ConsumerRebalanceListener: Sendable {
    /// Called before the group rejoins (after the auto-commit, when enabled) with the partitions
    /// the consumer is giving up; commit processed offsets here when auto-commit is off.
    public var partitionsRevoked: @Sendable (KafkaConsumer, Set<TopicPartition>) -> Void
    /// Called after a rebalance with the new assignment (possibly empty), before any fetch; seek
    /// here to override the committed offsets.
    public var partitionsAssigned: @Sendable (KafkaConsumer, Set<TopicPartition>) -> Void
    /// Consumer protocol only: called when the coordinator fenced this member (its partitions
    /// may already belong to others, so nothing is committed); nil = `partitionsRevoked`.
    public var partitionsLost: (@Sendable (KafkaConsumer, Set<TopicPartition>) -> Void)?

    /// A listener; any callback may be omitted.
    public init(partitionsRevoked: @escaping @Sendable (KafkaConsumer, Set<TopicPartition>) -> Void = { _, _ in },
                partitionsAssigned: @escaping @Sendable (KafkaConsumer, Set<TopicPartition>) -> Void = { _, _ in },
                partitionsLost: (@Sendable (KafkaConsumer, Set<TopicPartition>) -> Void)? = nil) {
        self.partitionsRevoked = partitionsRevoked
        self.partitionsAssigned = partitionsAssigned
        self.partitionsLost = partitionsLost
    }
}
