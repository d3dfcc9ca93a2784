public import KafkaClient
internal import KafkaRecords
internal import SQLite
internal import SystemIO
internal import Synchronization

/// Publishes outbox rows with the idempotent producer and marks them sent only after the
/// broker acknowledged them; a row whose send failed stays unsent and is tried again.
///
/// Rows go out in id order; the producer keeps their order per partition. A crash between the
/// ack and `markSent` publishes those rows again after restart — consumers de-duplicate by
/// event id (their inbox), so the effect is at-least-once publishing with exactly-once effects.
///
/// Thread-safety: `runOnce` is called from one thread (the relay thread); `stop` from any.
public final class OutboxRelay: Sendable {
    private let context: ServiceContext
    private let producer: KafkaProducer
    private let batchLimit: Int
    private let stopping = Atomic<Bool>(false)

    /// Creates a relay publishing `context.database`'s outbox through `producer`.
    public init(context: ServiceContext, producer: KafkaProducer, batchLimit: Int = 1_000) {
        self.context = context
        self.producer = producer
        self.batchLimit = max(1, batchLimit)
    }

    /// Publishes up to `batchLimit` unsent rows and waits for their acks. Returns how many were
    /// marked sent; throws when the outbox cannot be read or marked (the rows stay unsent).
    @discardableResult
    public func runOnce() throws(OutboxError) -> Int {
        let rows = try Outbox.pending(limit: batchLimit, in: context.database)
        guard !rows.isEmpty else {
            context.metrics.set(ServiceMetricNames.outboxDepth, to: 0)
            return 0
        }
        let acked = Locked<[Int64]>([])
        let failures = Locked<[String]>([])
        for row in rows {
            let record = ProducerRecord(
                topic: row.topic, key: row.key, value: row.value,
                headers: row.headers.map { RecordHeader(key: $0.name, value: $0.value) })
            let id = row.id
            producer.send(record) { result in
                switch result {
                case .success: acked.withLock { $0.append(id) }
                case .failure(let error): failures.withLock { $0.append("\(error)") }
                }
            }
        }
        do {
            try producer.flush()
        } catch {
            context.logger.warning("outbox relay: flush failed: \(error)")
        }
        let ids = acked.withLock { $0 }
        let sent = try Outbox.markSent(ids: ids, in: context.database)
        context.metrics.increment(ServiceMetricNames.produced, by: Double(sent))
        if let first = failures.withLock({ $0.first }) {
            context.logger.warning("outbox relay: \(rows.count - ids.count) of \(rows.count) events not acknowledged, will retry: \(first)")
        }
        context.metrics.set(ServiceMetricNames.outboxDepth, to: Double(try Outbox.depth(in: context.database)))
        return sent
    }

    /// Runs until `stop()`: publishes whenever `context.outboxChanged()` signals or every
    /// `interval`, backing off after failures. Publishes what is pending once more before returning.
    public func run(interval: Duration, failureBackoff: Duration = .milliseconds(500)) {
        let wake = context.outboxWakeup
        var seen = wake.generation
        while !stopping.load(ordering: .acquiring) {
            var progressed = false
            var failed = false
            do {
                progressed = try runOnce() > 0
            } catch {
                failed = true
                context.logger.warning("outbox relay: \(error)")
            }
            if progressed && !failed { continue }
            let wait = failed ? failureBackoff : interval
            seen = wake.wait(after: seen, timeoutNanos: wait.nanoseconds)
        }
        do { _ = try runOnce() } catch { context.logger.warning("outbox relay at shutdown: \(error)") }
    }

    /// Makes `run` return after its current round.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        context.outboxChanged()
    }
}
