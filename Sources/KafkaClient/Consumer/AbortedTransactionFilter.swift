import KafkaRecords

/// Drops the records of aborted transactions for a read_committed consumer, walking one
/// partition's fetched batches in offset order (Kafka's `CompletedFetch` algorithm).
///
/// The Fetch response lists the aborted transactions overlapping the fetched range as
/// (producer id, first offset). Before each batch of a producer, every listed transaction that
/// starts at or before the batch's last offset marks its producer as aborted; a transactional
/// data batch of an aborted producer is skipped; the producer's ABORT control batch (marker)
/// ends its aborted transaction. Control batches themselves are never records. A value type;
/// one per partition and fetch.
struct AbortedTransactionFilter: Sendable {
    /// Control record key type of an abort marker (a commit marker is 1).
    static let abortMarkerType: Int16 = 0

    /// Listed aborted transactions not reached yet, by first offset (descending, so the next
    /// one is at the end).
    private var pending: [(producerId: Int64, firstOffset: Int64)]
    /// Producers whose current transaction is aborted.
    private var aborted: Set<Int64> = []

    /// A filter for a response's `abortedTransactions` (in any order).
    init(_ abortedTransactions: [(producerId: Int64, firstOffset: Int64)]) {
        pending = abortedTransactions.sorted { $0.firstOffset > $1.firstOffset }
    }

    /// Whether the batch with `header` is to be skipped. `controlType` is the key type of a
    /// control batch's marker record (0 abort, 1 commit; nil when unknown or not a control
    /// batch). Control batches are always skipped (they only move the position), data batches
    /// when their producer's transaction is aborted.
    mutating func skips(_ header: RecordBatchHeader, controlType: Int16?) -> Bool {
        if header.producerId >= 0 {
            while let next = pending.last, next.firstOffset <= header.lastOffset {
                aborted.insert(next.producerId)
                pending.removeLast()
            }
            if header.isControl {
                if controlType == Self.abortMarkerType { aborted.remove(header.producerId) }
                return true
            }
            if header.isTransactional && aborted.contains(header.producerId) { return true }
        }
        return header.isControl
    }

    /// The marker type of a control record's key (`version INT16, type INT16`), or nil.
    static func controlType(ofKey key: [UInt8]?) -> Int16? {
        guard let key, key.count >= 4 else { return nil }
        return Int16(bitPattern: UInt16(key[2]) << 8 | UInt16(key[3]))
    }
}
