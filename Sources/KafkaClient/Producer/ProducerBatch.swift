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
/// times — until acknowledged or failed (``resolution``), then reported once every earlier
/// batch of its partition has been.
///
/// Invariants: once encoded (sealed, with its producer id, epoch and base sequence fixed), the
/// batch's wire bytes — built by the sender from ``wire`` outside the accumulator's lock, and
/// identical on every build — stay the same on every retry, so an idempotent broker recognises
/// a retried batch as a duplicate; they are re-encoded only when the producer gets a new
/// producer id, or — for a batch the broker definitely did not append — when an earlier batch
/// of the partition failed and gave its sequence numbers back. `deadlineNanos` is the earliest
/// delivery deadline of its records. A value type, only ever touched under the accumulator's lock.
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
    /// Whether the batch's header fields are fixed (the first time it is drained).
    private(set) var isEncoded = false
    /// The idempotent base sequence of the encoding (−1 when not idempotent or not encoded).
    private(set) var baseSequence: Int32 = -1
    /// The producer id and epoch of the encoding (−1 when not idempotent or not encoded).
    private(set) var encodedProducerId: Int64 = -1
    private(set) var encodedProducerEpoch: Int16 = -1
    /// Part of a Produce request that has not been answered yet.
    var inFlight = false
    /// The final outcome (offsets, or the failure), once known; the batch is reported and
    /// removed when it reaches the head of its partition's queue.
    var resolution: Resolution?

    /// A batch's final outcome: where the broker stored it (base offset, −1 when unknown; its
    /// LogAppendTime, −1 for CreateTime topics), or why it failed.
    typealias Resolution = Result<(baseOffset: Int64, logAppendTimeMs: Int64), KafkaClientError>
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
    var size: Int { builder.estimatedSize }

    /// What the sender frames the batch from, once encoded: header fields and the encoded
    /// records, sharing the records buffer (taking it copies nothing; the header is built
    /// outside the accumulator's lock).
    var wire: ProducerWireBatch {
        ProducerWireBatch(producerId: builder.producerId, producerEpoch: builder.producerEpoch, baseSequence: builder.baseSequence,
                          isTransactional: builder.isTransactional, recordCount: records.count, baseTimestamp: baseTimestamp, maxTimestamp: maxTimestamp,
                          records: builder.encodedRecords)
    }

    /// CreateTime of the first record and the largest one (as `RecordBatchBuilder` keeps them).
    private var baseTimestamp: Int64 = -1
    private var maxTimestamp: Int64 = -1

    /// Appends a record (the batch must not be sealed).
    mutating func append(_ input: RecordInput, _ pending: ProducerPendingRecord) {
        if records.isEmpty {
            baseTimestamp = input.timestamp
            maxTimestamp = input.timestamp
        } else {
            maxTimestamp = max(maxTimestamp, input.timestamp)
        }
        builder.append(input)
        records.append(pending)
        deadlineNanos = min(deadlineNanos, pending.deadlineNanos)
    }

    /// Seals the batch and fixes its header with these idempotence fields (−1s when not
    /// idempotent) and the transactional attribute.
    mutating func encode(producerId: Int64, producerEpoch: Int16, baseSequence: Int32, transactional: Bool = false) {
        isSealed = true
        builder.isTransactional = transactional
        builder.producerId = producerId
        builder.producerEpoch = producerEpoch
        builder.baseSequence = baseSequence
        self.baseSequence = baseSequence
        encodedProducerId = producerId
        encodedProducerEpoch = producerEpoch
        isEncoded = true
    }

    /// Forgets the encoding so the next drain encodes the batch again (new numbers).
    mutating func resetEncoding() {
        isEncoded = false
        baseSequence = -1
        encodedProducerId = -1
        encodedProducerEpoch = -1
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

/// An encoded batch as the sender puts it on the wire: the 61-byte RecordBatch v2 header —
/// built here, identical to what `RecordBatchBuilder.build()` produces for the same batch — and
/// the encoded records area, written after it without being copied into one array. A value
/// type; `Sendable`.
struct ProducerWireBatch: Sendable {
    let producerId: Int64
    let producerEpoch: Int16
    let baseSequence: Int32
    /// Whether the batch belongs to a transaction (attribute bit 4).
    var isTransactional = false
    let recordCount: Int
    let baseTimestamp: Int64
    let maxTimestamp: Int64
    /// The records area (shared with the batch's builder).
    let records: [UInt8]

    /// Total size of the batch on the wire.
    var size: Int { RecordBatchHeader.size + records.count }

    /// The batch header (uncompressed, transactional when ``isTransactional``, base offset 0,
    /// partition leader epoch −1), with `batchLength` and the CRC-32C over header and records.
    func header() -> [UInt8] {
        var writer = ByteWriter(capacity: RecordBatchHeader.size)
        writer.writeInt64(0)
        writer.writeInt32(Int32(truncatingIfNeeded: size - RecordBatchHeader.logOverhead))
        writer.writeInt32(-1)
        writer.writeInt8(RecordBatchHeader.currentMagic)
        writer.writeUInt32(0)  // CRC, patched below
        writer.writeInt16(isTransactional ? 0x10 : 0)
        writer.writeInt32(recordCount > 0 ? Int32(truncatingIfNeeded: recordCount - 1) : 0)
        writer.writeInt64(baseTimestamp)
        writer.writeInt64(maxTimestamp)
        writer.writeInt64(producerId)
        writer.writeInt16(producerEpoch)
        writer.writeInt32(baseSequence)
        writer.writeInt32(Int32(truncatingIfNeeded: recordCount))
        let covered = writer.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[RecordBatchHeader.crcCoverageStart...])) }
        let crc = records.withUnsafeBytes { CRC32C.update(covered, $0) }
        writer.patchUInt32(crc, at: 17)
        return writer.bytes
    }
}
