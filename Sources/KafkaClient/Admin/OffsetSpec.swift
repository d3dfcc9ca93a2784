/// Which offset `KafkaAdmin.listOffsets` asks each partition leader for. A value type; `Sendable`.
public enum OffsetSpec: Sendable, Equatable, Hashable {
    /// The log start offset (the first offset still retained).
    case earliest
    /// The log end offset (high watermark): the offset the next record will get.
    case latest
    /// The first offset whose record timestamp is at or after this time (ms since the epoch);
    /// offset −1 when no record is that recent.
    case timestamp(Int64)
    /// The offset and timestamp of the record with the largest timestamp (ListOffsets v7+).
    case maxTimestamp

    /// The ListOffsets wire value: −2 earliest, −1 latest, −3 max-timestamp, else the time.
    var wireTimestamp: Int64 {
        switch self {
        case .earliest: -2
        case .latest: -1
        case .maxTimestamp: -3
        case .timestamp(let milliseconds): milliseconds
        }
    }
}
