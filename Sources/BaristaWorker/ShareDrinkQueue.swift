public import KafkaClient

/// The brewing queue read through a share group (KIP-932): any number of workers share each
/// partition; a drink is locked to the worker that took it until acknowledged or until the
/// group's `share.record.lock.duration.ms` passes, and carries the broker's delivery count.
///
/// Explicit acknowledgement, one record per ShareFetch (`maxPollRecords` 1, the record-limit
/// acquire mode), so a worker holds only the drink it is brewing and idle workers get the rest.
/// `acknowledge` records the acknowledgement and the next `take` carries it on its ShareFetch
/// (one round trip per drink instead of two); `close` sends what is left. An acknowledgement
/// lost with the process only means the drink is delivered again after its lock, and its
/// result, already published, is a repeat the order desk ignores. Used from one thread.
public final class ShareDrinkQueue: DrinkQueue {
    private let consumer: ShareConsumer
    /// The records `take` returned, by position, so `acknowledge` can name them to the consumer.
    private var taken: [String: ShareRecord] = [:]

    /// Joins `groupId` and subscribes to `topic`. Throws `KafkaClientError` for bad settings.
    public init(client: ClientConfig, groupId: String, topic: String) throws {
        var config = ShareConsumerConfig(client: client, groupId: groupId)
        config.acknowledgementMode = .explicit
        config.maxPollRecords = 1
        config.fetchMaxWaitMs = 500
        consumer = try ShareConsumer(config: config)
        try consumer.subscribe([topic])
    }

    public var mode: String { "share" }

    public func take(timeoutMs: Int) throws -> QueuedDrink? {
        guard let record = try consumer.poll(timeoutMs: timeoutMs).first else { return nil }
        taken[QueuedDrink.position(record.topic, record.partition, record.offset)] = record
        return QueuedDrink(topic: record.topic, partition: record.partition, offset: record.offset, key: record.key,
                           value: record.value, headers: record.headers, deliveryCount: Int(record.deliveryCount))
    }

    public func acknowledge(_ drink: QueuedDrink, _ acknowledgement: DrinkAcknowledgement) throws {
        let position = drink.position
        guard let record = taken.removeValue(forKey: position) else { return }
        let type: AcknowledgeType = switch acknowledgement {
        case .accept: .accept
        case .release: .release
        case .reject: .reject
        }
        try consumer.acknowledge(record, type: type)
    }

    public func close() {
        consumer.close()
    }
}
