/// The transaction coordinator's limits (Kafka's broker configs of the same meaning).
public struct TransactionSettings: Sendable {
    /// `transaction.max.timeout.ms`: larger `transaction.timeout.ms` values are refused
    /// (INVALID_TRANSACTION_TIMEOUT).
    public var maxTimeoutMs: Int32 = 900_000
    /// `transactional.id.expiration.ms`: an idle transactional id is forgotten after this long.
    public var idExpirationMs: Int64 = 604_800_000
    /// `transaction.abort.timed.out.transaction.cleanup.interval.ms`: how often expired
    /// transactions are looked for.
    public var abortCheckIntervalMs: Int64 = 10_000
    /// `transaction.remove.expired.transaction.cleanup.interval.ms`.
    public var expiredIdCheckIntervalMs: Int64 = 3_600_000

    public init() {}
}
