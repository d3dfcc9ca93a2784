/// A transactional id as `KafkaAdmin.listTransactions` reports it. A value type.
public struct TransactionListing: Sendable, Equatable {
    /// The transactional id.
    public var transactionalId: String
    /// Its current producer id.
    public var producerId: Int64
    /// Coordinator state name (Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit,
    /// CompleteAbort, Dead, PrepareEpochFence).
    public var state: String
    /// The coordinator (broker) that reported it.
    public var coordinatorId: Int32

    /// A listing entry.
    public init(transactionalId: String, producerId: Int64, state: String, coordinatorId: Int32) {
        self.transactionalId = transactionalId
        self.producerId = producerId
        self.state = state
        self.coordinatorId = coordinatorId
    }
}

/// A transaction as `KafkaAdmin.describeTransactions` reports it. A value type.
public struct TransactionDescription: Sendable, Equatable {
    /// The transactional id.
    public var transactionalId: String
    /// The coordinator (broker) responsible for it.
    public var coordinatorId: Int32
    /// Coordinator state name (see ``TransactionListing/state``).
    public var state: String
    /// Its current producer id.
    public var producerId: Int64
    /// Its current producer epoch (bumped by every `initTransactions()`, which fences the
    /// previous producer).
    public var producerEpoch: Int16
    /// The transaction timeout in milliseconds.
    public var transactionTimeoutMs: Int32
    /// When the open transaction started (ms since the epoch), nil when none is open.
    public var transactionStartTimeMs: Int64?
    /// The partitions of the open transaction, sorted.
    public var partitions: [TopicPartition]

    /// A description.
    public init(transactionalId: String, coordinatorId: Int32, state: String, producerId: Int64, producerEpoch: Int16,
                transactionTimeoutMs: Int32, transactionStartTimeMs: Int64?, partitions: [TopicPartition]) {
        self.transactionalId = transactionalId
        self.coordinatorId = coordinatorId
        self.state = state
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.transactionTimeoutMs = transactionTimeoutMs
        self.transactionStartTimeMs = transactionStartTimeMs
        self.partitions = partitions.sorted()
    }
}

/// A producer active on a partition, as `KafkaAdmin.describeProducers` reports it (the
/// partition leader's producer state). A value type.
public struct ProducerStateDescription: Sendable, Equatable {
    /// The producer id.
    public var producerId: Int64
    /// Its epoch.
    public var producerEpoch: Int32
    /// The last sequence number it wrote (−1 when unknown).
    public var lastSequence: Int32
    /// The timestamp of its last write (ms since the epoch, −1 when unknown).
    public var lastTimestamp: Int64
    /// The coordinator epoch of its last transaction marker (−1 when none).
    public var coordinatorEpoch: Int32
    /// The first offset of its open transaction on the partition, nil when none is open.
    public var currentTransactionStartOffset: Int64?

    /// A producer entry.
    public init(producerId: Int64, producerEpoch: Int32, lastSequence: Int32, lastTimestamp: Int64, coordinatorEpoch: Int32,
                currentTransactionStartOffset: Int64?) {
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.lastSequence = lastSequence
        self.lastTimestamp = lastTimestamp
        self.coordinatorEpoch = coordinatorEpoch
        self.currentTransactionStartOffset = currentTransactionStartOffset
    }
}
