public import KafkaClient

/// The brewing queue read through a classic consumer group, for brokers without share groups
/// (Tansu, Redpanda): a partition belongs to one worker at a time, so at most as many workers
/// brew as the queue has partitions.
///
/// The worker takes records one at a time in partition order. `accept` and `reject` commit
/// the next offset; `release` seeks back to the drink so it is taken again, counting the
/// delivery here (a restarted worker starts counting again, which is as close to a delivery
/// count as a consumer group gets). Used from one thread.
public final class GroupDrinkQueue: DrinkQueue {
    private let consumer: KafkaConsumer
    /// Records fetched but not handed out yet (a poll may return several).
    private var pending: [ConsumerRecord] = []
    /// Deliveries so far of drinks that were released, by position.
    private var deliveries: [String: Int] = [:]

    /// Joins `groupId` and subscribes to `topic`, reading from the earliest offset when the
    /// group has none. Throws `KafkaClientError` for bad settings.
    public init(client: ClientConfig, groupId: String, topic: String, sessionTimeoutMs: Int) throws {
        var config = ConsumerConfig(groupId: groupId)
        config.autoOffsetReset = .earliest
        config.enableAutoCommit = false
        config.sessionTimeoutMs = sessionTimeoutMs
        config.heartbeatIntervalMs = max(1_000, sessionTimeoutMs / 3)
        config.fetchMaxWaitMs = 500
        consumer = try KafkaConsumer(config: client, consumerConfig: config)
        try consumer.subscribe([topic])
    }

    public var mode: String { "group" }

    public func take(timeoutMs: Int) throws -> QueuedDrink? {
        if pending.isEmpty { pending = try consumer.poll(timeoutMs: timeoutMs) }
        guard !pending.isEmpty else { return nil }
        let record = pending.removeFirst()
        let count = (deliveries[QueuedDrink.position(record.topic, record.partition, record.offset)] ?? 0) + 1
        return QueuedDrink(topic: record.topic, partition: record.partition, offset: record.offset, key: record.key,
                           value: record.value, headers: record.headers, deliveryCount: count)
    }

    public func acknowledge(_ drink: QueuedDrink, _ acknowledgement: DrinkAcknowledgement) throws {
        let position = drink.position
        let partition = TopicPartition(topic: drink.topic, partition: drink.partition)
        switch acknowledgement {
        case .accept, .reject:
            deliveries[position] = nil
            try consumer.commitSync([partition: drink.offset + 1])
        case .release:
            deliveries[position] = drink.deliveryCount
            // Everything fetched after it on that partition comes again after the seek.
            pending.removeAll { $0.topic == drink.topic && $0.partition == drink.partition }
            try consumer.seek(partition, to: drink.offset)
        }
    }

    public func close() {
        consumer.close()
    }
}
