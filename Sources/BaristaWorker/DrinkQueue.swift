/// Where a barista worker takes drinks from and acknowledges them: a share group
/// (`ShareDrinkQueue`) or a classic consumer group (`GroupDrinkQueue`).
///
/// Contract: `take` returns at most one drink; the caller acknowledges every drink it took with
/// `acknowledge` before the next `take`. Implementations are used from one thread.
public protocol DrinkQueue: AnyObject {
    /// The next drink, or nil when none arrived within `timeoutMs`.
    /// Throws `KafkaClientError` when the broker cannot be used (the caller retries).
    func take(timeoutMs: Int) throws -> QueuedDrink?
    /// Acknowledges `drink`: at the broker before it returns, or with the next `take` (see the
    /// implementation). Called only after the drink's outcome was published.
    func acknowledge(_ drink: QueuedDrink, _ acknowledgement: DrinkAcknowledgement) throws
    /// Leaves the group (drinks taken and not acknowledged come back to other workers).
    func close()
    /// `share` or `group`, for logs and metrics.
    var mode: String { get }
}
