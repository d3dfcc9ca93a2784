import KafkaRecords

/// A topic-partition the producer writes to. A plain value.
struct ProducerPartition: Hashable, Sendable, CustomStringConvertible {
    /// Topic name.
    let topic: String
    /// Partition index (≥ 0).
    let partition: Int32

    /// `topic-partition`, as Kafka tools print it.
    var description: String { "\(topic)-\(partition)" }
}

/// The user's delivery callback.
typealias ProducerCallback = @Sendable (Result<RecordMetadata, KafkaClientError>) -> Void

/// A delivery report waiting to be handed to its callback. Reports are produced under the
/// accumulator's lock and delivered by the sender thread after the lock is released.
struct ProducerDeliveryReport: Sendable {
    /// The callback given to `send`.
    let callback: ProducerCallback
    /// What to tell it.
    let result: Result<RecordMetadata, KafkaClientError>
    /// The flush epoch the record was accepted in (see ``ProducerAccumulator``).
    let flushEpoch: UInt64
}

/// What a batch remembers about each of its records besides the encoded bytes.
struct ProducerPendingRecord: Sendable {
    /// The callback given to `send`.
    let callback: ProducerCallback
    /// The record's CreateTime (reported back unless the topic uses LogAppendTime).
    let timestamp: Int64
    /// The flush epoch the record was accepted in.
    let flushEpoch: UInt64
    /// Monotonic time by which the record must be acknowledged (`send` + `deliveryTimeoutMs`).
    let deadlineNanos: UInt64
}

/// One partition's batch: open (accepting records) until sealed, then sent — possibly several
/// times — until acknowledged or failed.
///
/// Invariants: once encoded, the bytes (and so the producer id, epoch and base sequence) stay
/// the same on every retry, so an idempotent broker recognises a retried batch as a duplicate;
/// they are dropped only when the producer gets a new producer id (``resetEncoding()``).
/// `deadlineNanos` is the earliest delivery deadline of its records. A value type, only ever
/// touched under the accumulator's lock.
struct ProducerBatch: Sendable {
    /// Unique within the producer; matches a sent batch to its queue head on completion.
    let id: UInt64
    /// Where the batch goes.
    let partition: ProducerPartition
    /// Monotonic time the first record was appended (the linger clock starts here).
    let createdNanos: UInt64
    private(set) var deadlineNanos: UInt64
    private(set) var builder = RecordBatchBuilder()
    private(set) var records: [ProducerPendingRecord] = []
    /// No more records may be appended (full, superseded by a newer batch, or drained).
    var isSealed = false
    /// Send without waiting for the linger time (a blocking `send` is waiting on it).
    var isUrgent = false
    /// The wire bytes, fixed the first time the batch is drained.
    private(set) var encoded: [UInt8]?
    /// The idempotent base sequence carried by `encoded` (−1 when not idempotent or not encoded).
    private(set) var baseSequence: Int32 = -1
    /// Failed attempts so far (produce, or the steps a produce needs).
    var attempts = 0
    /// Not to be drained before this monotonic time (retry backoff).
    var retryAtNanos: UInt64 = 0
    /// The most recent retriable failure, reported if the batch finally fails.
    var lastError: KafkaClientError?
    /// Whether an attempt ended without a definite answer (connection lost after the write,
    /// timeout), so the broker may hold the batch even though we saw no acknowledgement.
    var mayHaveBeenAppended = false

    /// An empty open batch.
    init(id: UInt64, partition: ProducerPartition, createdNanos: UInt64, deadlineNanos: UInt64) {
        self.id = id
        self.partition = partition
        self.createdNanos = createdNanos
        self.deadlineNanos = deadlineNanos
    }

    /// Number of records.
    var count: Int { records.count }

    /// Exact size of the batch on the wire.
    var size: Int { encoded?.count ?? builder.estimatedSize }

    /// Appends a record (the batch must not be sealed).
    mutating func append(_ input: RecordInput, _ pending: ProducerPendingRecord) {
        builder.append(input)
        records.append(pending)
        deadlineNanos = min(deadlineNanos, pending.deadlineNanos)
    }

    /// Seals the batch and fixes its bytes with these idempotence fields (−1s when not idempotent).
    mutating func encode(producerId: Int64, producerEpoch: Int16, baseSequence: Int32) {
        isSealed = true
        builder.producerId = producerId
        builder.producerEpoch = producerEpoch
        builder.baseSequence = baseSequence
        self.baseSequence = baseSequence
        encoded = builder.build()
    }

    /// Forgets the encoded bytes so the next drain re-encodes them (new producer id).
    mutating func resetEncoding() {
        encoded = nil
        baseSequence = -1
        mayHaveBeenAppended = false
    }

    /// Upper bound of the bytes `input` adds to a batch (every varint at its widest).
    static func estimatedSize(of input: RecordInput) -> Int {
        var size = 5 + 1 + 10 + 5  // length, attributes, timestampDelta, offsetDelta
        size += 5 + (input.key?.count ?? 0) + 5 + (input.value?.count ?? 0) + 5
        for header in input.headers { size += 5 + header.key.utf8.count + 5 + (header.value?.count ?? 0) }
        return size
    }
}
