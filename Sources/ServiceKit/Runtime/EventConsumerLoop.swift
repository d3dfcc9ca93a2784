public import KafkaClient
internal import KafkaRecords
internal import SQLite
internal import SystemIO
internal import Synchronization

/// The consumer side of the chassis: polls the service's topics as a member of its group,
/// hands each batch to the `EventProcessor`, and commits the offsets of exactly the records
/// whose effects are committed in SQLite — never more, so a crash at any point redelivers
/// (and the inbox skips) rather than loses.
///
/// Thread-safety: `run` runs on one dedicated thread; `stop` may be called from any thread.
public final class EventConsumerLoop: Sendable {
    private let consumer: KafkaConsumer
    private let processor: EventProcessor
    private let context: ServiceContext
    private let health: ServiceHealth
    private let stopFlag = StopFlag()

    /// Creates the loop; `consumer` must have a group id and manual commits.
    public init(consumer: KafkaConsumer, processor: EventProcessor, context: ServiceContext, health: ServiceHealth) {
        self.consumer = consumer
        self.processor = processor
        self.context = context
        self.health = health
    }

    /// Whether `stop()` was called.
    public var isStopping: Bool { stopFlag.isSet }

    /// Sleeps `duration` unless `stop()` comes first; returns false when stopping.
    public func sleep(_ duration: Duration) -> Bool { stopFlag.sleep(duration) }

    /// Subscribes and processes records until `stop()`; then commits what is processed and
    /// closes the consumer (leaving the group).
    public func run(topics: [String], pollTimeoutMs: Int, batchSize: Int = 500, commitIntervalMs: Int = 200) {
        // Offsets of processed records not yet committed to the broker. Committing is batched
        // (at most every `commitIntervalMs`, and whenever the consumer is idle or stops) so the
        // loop does not wait for a broker round trip after every transaction; records processed
        // but not yet committed when the process dies are redelivered and skipped by the inbox.
        var pending: [TopicPartition: Int64] = [:]
        var lastCommit = SystemTimeSource().monotonicNanos()
        func flushCommits(force: Bool) {
            guard !pending.isEmpty else { return }
            let now = SystemTimeSource().monotonicNanos()
            guard force || now &- lastCommit >= UInt64(max(0, commitIntervalMs)) * 1_000_000 else { return }
            commit(pending)
            pending.removeAll()
            lastCommit = now
        }
        defer {
            flushCommits(force: true)
            consumer.close()
        }
        do {
            try consumer.subscribe(topics)
        } catch {
            context.logger.error("cannot subscribe to \(topics): \(error)")
            return
        }
        var backoff = Duration.milliseconds(100)
        while !isStopping {
            let polled: [ConsumerRecord]
            do {
                polled = try consumer.poll(timeoutMs: pollTimeoutMs)
            } catch {
                if isStopping { break }
                context.logger.warning("poll failed: \(error)")
                _ = sleep(backoff)
                backoff = min(backoff * 2, .seconds(5))
                continue
            }
            backoff = .milliseconds(100)
            guard !polled.isEmpty else {
                flushCommits(force: true)
                continue
            }
            var consumedByTopic: [String: Int] = [:]
            for record in polled { consumedByTopic[record.topic, default: 0] += 1 }
            for (topic, count) in consumedByTopic {
                context.metrics.increment(ServiceMetricNames.consumed, labels: ["topic": topic], by: Double(count))
            }
            var remaining = polled.map(Self.incoming)
            var dbBackoff = Duration.milliseconds(100)
            while !remaining.isEmpty {
                // At most `batchSize` records per transaction, so one commit stays small.
                let result = processor.process(Array(remaining.prefix(max(1, batchSize))))
                let done = remaining.prefix(result.dispositions.count)
                if !done.isEmpty {
                    for record in done {
                        let tp = TopicPartition(topic: record.topic, partition: record.partition)
                        pending[tp] = max(pending[tp] ?? 0, record.offset + 1)
                    }
                    context.eventsCommitted.signal()
                    context.outboxChanged()
                    flushCommits(force: false)
                }
                remaining.removeFirst(done.count)
                if let error = result.databaseError {
                    health.setDatabaseProblem("\(error)")
                    context.logger.error("database failed while handling events, will retry: \(error)")
                    guard sleep(dbBackoff) else { break }
                    dbBackoff = min(dbBackoff * 2, .seconds(5))
                } else {
                    health.setDatabaseProblem(nil)
                    // Fewer processed than offered without an error: stopping mid-retry; the
                    // rest is redelivered to whoever owns the partition next.
                    if done.count < min(max(1, batchSize), done.count + remaining.count) { break }
                }
            }
        }
    }

    /// Commits `offsets` (per partition, the offset after the last processed record). A failed
    /// commit is only logged: the records are redelivered later and the inbox skips them.
    private func commit(_ offsets: [TopicPartition: Int64]) {
        do {
            try consumer.commitSync(offsets)
        } catch {
            context.logger.warning("offset commit failed (records will be redelivered and skipped): \(error)")
        }
    }

    /// Makes `run` return soon: wakes a sleeping retry and a waiting poll.
    public func stop() {
        stopFlag.set()
        consumer.wakeup()
    }

    static func incoming(_ record: ConsumerRecord) -> IncomingRecord {
        IncomingRecord(
            topic: record.topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp,
            key: record.key, value: record.value,
            headers: record.headers.map { MessageHeader(name: $0.key, value: $0.value ?? []) })
    }
}
