/// An aborted transaction as a read_committed fetch reports it (Fetch response
/// `AbortedTransactions`): the consumer drops the records of `producerId` from `firstOffset` on
/// up to that producer's abort marker.
public struct AbortedTransaction: Sendable, Equatable, Hashable {
    public var producerId: Int64
    /// First offset of the transaction on this partition.
    public var firstOffset: Int64

    public init(producerId: Int64, firstOffset: Int64) {
        self.producerId = producerId
        self.firstOffset = firstOffset
    }
}
