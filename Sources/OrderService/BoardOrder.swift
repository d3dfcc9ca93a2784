/// One order as the coffee board shows it: a card in its status' column. Value type.
struct BoardOrder: Sendable, Equatable {
    /// The order's id.
    var orderId: String
    /// Its status now.
    var status: OrderStatus
    /// The ordering member's name.
    var customer: String
    /// Its lines in order, e.g. `1× medium latte, 2× small espresso`.
    var items: String
    /// When it was placed, Unix milliseconds.
    var placedAtMs: Int64
    /// Who brews (or brewed) it, from the barista's `OrderBrewingStarted`; nil when not known.
    var barista: String?
    /// Whether the customer asked to cancel it.
    var cancellationRequested: Bool
    /// The `seq` of its newest history entry: grows whenever anything happens to the order.
    var lastSeq: Int
    /// The `orders` rowid: insertion order, so the board can ask for orders newer than a mark.
    var rowId: Int64
}
