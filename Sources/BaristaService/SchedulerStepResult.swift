/// What one `BrewScheduler.runSchedulerStep(now:)` did, and when the next one is due.
/// Value type.
public struct SchedulerStepResult: Sendable, Equatable {
    /// Tickets that became `done` in this step (finished brewing, or brewed instantly).
    public var finishedTickets: Int = 0
    /// Tickets a barista started in this step (including instant ones).
    public var startedTickets: Int = 0
    /// Orders that went `QUEUED → BREWING` (one `OrderBrewingStarted` each), in event order.
    public var brewingStartedOrders: [String] = []
    /// Orders that went `BREWING → READY` (one `OrderReady` each), in event order.
    public var readyOrders: [String] = []
    /// Events written to the outbox in this step's transaction.
    public var emittedEvents: Int = 0
    /// Tickets brewing after the step (≤ the barista count, unless it was lowered while
    /// more were brewing).
    public var brewingTickets: Int = 0
    /// The earliest `finish_at_ms` of a ticket still brewing (nil when none brews): the
    /// scheduler has nothing to do before then unless new orders arrive.
    public var nextFinishAtMs: Int64?
    /// True when the step stopped at its ticket budget with baristas still free: run the next
    /// step at once rather than waiting.
    public var hasMoreWork: Bool = false
    /// Queued tickets left after the step when the step knows it exactly (it read the whole
    /// queue), else nil.
    public var queuedTicketsRemaining: Int?

    /// An empty result (nothing happened).
    public init() {}
}
