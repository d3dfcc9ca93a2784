/// The coffee board at one moment: the cards of every column, the status totals and the
/// newest activity. What `GET /board` renders and `GET /board/events` starts with. Value type.
///
/// Columns: the open statuses (`PLACED`, `BREWING`, `READY`) hold their orders oldest first, at
/// most `BoardTracker.openLimit` each; the closed ones (`COMPLETED`, `CANCELLED`, `FAILED`) hold
/// the few that closed most recently, newest first. `counts` are the true totals.
struct BoardSnapshot: Sendable, Equatable {
    /// Statuses in board order (the columns, left to right).
    static let columns: [OrderStatus] = [.placed, .brewing, .ready, .completed, .cancelled, .failed]

    /// Increases with every refresh that changed something (an SSE client's resume point).
    var version: Int
    /// The service's clock when the snapshot was read (Unix ms), so a page can age cards.
    var nowMs: Int64
    /// Every card, grouped by column in `columns` order.
    var cards: [BoardOrder]
    /// How many orders are in each status (absent: none).
    var counts: [OrderStatus: Int]
    /// The newest status changes, oldest first (at most `BoardTracker.activityLimit`).
    var activity: [BoardActivity]
    /// The largest `orders` rowid seen: orders above it are new to the next refresh.
    var maxRowId: Int64

    /// Orders placed and not yet brewing: the barista's queue.
    var queueDepth: Int { counts[.placed] ?? 0 }

    /// The cards of `status`, in column order.
    func column(_ status: OrderStatus) -> [BoardOrder] { cards.filter { $0.status == status } }

    /// Who is brewing what: each barista named on a `BREWING` order with those orders, by name
    /// (orders whose barista is unknown are listed under nil, last).
    var baristas: [(name: String?, orders: [BoardOrder])] {
        var byName: [String?: [BoardOrder]] = [:]
        for card in cards where card.status == .brewing { byName[card.barista, default: []].append(card) }
        return byName.sorted { a, b in
            switch (a.key, b.key) {
            case let (x?, y?): x < y
            case (.some, nil): true
            default: false
            }
        }.map { (name: $0.key, orders: $0.value) }
    }

    /// The feed position of the newest activity entry (0 when there is none).
    var lastActivitySeq: Int { activity.last?.seq ?? 0 }
}
