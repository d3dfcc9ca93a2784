/// One producer the partition remembers (DescribeProducers, KIP-664).
public struct ActiveProducer: Sendable, Equatable {
    public var producerId: Int64
    public var producerEpoch: Int16
    /// Sequence of the last record of its last batch; -1 when it has written only markers.
    public var lastSequence: Int32
    /// Max timestamp of its last batch or marker; -1 when unknown.
    public var lastTimestamp: Int64
    /// Epoch of the coordinator that wrote its last marker; -1 when none.
    public var coordinatorEpoch: Int32
    /// First offset of its open transaction; -1 when none is open.
    public var currentTxnStartOffset: Int64

    public init(producerId: Int64, producerEpoch: Int16, lastSequence: Int32, lastTimestamp: Int64,
                coordinatorEpoch: Int32, currentTxnStartOffset: Int64) {
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.lastSequence = lastSequence
        self.lastTimestamp = lastTimestamp
        self.coordinatorEpoch = coordinatorEpoch
        self.currentTxnStartOffset = currentTxnStartOffset
    }
}
