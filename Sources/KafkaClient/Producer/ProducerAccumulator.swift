import KafkaProtocol
import KafkaRecords
import Synchronization

/// The producer's shared state: per-partition batch queues, records waiting for their topic's
/// metadata, topic metadata, idempotence state (producer id, per-partition sequences) and the
/// bookkeeping `flush` and `close` wait on.
///
/// Invariants:
/// - each partition has a FIFO of batches in `send` order; only the last may be open. Batches
///   are sent (and get their base sequence) in queue order, up to `maxInFlight` at a time, all
///   to the same leader; a batch leaves the queue — and its records are reported — only from
///   the head, so delivery reports run exactly once per record and in `send` order per
///   partition, even when a later batch was answered first;
/// - normal mode: the batches in flight or answered form a prefix of the queue, the rest have
///   not been encoded, and `nextSequence` is the base sequence of the next batch to encode;
/// - recovery mode (entered when any attempt of the partition did not succeed, and for every
///   partition when the producer id changes): nothing is sent while a batch of the partition is
///   in flight; then the unanswered batches that were sent before are re-sent one at a time, in
///   queue order, each with base sequence `ackedSequence` (the sequence the broker expects
///   next): kept if it already has it, re-encoded if the broker definitely does not hold it
///   (an earlier batch failed and gave its numbers back), and — when it may hold it under other
///   numbers — the producer gets a new producer id instead; a batch whose later sequences
///   the broker already acknowledged (its own answer was lost) is certainly held by the broker
///   and re-sent unchanged, to be answered as a duplicate. Once the head is a batch never sent,
///   normal mode (pipelining) resumes. Requests to a broker never move to a new connection
///   while earlier ones are unaccounted for (see `ProducerSender`), so later batches cannot
///   overtake the retries of earlier ones;
/// - idempotent: under a new producer id a partition sends its first batch alone, and
///   pipelines only once the broker acknowledged one (from then on it refuses gaps);
/// - OUT_OF_ORDER_SEQUENCE_NUMBER for a batch that is not the one the broker expects next (an
///   earlier batch of the partition is unresolved or failed, or it carries an older producer
///   id) is only a consequence of that earlier failure: the batch is retried in order without
///   counting an attempt, and the error is never reported;
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
        /// `ProducerConfig.maxInFlightRequestsPerConnection`: Produce requests outstanding per
        /// broker, and so batches in flight per partition.
        let maxInFlight: Int
        /// `ProducerConfig.maxBufferedRecords`: `send` blocks at this many outstanding records...
        let maxBuffered: Int
        /// Whether the producer is transactional: its producer id comes from
        /// `initTransactions()` (never from the sender), and its batches carry the
        /// transactional attribute.
        var transactional = false

        /// ... and resumes once fewer than this are outstanding (7/8 of it), so that a blocked
        /// sender thread is not woken for every delivered batch.
        var resumeBelow: Int { max(1, maxBuffered - maxBuffered / 8) }

        /// `deliveryTimeoutMs` in nanoseconds.
        var deliveryTimeoutNanos: UInt64 { ProducerRetryPolicy.nanos(milliseconds: deliveryTimeoutMs) }
    }

    /// A batch taken for sending: what the sender needs, copied out of the lock.
    struct DrainedBatch: Sendable {
        /// The batch's id (see ``ProducerBatch/id``).
        let id: UInt64
        /// Its partition.
        let partition: ProducerPartition
        /// The RecordBatch (identical on every retry), sharing the batch's records buffer; the
        /// sender frames it outside the accumulator's lock.
        let wire: ProducerWireBatch
    }

    /// The batches to send to one broker in one Produce request (at most one per partition).
    struct NodeRequest: Sendable {
        /// The leader broker's node id.
        let node: Int32
        /// Requests to `node` drained before this one and not completed yet.
        var earlierInFlight = 0
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

    struct Queue {
        var batches = BatchQueue<ProducerBatch>()
        /// Batches of `batches` with `inFlight` set.
        var inFlight = 0
        /// The leader the in-flight batches went to (meaningful while `inFlight > 0`).
        var inFlightNode: Int32 = -1
        /// Normal mode: base sequence of the next batch to encode.
        var nextSequence: Int32 = 0
        /// The sequence the broker expects next for the current producer id, as far as we know:
        /// the end of the last batch it acknowledged.
        var ackedSequence: Int32 = 0
        /// Recovery mode (see the type's invariants).
        var recovering = false
        /// Whether the broker acknowledged a batch of this partition under the current producer
        /// id. Until then only one batch is in flight: a broker accepts any first sequence from
        /// a producer id it does not know yet, so a later batch could otherwise be stored
        /// before an earlier one that failed.
        var confirmed = false
    }

    struct WaitingRecord {
        let record: ProducerRecord
        let pending: ProducerPendingRecord
        let urgent: Bool
    }

    struct RetryStatus {
        var attempts = 0
        var retryAtNanos: UInt64 = 0
        var lastError: KafkaClientError?
    }

    struct State {
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
        /// Produce requests drained and not yet completed, per broker.
        var requestsInFlight: [Int32: Int] = [:]
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
    let state: Mutex<State>
    /// The sum of `State.outstanding`, kept alongside it.
    let outstandingTotal = Atomic<Int>(0)

    /// An empty accumulator.
    init(settings: Settings) {
        self.settings = settings
        state = Mutex(State(idempotent: settings.idempotent))
    }

    // MARK: accepting records (any thread)

    /// Records accepted whose callbacks have not run yet (read without the lock: `send` checks
    /// it for every record).
    var outstandingCount: Int { outstandingTotal.load(ordering: .relaxed) }

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
                outstandingTotal.wrappingAdd(1, ordering: .relaxed)
                state.waiting[record.topic, default: []].append(WaitingRecord(record: record, pending: pending, urgent: urgent))
                return .queued(wakeSender: true)
            }
            switch place(record, pending, urgent: urgent, info: info, now: now, &state) {
            case .success(let wake):
                state.outstanding[epoch, default: 0] += 1
                outstandingTotal.wrappingAdd(1, ordering: .relaxed)
                return .queued(wakeSender: wake)
            case .failure(let error):
                return .rejected(error)
            }
        }
    }

    /// Chooses the partition and appends; returns whether the sender should be woken.
    func place(_ record: ProducerRecord, _ pending: ProducerPendingRecord, urgent: Bool,
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

        // In place (one hash lookup, no copy of the queue).
        let appended = Self.append(input, pending, estimate: estimate, urgent: urgent, now: now, batchSize: settings.batchSize,
                                   newBatchId: state.nextBatchId, partition: partition,
                                   to: &state.queues[partition, default: Queue()])
        if appended.createdBatch { state.nextBatchId += 1 }
        if appended.filled, sticky, state.sticky[record.topic] == index { state.sticky[record.topic] = nil }
        // No wake-up while the partition cannot send anyway (pipeline full): the answer that
        // frees a slot wakes the sender.
        return .success(appended.wake && mayDrainSoon(partition, state))
    }

    /// Whether the sender could send a batch of `partition` now (or must look at it: leader
    /// unknown); false while all it can do is wait for an answer, which wakes it anyway.
    func mayDrainSoon(_ partition: ProducerPartition, _ state: State) -> Bool {
        guard let queue = state.queues[partition], let node = Self.leader(of: partition, state) else { return true }
        guard nextSendable(queue, idempotent: state.idempotent) != nil else { return false }
        return state.requestsInFlight[node, default: 0] < settings.maxInFlight && (queue.inFlight == 0 || queue.inFlightNode == node)
    }

    /// Appends a record to `queue`'s open batch (opening one, with id `newBatchId`, when there is
    /// none or the record does not fit). Returns whether the sender should be woken, whether a
    /// batch was created, and whether the open batch is now full.
    private static func append(_ input: RecordInput, _ pending: ProducerPendingRecord, estimate: Int, urgent: Bool, now: UInt64,
                               batchSize: Int, newBatchId: UInt64, partition: ProducerPartition,
                               to queue: inout Queue) -> (wake: Bool, createdBatch: Bool, filled: Bool) {
        var wake = false
        var created = false
        let last = queue.batches.indices.last
        if let last, !queue.batches[last].isSealed, queue.batches[last].size + estimate > batchSize {
            queue.batches[last].isSealed = true
            wake = true
        }
        if queue.batches.last.map({ $0.isSealed }) ?? true {
            queue.batches.append(ProducerBatch(id: newBatchId, partition: partition, createdNanos: now, deadlineNanos: pending.deadlineNanos))
            created = true
            wake = true
        }
        let open = queue.batches.count - 1
        queue.batches[open].append(input, pending)
        var filled = false
        if queue.batches[open].size >= batchSize {
            queue.batches[open].isSealed = true
            filled = true
            wake = true
        }
        if urgent {
            queue.batches[open].isUrgent = true
            wake = true
        }
        return (wake, created, filled)
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
    /// Returns whether threads waiting for progress should be woken: a flush epoch completed
    /// (`flush`, `close`), or the buffer fell below ``resumeBelow`` (a blocked `send`).
    func markDelivered(_ reports: [ProducerDeliveryReport]) -> Bool {
        guard !reports.isEmpty else { return false }
        let epochDone = state.withLock { state -> Bool in
            var done = false
            for report in reports {
                let left = (state.outstanding[report.flushEpoch] ?? 1) - 1
                state.outstanding[report.flushEpoch] = left > 0 ? left : nil
                if left <= 0 { done = true }
            }
            return done
        }
        let before = outstandingTotal.wrappingSubtract(reports.count, ordering: .relaxed).oldValue
        return epochDone || (before >= settings.resumeBelow && before - reports.count < settings.resumeBelow)
    }

    // MARK: sender side (sender thread only)

    /// Fails every batch and waiting record with `error` (used when stopping); batches already
    /// answered get their real outcome.
    func failAll(_ error: KafkaClientError) -> [ProducerDeliveryReport] {
        state.withLock { state in
            var reports: [ProducerDeliveryReport] = []
            for (_, queue) in state.queues {
                for batch in queue.batches { Self.report(batch, batch.resolution ?? .failure(error), into: &reports) }
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
    /// error seen for them (or a timeout when there was none). Batches in flight are left to
    /// their request's timeout.
    func expire(now: UInt64) -> [ProducerDeliveryReport] {
        state.withLock { state in
            var reports: [ProducerDeliveryReport] = []
            for key in Array(state.queues.keys) {
                guard var queue = state.queues.removeValue(forKey: key) else { continue }
                var index = 0
                while index < queue.batches.count, !queue.batches[index].inFlight {
                    let batch = queue.batches[index]
                    if batch.resolution == nil {
                        guard batch.deadlineNanos <= now else { break }
                        let error = batch.lastError ?? .timedOut(operation: "delivering \(batch.count) record(s) to \(key)", milliseconds: settings.deliveryTimeoutMs)
                        resolveFailure(&queue, index, error, &state)
                    }
                    index += 1
                }
                popResolved(&queue, into: &reports)
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
            !settings.transactional && state.idempotent && (state.producerId < 0 || state.producerIdStale)
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
                    for key in Array(state.queues.keys) {
                        guard var queue = state.queues.removeValue(forKey: key) else { continue }
                        for index in queue.batches.indices where !queue.batches[index].inFlight && queue.batches[index].resolution == nil {
                            queue.batches[index].resolution = .failure(error)
                        }
                        popResolved(&queue, into: &reports)
                        state.queues[key] = queue
                    }
                    state.producerIdStatus.attempts = 0
                }
            }
            return reports
        }
    }

    /// A new producer id (or idempotence turned off): every partition starts again at sequence
    /// 0, and the batches not in flight lose their encodings. Batches in flight keep theirs
    /// until they are answered; recovery mode makes sure nothing new is sent before.
    func resetSequences(_ state: inout State) {
        for key in Array(state.queues.keys) {
            guard var queue = state.queues.removeValue(forKey: key) else { continue }
            queue.nextSequence = 0
            queue.ackedSequence = 0
            queue.confirmed = false
            for index in queue.batches.indices where !queue.batches[index].inFlight && queue.batches[index].resolution == nil
                && queue.batches[index].isEncoded {
                queue.batches[index].resetEncoding()
            }
            queue.recovering = !queue.batches.isEmpty
            state.queues[key] = queue
        }
    }

    /// The index of the batch `queue` may send next, if any: in recovery mode the head, once
    /// nothing is in flight; otherwise the first batch not sent yet, while fewer than
    /// `maxInFlight` are in flight (only one until the partition is `confirmed`, when idempotent).
    func nextSendable(_ queue: Queue, idempotent: Bool) -> Int? {
        if queue.recovering {
            return queue.inFlight == 0 && !queue.batches.isEmpty ? 0 : nil
        }
        guard queue.inFlight < (idempotent && !queue.confirmed ? 1 : settings.maxInFlight) else { return nil }
        var index = 0
        while index < queue.batches.count, queue.batches[index].inFlight || queue.batches[index].resolution != nil { index += 1 }
        return index < queue.batches.count ? index : nil
    }

    /// Whether batch `index` of `queue` should go now (not waiting for more records or a retry).
    func isReady(_ queue: Queue, _ index: Int, flushing: Bool, now: UInt64) -> Bool {
        let batch = queue.batches[index]
        guard batch.retryAtNanos <= now else { return false }
        return batch.isSealed || batch.isUrgent || flushing || index + 1 < queue.batches.count
            || now >= batch.createdNanos &+ settings.lingerNanos
    }

    /// The leader of `partition` from the cached metadata, if known.
    private static func leader(of partition: ProducerPartition, _ state: State) -> Int32? {
        guard let info = state.topics[partition.topic], partition.partition < info.partitionCount,
              case let node = info.leaders[Int(partition.partition)], node >= 0 else { return nil }
        return node
    }

    /// Takes the next ready batch of every partition that may send one (see ``nextSendable``),
    /// groups them by leader and returns one request per broker that has fewer than
    /// `maxInFlight` requests in flight — at most one batch per partition,
    /// at most `maxRequestSize` bytes unless a single batch is larger. Batches are encoded (and
    /// get their base sequence) here; in recovery mode a re-sent batch may be re-encoded (see
    /// the type's invariants). Partitions without a known leader mark their topic stale instead.
    /// Called repeatedly by the sender until it returns nothing, to fill the pipeline. Every
    /// request returned counts as in flight to its broker until ``complete(_:node:now:)``.
    func drain(now: UInt64, allowed: Set<ProducerPartition>? = nil) -> [NodeRequest] {
        state.withLock { state in
            guard !state.stopped else { return [] }
            if state.idempotent && (state.producerId < 0 || state.producerIdStale) { return [] }
            let flushing = state.flushesInProgress > 0 || state.closing
            var requests: [Int32: NodeRequest] = [:]
            for key in Array(state.queues.keys) where allowed?.contains(key) ?? true {
                guard var queue = state.queues.removeValue(forKey: key) else { continue }
                defer { state.queues[key] = queue }
                if queue.recovering, queue.inFlight == 0, !queue.batches.contains(where: { $0.resolution == nil && $0.isEncoded }) {
                    // Everything sent before is resolved (or lost its numbers to a new producer
                    // id): back to pipelining.
                    queue.recovering = false
                    queue.nextSequence = queue.ackedSequence
                }
                guard let index = nextSendable(queue, idempotent: state.idempotent), isReady(queue, index, flushing: flushing, now: now) else { continue }
                guard let node = Self.leader(of: key, state) else {
                    state.stale.insert(key.topic)
                    continue
                }
                // All of a partition's batches in flight go to one leader, so they are answered in order.
                guard queue.inFlight == 0 || queue.inFlightNode == node, state.requestsInFlight[node, default: 0] < settings.maxInFlight else { continue }
                var request = requests[node] ?? NodeRequest(node: node, batches: [], size: 0)
                guard request.batches.isEmpty || request.size + queue.batches[index].size <= settings.maxRequestSize else { continue }
                guard prepare(&queue, index, &state), queue.batches[index].isEncoded else { continue }
                queue.batches[index].inFlight = true
                queue.inFlight += 1
                queue.inFlightNode = node
                if state.sticky[key.topic] == key.partition { state.sticky[key.topic] = nil }
                request.batches.append(DrainedBatch(id: queue.batches[index].id, partition: key, wire: queue.batches[index].wire))
                request.size += queue.batches[index].size
                requests[node] = request
            }
            for node in requests.keys {
                requests[node]?.earlierInFlight = state.requestsInFlight[node, default: 0]
                state.requestsInFlight[node, default: 0] += 1
            }
            return requests.values.sorted { $0.node < $1.node }
        }
    }

    /// Encodes batch `index` for sending if needed (see the type's invariants); returns false
    /// when it must not be sent now.
    func prepare(_ queue: inout Queue, _ index: Int, _ state: inout State) -> Bool {
        let producerId = state.idempotent ? state.producerId : -1
        let producerEpoch = state.idempotent ? state.producerEpoch : -1
        let batch = queue.batches[index]
        guard queue.recovering else {
            guard !batch.isEncoded else {
                // Cannot happen in normal mode; recover rather than send out of sequence.
                queue.recovering = true
                return false
            }
            let sequence = state.idempotent ? queue.nextSequence : -1
            queue.batches[index].encode(producerId: producerId, producerEpoch: producerEpoch, baseSequence: sequence,
                                        transactional: settings.transactional)
            if state.idempotent { queue.nextSequence = Self.sequence(sequence, advancedBy: batch.count) }
            return true
        }
        // Recovery: the head, alone.
        let sequence = state.idempotent ? queue.ackedSequence : -1
        if batch.isEncoded && batch.encodedProducerId == producerId && batch.encodedProducerEpoch == producerEpoch
            && batch.baseSequence == sequence {
            return true
        }
        if isBehindAcknowledged(batch, queue, state) {
            // The broker accepted later sequences, so it holds this batch: re-sent unchanged, it
            // is recognised as a duplicate and answered with its offset.
            return true
        }
        if batch.isEncoded && batch.encodedProducerId == producerId && batch.encodedProducerEpoch == producerEpoch
            && batch.mayHaveBeenAppended && state.idempotent {
            // The broker may hold it under its old numbers: only a new producer id is safe.
            state.producerIdStale = true
            return false
        }
        if batch.isEncoded { queue.batches[index].resetEncoding() }
        queue.batches[index].encode(producerId: producerId, producerEpoch: producerEpoch, baseSequence: sequence,
                                    transactional: settings.transactional)
        return true
    }

    /// The monotonic time the sender should wake up by if nothing happens: the earliest linger
    /// expiry, retry time, metadata or producer-id retry, or delivery deadline (at most 1 s
    /// ahead). Partitions whose leader has `maxInFlight` requests outstanding wait for an
    /// answer, which wakes the sender anyway.
    func nextWakeup(now: UInt64, allowed: Set<ProducerPartition>? = nil) -> UInt64 {
        state.withLock { state in
            var next = now &+ 1_000_000_000
            let flushing = state.flushesInProgress > 0 || state.closing
            let needsProducerId = state.idempotent && (state.producerId < 0 || state.producerIdStale)
            for (key, queue) in state.queues {
                if let head = queue.batches.first, !head.inFlight, head.resolution == nil { next = min(next, head.deadlineNanos) }
                if let allowed, !allowed.contains(key) { continue }
                // A transactional producer with a broken sequence sends nothing until the
                // abort gives it a new epoch.
                if needsProducerId && settings.transactional { continue }
                guard let index = nextSendable(queue, idempotent: state.idempotent) else { continue }
                let leader = Self.leader(of: key, state)
                if let leader, state.requestsInFlight[leader, default: 0] >= settings.maxInFlight || (queue.inFlight > 0 && queue.inFlightNode != leader) { continue }
                let batch = queue.batches[index]
                var readyAt = batch.isSealed || batch.isUrgent || flushing || index + 1 < queue.batches.count
                    ? batch.retryAtNanos : max(batch.retryAtNanos, batch.createdNanos &+ settings.lingerNanos)
                if leader == nil || state.stale.contains(key.topic) || state.topics[key.topic] == nil {
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

}
