import KafkaProtocol
import KafkaRecords
import Synchronization

/// The producer's shared state: per-partition batch queues, records waiting for their topic's
/// metadata, topic metadata, idempotence state (producer id, per-partition next sequence) and the
/// bookkeeping `flush` and `close` wait on.
///
/// Invariants:
/// - each partition has a FIFO of batches; only the last may be open, only the first (head) may
///   be drained, and at most one batch per partition is in flight — so records of a partition
///   are appended in send order and idempotent sequences never have gaps;
/// - a batch gets its base sequence when it is first drained (encoded) and keeps it on retries;
///   the partition's next sequence advances by the batch's record count at that moment, and is
///   rolled back only when the broker definitely rejected the batch;
/// - every accepted record is counted in `outstanding[flushEpoch]` until its callback has run.
///
/// Thread-safety: all state sits behind one `Mutex`; no method does I/O or calls user code while
/// holding it (callbacks are returned as ``ProducerDeliveryReport`` values for the caller to run).
final class ProducerAccumulator: Sendable {
    /// Fixed settings derived from the configs.
    struct Settings: Sendable {
        /// `ProducerConfig.lingerMs` in nanoseconds.
        let lingerNanos: UInt64
        /// `ProducerConfig.batchSize`.
        let batchSize: Int
        /// `ProducerConfig.maxRequestSize`.
        let maxRequestSize: Int
        /// `ProducerConfig.deliveryTimeoutMs`.
        let deliveryTimeoutMs: Int
        /// Retry budget and backoff from `ClientConfig`.
        let retry: ProducerRetryPolicy
        /// `ProducerConfig.isIdempotent` (turned off later if the broker lacks InitProducerId).
        let idempotent: Bool

        /// `deliveryTimeoutMs` in nanoseconds.
        var deliveryTimeoutNanos: UInt64 { ProducerRetryPolicy.nanos(milliseconds: deliveryTimeoutMs) }
    }

    /// A batch taken for sending: what the sender needs, copied out of the lock.
    struct DrainedBatch: Sendable {
        /// The batch's id (see ``ProducerBatch/id``).
        let id: UInt64
        /// Its partition.
        let partition: ProducerPartition
        /// The encoded RecordBatch, identical on every retry.
        let bytes: [UInt8]
    }

    /// The batches to send to one broker in one Produce request (at most one per partition).
    struct NodeRequest: Sendable {
        /// The leader broker's node id.
        let node: Int32
        /// One batch per partition.
        var batches: [DrainedBatch]
        /// Sum of the batches' sizes in bytes.
        var size: Int
    }

    /// What `add` did with a record.
    enum AddResult: Sendable {
        /// Queued; wake the sender when `wakeSender` (new batch, full batch, urgent, metadata needed).
        case queued(wakeSender: Bool)
        /// Not queued; report this failure to the caller.
        case rejected(KafkaClientError)
    }

    private struct Queue {
        var batches = BatchQueue<ProducerBatch>()
        var inFlight = false
        var nextSequence: Int32 = 0
    }

    private struct WaitingRecord {
        let record: ProducerRecord
        let pending: ProducerPendingRecord
        let urgent: Bool
    }

    private struct RetryStatus {
        var attempts = 0
        var retryAtNanos: UInt64 = 0
        var lastError: KafkaClientError?
    }

    private struct State {
        var topics: [String: KafkaCluster.TopicInfo] = [:]
        var refreshedAtNanos: [String: UInt64] = [:]
        var queues: [ProducerPartition: Queue] = [:]
        var waiting: [String: [WaitingRecord]] = [:]
        var metadataStatus: [String: RetryStatus] = [:]
        var stale: Set<String> = []
        var sticky: [String: Int32] = [:]
        var idempotent: Bool
        var producerId: Int64 = -1
        var producerEpoch: Int16 = -1
        var producerIdStale = false
        var producerIdStatus = RetryStatus()
        var nextBatchId: UInt64 = 1
        var flushEpoch: UInt64 = 0
        var outstanding: [UInt64: Int] = [:]
        var flushesInProgress = 0
        var closing = false
        var stopped = false
        var random = SystemRandomNumberGenerator()
    }

    /// How old a topic's metadata may get before it is fetched again (Java's
    /// `metadata.max.age.ms` default), so that added partitions and moved leaders are seen
    /// even without errors.
    static let metadataMaxAgeNanos: UInt64 = 300 * 1_000_000_000

    /// The fixed settings.
    let settings: Settings
    private let state: Mutex<State>

    /// An empty accumulator.
    init(settings: Settings) {
        self.settings = settings
        state = Mutex(State(idempotent: settings.idempotent))
    }

    // MARK: accepting records (any thread)

    /// Records accepted whose callbacks have not run yet.
    var outstandingCount: Int { state.withLock { $0.outstanding.values.reduce(0, +) } }

    /// Queues `record` (timestamp resolved) into its partition's open batch, or — when the topic's
    /// metadata is not known yet — into the topic's waiting list for the sender to place later.
    func add(_ record: ProducerRecord, timestamp: Int64, callback: @escaping ProducerCallback, urgent: Bool, now: UInt64) -> AddResult {
        state.withLock { state -> AddResult in
            guard !state.closing else { return .rejected(.closed) }
            let epoch = state.flushEpoch
            let pending = ProducerPendingRecord(callback: callback, timestamp: timestamp, flushEpoch: epoch,
                                                deadlineNanos: now &+ settings.deliveryTimeoutNanos)
            guard let info = state.topics[record.topic] else {
                state.outstanding[epoch, default: 0] += 1
                state.waiting[record.topic, default: []].append(WaitingRecord(record: record, pending: pending, urgent: urgent))
                return .queued(wakeSender: true)
            }
            switch place(record, pending, urgent: urgent, info: info, now: now, &state) {
            case .success(let wake):
                state.outstanding[epoch, default: 0] += 1
                return .queued(wakeSender: wake)
            case .failure(let error):
                return .rejected(error)
            }
        }
    }

    /// Chooses the partition and appends; returns whether the sender should be woken.
    private func place(_ record: ProducerRecord, _ pending: ProducerPendingRecord, urgent: Bool,
                       info: KafkaCluster.TopicInfo, now: UInt64, _ state: inout State) -> Result<Bool, KafkaClientError> {
        let count = info.partitionCount
        guard count > 0 else { return .failure(.unknownTopic(record.topic)) }
        let index: Int32
        let sticky = record.partition == nil && record.key == nil
        if let explicit = record.partition {
            guard explicit < count else { return .failure(.unknownPartition(topic: record.topic, partition: explicit)) }
            index = explicit
        } else if let key = record.key {
            index = Murmur2Partitioner.partition(for: key, partitionCount: count)
        } else if let current = state.sticky[record.topic], current < count {
            index = current
        } else {
            index = Int32.random(in: 0..<count, using: &state.random)
            state.sticky[record.topic] = index
        }
        let partition = ProducerPartition(topic: record.topic, partition: index)
        let input = RecordInput(key: record.key, value: record.value, headers: record.headers, timestamp: pending.timestamp)
        let estimate = ProducerBatch.estimatedSize(of: input)

        var queue = state.queues.removeValue(forKey: partition) ?? Queue()
        defer { state.queues[partition] = queue }
        var wake = false
        let last = queue.batches.indices.last
        if let last, !queue.batches[last].isSealed, queue.batches[last].size + estimate > settings.batchSize {
            queue.batches[last].isSealed = true
            wake = true
        }
        if queue.batches.last.map({ $0.isSealed }) ?? true {
            let batch = ProducerBatch(id: state.nextBatchId, partition: partition, createdNanos: now, deadlineNanos: pending.deadlineNanos)
            state.nextBatchId += 1
            queue.batches.append(batch)
            wake = true
        }
        let open = queue.batches.count - 1
        queue.batches[open].append(input, pending)
        if queue.batches[open].size >= settings.batchSize {
            queue.batches[open].isSealed = true
            if sticky, state.sticky[record.topic] == index { state.sticky[record.topic] = nil }
            wake = true
        }
        if urgent {
            queue.batches[open].isUrgent = true
            wake = true
        }
        return .success(wake)
    }

    // MARK: flush and close (any thread)

    /// Starts a flush: every batch is ready at once until ``endFlush()``. Returns the epoch whose
    /// records (and every earlier one's) the flush waits for.
    func beginFlush() -> UInt64 {
        state.withLock { state in
            state.flushesInProgress += 1
            defer { state.flushEpoch += 1 }
            return state.flushEpoch
        }
    }

    /// Ends a flush started with ``beginFlush()``.
    func endFlush() {
        state.withLock { $0.flushesInProgress -= 1 }
    }

    /// Whether every record accepted in `epoch` or before has had its callback run.
    func isFlushed(through epoch: UInt64) -> Bool {
        state.withLock { state in !state.outstanding.keys.contains { $0 <= epoch } }
    }

    /// Rejects new records from now on and makes every batch ready.
    func beginClose() {
        state.withLock { $0.closing = true }
    }

    /// Whether no accepted record is still waiting for its callback.
    var isIdle: Bool { state.withLock { $0.outstanding.isEmpty } }

    /// Asks the sender to fail whatever is left with `closed` and exit.
    func stop() {
        state.withLock { state in
            state.closing = true
            state.stopped = true
        }
    }

    /// Whether ``stop()`` was called.
    var isStopped: Bool { state.withLock { $0.stopped } }

    /// Counts records whose callbacks have run (called by the sender after delivering reports).
    func markDelivered(_ reports: [ProducerDeliveryReport]) {
        guard !reports.isEmpty else { return }
        state.withLock { state in
            for report in reports {
                let left = (state.outstanding[report.flushEpoch] ?? 1) - 1
                state.outstanding[report.flushEpoch] = left > 0 ? left : nil
            }
        }
    }

    // MARK: sender side (sender thread only)

    /// Fails every batch and waiting record with `error` (used when stopping).
    func failAll(_ error: KafkaClientError) -> [ProducerDeliveryReport] {
        state.withLock { state in
            var reports: [ProducerDeliveryReport] = []
            for (_, queue) in state.queues {
                for batch in queue.batches { Self.report(batch, .failure(error), into: &reports) }
            }
            for (_, records) in state.waiting {
                for waiting in records { reports.append(ProducerDeliveryReport(callback: waiting.pending.callback, result: .failure(error), flushEpoch: waiting.pending.flushEpoch)) }
            }
            state.queues.removeAll()
            state.waiting.removeAll()
            return reports
        }
    }

    /// Fails batches and waiting records whose delivery deadline has passed, with the last
    /// error seen for them (or a timeout when there was none).
    func expire(now: UInt64) -> [ProducerDeliveryReport] {
        state.withLock { state in
            var reports: [ProducerDeliveryReport] = []
            for key in Array(state.queues.keys) {
                guard var queue = state.queues.removeValue(forKey: key) else { continue }
                while !queue.inFlight, let head = queue.batches.first, head.deadlineNanos <= now {
                    let error = head.lastError ?? .timedOut(operation: "delivering \(head.count) record(s) to \(key)", milliseconds: settings.deliveryTimeoutMs)
                    failHead(&queue, error, &state, into: &reports)
                }
                state.queues[key] = queue
            }
            for topic in Array(state.waiting.keys) {
                guard let records = state.waiting[topic] else { continue }
                let expired = records.filter { $0.pending.deadlineNanos <= now }
                guard !expired.isEmpty else { continue }
                let error = state.metadataStatus[topic]?.lastError
                    ?? .timedOut(operation: "fetching metadata for topic \(topic)", milliseconds: settings.deliveryTimeoutMs)
                for waiting in expired {
                    reports.append(ProducerDeliveryReport(callback: waiting.pending.callback, result: .failure(error), flushEpoch: waiting.pending.flushEpoch))
                }
                let kept = records.filter { $0.pending.deadlineNanos > now }
                state.waiting[topic] = kept.isEmpty ? nil : kept
            }
            return reports
        }
    }

    /// Topics whose metadata the sender should fetch now: those with waiting records, those
    /// marked stale by errors and those not refreshed for ``metadataMaxAgeNanos``, unless still
    /// backing off.
    func topicsNeedingMetadata(now: UInt64) -> [String] {
        state.withLock { state in
            let old = state.refreshedAtNanos.filter { now &- $0.value >= Self.metadataMaxAgeNanos }.keys
            return Set(state.waiting.keys).union(state.stale).union(old)
                .filter { (state.metadataStatus[$0]?.retryAtNanos ?? 0) <= now }
                .sorted()
        }
    }

    /// Applies a metadata answer per topic: known topics get their waiting records placed,
    /// unknown ones fail them with `unknownTopic`, errors back off (and fail the waiting records
    /// when not retriable or out of retries).
    func applyMetadata(_ results: [String: Result<KafkaCluster.TopicInfo?, KafkaClientError>], now: UInt64) -> [ProducerDeliveryReport] {
        state.withLock { state in
            var reports: [ProducerDeliveryReport] = []
            for (topic, result) in results {
                let waiting = state.waiting.removeValue(forKey: topic) ?? []
                func failWaiting(_ error: KafkaClientError) {
                    for record in waiting {
                        reports.append(ProducerDeliveryReport(callback: record.pending.callback, result: .failure(error), flushEpoch: record.pending.flushEpoch))
                    }
                }
                switch result {
                case .success(let info?):
                    state.topics[topic] = info
                    state.refreshedAtNanos[topic] = now
                    state.stale.remove(topic)
                    // A partition without a leader: look again after a backoff, not in a tight loop.
                    state.metadataStatus[topic] = info.leaders.contains(where: { $0 < 0 })
                        ? RetryStatus(attempts: 0, retryAtNanos: now &+ settings.retry.backoffNanos(attempt: 1), lastError: .broker(.leaderNotAvailable, context: "topic \(topic)"))
                        : nil
                    for record in waiting {
                        if case .failure(let error) = place(record.record, record.pending, urgent: record.urgent, info: info, now: now, &state) {
                            reports.append(ProducerDeliveryReport(callback: record.pending.callback, result: .failure(error), flushEpoch: record.pending.flushEpoch))
                        }
                    }
                case .success(nil):
                    state.stale.remove(topic)
                    if state.refreshedAtNanos[topic] != nil { state.refreshedAtNanos[topic] = now }
                    failWaiting(.unknownTopic(topic))
                    if state.topics[topic] != nil {
                        // Known but gone from the cluster: produce errors will tell; do not spin.
                        state.metadataStatus[topic] = RetryStatus(attempts: 0, retryAtNanos: now &+ settings.retry.backoffNanos(attempt: 1), lastError: .unknownTopic(topic))
                    }
                case .failure(let error):
                    if state.refreshedAtNanos[topic] != nil { state.refreshedAtNanos[topic] = now }
                    var status = state.metadataStatus[topic] ?? RetryStatus()
                    status.attempts += 1
                    status.lastError = error
                    status.retryAtNanos = now &+ settings.retry.backoffNanos(attempt: status.attempts)
                    if !waiting.isEmpty && (!ProducerRetryPolicy.isRetriable(error) || !settings.retry.allowsRetry(after: status.attempts)) {
                        failWaiting(error)
                        state.metadataStatus[topic] = state.topics[topic] == nil ? nil : status
                    } else {
                        if !waiting.isEmpty { state.waiting[topic] = waiting }
                        state.metadataStatus[topic] = status
                    }
                }
            }
            return reports
        }
    }

    /// Whether the sender must (re)fetch a producer id before anything can be drained.
    func producerIdNeeded(now: UInt64) -> Bool {
        state.withLock { state in
            state.idempotent && (state.producerId < 0 || state.producerIdStale)
                && state.producerIdStatus.retryAtNanos <= now
                && state.queues.values.contains { !$0.batches.isEmpty }
        }
    }

    /// Applies an InitProducerId answer. A new id restarts every partition's sequence at 0 and
    /// drops the encodings of batches waiting for a retry. A broker without InitProducerId
    /// (`unsupported`) turns idempotence off; other failures back off, and fail every queued
    /// batch when not retriable or out of retries.
    func applyProducerId(_ result: Result<(id: Int64, epoch: Int16), KafkaClientError>, now: UInt64) -> [ProducerDeliveryReport] {
        state.withLock { state in
            var reports: [ProducerDeliveryReport] = []
            switch result {
            case .success(let identity):
                state.producerId = identity.id
                state.producerEpoch = identity.epoch
                state.producerIdStale = false
                state.producerIdStatus = RetryStatus()
                resetSequences(&state)
            case .failure(.unsupported):
                state.idempotent = false
                state.producerIdStale = false
                resetSequences(&state)
            case .failure(let error):
                state.producerIdStatus.attempts += 1
                state.producerIdStatus.lastError = error
                state.producerIdStatus.retryAtNanos = now &+ settings.retry.backoffNanos(attempt: state.producerIdStatus.attempts)
                if !ProducerRetryPolicy.isRetriable(error) || !settings.retry.allowsRetry(after: state.producerIdStatus.attempts) {
                    for (key, queue) in state.queues where !queue.inFlight {
                        for batch in queue.batches { Self.report(batch, .failure(error), into: &reports) }
                        state.queues[key]?.batches.removeAll()
                    }
                    state.producerIdStatus.attempts = 0
                }
            }
            return reports
        }
    }

    private func resetSequences(_ state: inout State) {
        for key in Array(state.queues.keys) {
            guard var queue = state.queues.removeValue(forKey: key) else { continue }
            queue.nextSequence = 0
            if !queue.inFlight, !queue.batches.isEmpty { queue.batches[0].resetEncoding() }
            state.queues[key] = queue
        }
    }

    /// Takes the ready head batch of every partition that has none in flight, groups them by
    /// leader and returns one request per broker (at most one batch per partition, at most
    /// `maxRequestSize` bytes unless a single batch is larger). Batches are encoded (and get
    /// their base sequence) here the first time. Partitions without a known leader mark their
    /// topic stale instead.
    func drain(now: UInt64) -> [NodeRequest] {
        state.withLock { state in
            guard !state.stopped else { return [] }
            if state.idempotent && (state.producerId < 0 || state.producerIdStale) { return [] }
            let flushing = state.flushesInProgress > 0 || state.closing
            var requests: [Int32: NodeRequest] = [:]
            for key in Array(state.queues.keys) {
                guard var queue = state.queues.removeValue(forKey: key) else { continue }
                defer { state.queues[key] = queue }
                guard !queue.inFlight, let head = queue.batches.first, head.retryAtNanos <= now else { continue }
                let ready = head.isSealed || head.isUrgent || flushing || queue.batches.count > 1
                    || now >= head.createdNanos &+ settings.lingerNanos
                guard ready else { continue }
                guard let info = state.topics[key.topic], key.partition < info.partitionCount,
                      case let node = info.leaders[Int(key.partition)], node >= 0 else {
                    state.stale.insert(key.topic)
                    continue
                }
                var request = requests[node] ?? NodeRequest(node: node, batches: [], size: 0)
                guard request.batches.isEmpty || request.size + head.size <= settings.maxRequestSize else { continue }
                if queue.batches[0].encoded == nil {
                    if state.idempotent {
                        let sequence = queue.nextSequence
                        queue.batches[0].encode(producerId: state.producerId, producerEpoch: state.producerEpoch, baseSequence: sequence)
                        queue.nextSequence = Self.sequence(sequence, advancedBy: head.count)
                    } else {
                        queue.batches[0].encode(producerId: -1, producerEpoch: -1, baseSequence: -1)
                    }
                }
                guard let bytes = queue.batches[0].encoded else { continue }
                queue.inFlight = true
                if state.sticky[key.topic] == key.partition { state.sticky[key.topic] = nil }
                request.batches.append(DrainedBatch(id: head.id, partition: key, bytes: bytes))
                request.size += bytes.count
                requests[node] = request
            }
            return requests.values.sorted { $0.node < $1.node }
        }
    }

    /// Applies the outcome of sending batches: delivered batches report offsets; retriable
    /// failures back off (or fail once out of retries or past the deadline); other failures
    /// fail the batch — and for a broken sequence every later batch of the partition too.
    func complete(_ outcomes: [(batch: DrainedBatch, outcome: ProducerBatchOutcome)], now: UInt64) -> [ProducerDeliveryReport] {
        state.withLock { state in
            var reports: [ProducerDeliveryReport] = []
            for (drained, outcome) in outcomes {
                let key = drained.partition
                guard var queue = state.queues.removeValue(forKey: key) else { continue }
                defer { state.queues[key] = queue }
                guard queue.inFlight, let head = queue.batches.first, head.id == drained.id else { continue }
                queue.inFlight = false
                switch outcome {
                case .delivered(let baseOffset, let logAppendTimeMs):
                    let batch = queue.batches.removeFirst()
                    for (index, record) in batch.records.enumerated() {
                        let metadata = RecordMetadata(topic: key.topic, partition: key.partition,
                                                      offset: baseOffset >= 0 ? baseOffset + Int64(index) : -1,
                                                      timestamp: logAppendTimeMs >= 0 ? logAppendTimeMs : record.timestamp)
                        reports.append(ProducerDeliveryReport(callback: record.callback, result: .success(metadata), flushEpoch: record.flushEpoch))
                    }
                case .retriable(let error, let mayHaveBeenAppended, let refreshMetadata):
                    if refreshMetadata { state.stale.insert(key.topic) }
                    retryOrFailHead(&queue, error, mayHaveBeenAppended: mayHaveBeenAppended, now: now, &state, into: &reports)
                case .failed(let error):
                    failHead(&queue, error, &state, into: &reports)
                case .sequenceBroken(let error):
                    let detail = KafkaClientError.broker(Self.code(of: error) ?? .outOfOrderSequenceNumber,
                                                         context: "produce to \(key): an earlier batch of the partition failed with a sequence error, so this one was failed to keep order")
                    failHead(&queue, error, &state, into: &reports)
                    for batch in queue.batches { Self.report(batch, .failure(detail), into: &reports) }
                    queue.batches.removeAll()
                    state.producerIdStale = true
                case .producerIdUnknown(let error):
                    state.producerIdStale = true
                    retryOrFailHead(&queue, error, mayHaveBeenAppended: false, now: now, &state, into: &reports)
                }
            }
            return reports
        }
    }

    /// The monotonic time the sender should wake up by if nothing happens: the earliest linger
    /// expiry, retry time, metadata or producer-id retry, or delivery deadline (at most 1 s ahead).
    func nextWakeup(now: UInt64) -> UInt64 {
        state.withLock { state in
            var next = now &+ 1_000_000_000
            let flushing = state.flushesInProgress > 0 || state.closing
            let needsProducerId = state.idempotent && (state.producerId < 0 || state.producerIdStale)
            for (key, queue) in state.queues where !queue.inFlight {
                guard let head = queue.batches.first else { continue }
                next = min(next, head.deadlineNanos)
                var readyAt = head.isSealed || head.isUrgent || flushing || queue.batches.count > 1
                    ? head.retryAtNanos : max(head.retryAtNanos, head.createdNanos &+ settings.lingerNanos)
                if state.stale.contains(key.topic) || state.topics[key.topic] == nil {
                    readyAt = max(readyAt, state.metadataStatus[key.topic]?.retryAtNanos ?? 0)
                }
                if needsProducerId { readyAt = max(readyAt, state.producerIdStatus.retryAtNanos) }
                next = min(next, readyAt)
            }
            for (topic, records) in state.waiting {
                next = min(next, state.metadataStatus[topic]?.retryAtNanos ?? now)
                if let first = records.first { next = min(next, first.pending.deadlineNanos) }
            }
            for topic in state.stale { next = min(next, state.metadataStatus[topic]?.retryAtNanos ?? now) }
            return next
        }
    }

    // MARK: helpers (lock held)

    private func retryOrFailHead(_ queue: inout Queue, _ error: KafkaClientError, mayHaveBeenAppended: Bool, now: UInt64,
                                 _ state: inout State, into reports: inout [ProducerDeliveryReport]) {
        queue.batches[0].attempts += 1
        queue.batches[0].lastError = error
        if mayHaveBeenAppended { queue.batches[0].mayHaveBeenAppended = true }
        let head = queue.batches[0]
        if settings.retry.allowsRetry(after: head.attempts) && now < head.deadlineNanos {
            queue.batches[0].retryAtNanos = now &+ settings.retry.backoffNanos(attempt: head.attempts)
        } else {
            failHead(&queue, error, &state, into: &reports)
        }
    }

    /// Removes and fails the head batch. An idempotent batch the broker definitely rejected
    /// gives its sequence numbers back; one it may hold forces a new producer id.
    private func failHead(_ queue: inout Queue, _ error: KafkaClientError, _ state: inout State, into reports: inout [ProducerDeliveryReport]) {
        let head = queue.batches.removeFirst()
        Self.report(head, .failure(error), into: &reports)
        if state.idempotent, head.baseSequence >= 0 {
            if head.mayHaveBeenAppended {
                state.producerIdStale = true
            } else {
                queue.nextSequence = head.baseSequence
            }
        }
    }

    private static func report(_ batch: ProducerBatch, _ result: Result<RecordMetadata, KafkaClientError>, into reports: inout [ProducerDeliveryReport]) {
        for record in batch.records {
            reports.append(ProducerDeliveryReport(callback: record.callback, result: result, flushEpoch: record.flushEpoch))
        }
    }

    private static func code(of error: KafkaClientError) -> ErrorCode? {
        if case .broker(let code, _) = error { return code }
        return nil
    }

    /// `sequence + count`, wrapping past `Int32.max` to 0 as Kafka does.
    static func sequence(_ sequence: Int32, advancedBy count: Int) -> Int32 {
        let sum = Int64(sequence) + Int64(count)
        return Int32(truncatingIfNeeded: sum > Int64(Int32.max) ? sum - Int64(Int32.max) - 1 : sum)
    }
}
