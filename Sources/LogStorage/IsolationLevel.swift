/// Which records a read may return (Kafka's fetch `isolation_level`).
///
/// - `readUncommitted` (0): everything up to the high watermark, aborted transactions included.
/// - `readCommitted` (1): only up to the last stable offset (no record of an open transaction,
///   nor anything after one), with the aborted transactions of the returned range listed so the
///   consumer can drop their records.
public enum IsolationLevel: Int8, Sendable, Equatable {
    case readUncommitted = 0
    case readCommitted = 1
}
