/// Which clock the timestamps of a batch come from: attribute bit 3 (kafka-protocol.md §3.3).
///
/// With ``logAppendTime`` the broker's time in the header's `maxTimestamp` is the timestamp of
/// every record in the batch. Thread-safety: a plain value, `Sendable`.
public enum TimestampType: Sendable, Equatable {
    /// Bit 3 clear: the producer's record timestamps.
    case createTime
    /// Bit 3 set: the broker's append time (`maxTimestamp`) applies to all records.
    case logAppendTime
}
