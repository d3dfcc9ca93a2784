/// Callbacks a subscribed `KafkaConsumer` runs around each rebalance (eager protocol: all
/// partitions are revoked before the group rejoins, then the new assignment is handed out).
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

    /// A listener; either callback may be omitted.
    public init(partitionsRevoked: @escaping @Sendable (KafkaConsumer, Set<TopicPartition>) -> Void = { _, _ in },
                partitionsAssigned: @escaping @Sendable (KafkaConsumer, Set<TopicPartition>) -> Void = { _, _ in }) {
        self.partitionsRevoked = partitionsRevoked
        self.partitionsAssigned = partitionsAssigned
    }
}
