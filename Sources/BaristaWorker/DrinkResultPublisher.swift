public import EventContracts
public import KafkaClient
import KafkaRecords
import ServiceKit
public import SystemIO

/// Where a barista worker publishes what it did: results on `coffee.brew-results`, dead letters
/// on `coffee.dlq`.
public protocol DrinkResultPublisher: AnyObject, Sendable {
    /// Publishes `event` (topic, key, headers from the event). With `waitForAck` it returns
    /// only once the broker acknowledged it (and throws when it did not); without, it returns
    /// at once and a failure is only logged.
    func publish(_ event: CoffeeEvent, waitForAck: Bool) throws
    /// Publishes `drink`'s record unchanged to `coffee.dlq` with the `dlq.*` headers, and waits
    /// for the acknowledgement.
    func deadLetter(_ drink: QueuedDrink, error: String, attempts: Int, worker: String, atMillis: Int64) throws
}

/// `DrinkResultPublisher` over an idempotent `KafkaProducer` (acks=all): one worker's results
/// for one order stay in order (same key, same partition, one producer). Thread-safe as the
/// producer is.
public final class KafkaResultPublisher: DrinkResultPublisher, Sendable {
    private let producer: KafkaProducer
    private let logger: Logger

    /// Publishes through `producer`, logging failures of unacknowledged sends to `logger`.
    public init(producer: KafkaProducer, logger: Logger) {
        self.producer = producer
        self.logger = logger
    }

    public func publish(_ event: CoffeeEvent, waitForAck: Bool) throws {
        let record = ProducerRecord(topic: event.topic.name, key: event.key, value: event.encode(),
                                    headers: event.headers.map { RecordHeader(key: $0.0, value: $0.1) })
        if waitForAck {
            _ = try producer.send(record)
        } else {
            let logger = self.logger
            let type = event.type
            producer.send(record) { result in
                if case .failure(let error) = result { logger.warning("\(type) not published: \(error)") }
            }
        }
    }

    public func deadLetter(_ drink: QueuedDrink, error: String, attempts: Int, worker: String, atMillis: Int64) throws {
        let original = drink.headers.map { MessageHeader(name: $0.key, value: $0.value ?? []) }
        let headers = DeadLetter.headers(
            original: original, error: error, topic: drink.topic, partition: drink.partition, offset: drink.offset,
            consumer: worker, attempts: attempts, failedAt: DeadLetter.rfc3339(unixMillis: atMillis))
        _ = try producer.send(ProducerRecord(topic: DeadLetter.topic, key: drink.key, value: drink.value,
                                             headers: headers.map { RecordHeader(key: $0.name, value: $0.value) }))
    }
}
