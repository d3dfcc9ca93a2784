/// One status change of one order, as the board's activity feed lists it (taken from the
/// order's history entries that moved its status). Value type.
struct BoardActivity: Sendable, Equatable {
    /// Position in the feed, from 1, increasing (assigned by `BoardTracker`, not stored).
    var seq: Int
    /// The order's id.
    var orderId: String
    /// The ordering member's name.
    var customer: String
    /// The status the order moved to.
    var status: OrderStatus
    /// The event that moved it (`OrderPlaced`, `OrderReady`, …).
    var event: String
    /// When it happened, Unix milliseconds.
    var atMs: Int64
    /// The history note (`barista: b1`, `failed: …`), if any.
    var note: String?
}
