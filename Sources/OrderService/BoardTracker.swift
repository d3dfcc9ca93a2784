/// Reads the coffee board from the order-service's tables: a first snapshot, then each next
/// one from the previous (what moved, what is new), with a bounded number of indexed reads.
///
/// How the next snapshot finds every change, given that the order-service only ever inserts
/// orders (rowid grows) and moves their status forward:
/// - open orders (`PLACED`, `BREWING`, `READY`) are read again each time, by status index;
/// - orders inserted since the last snapshot are read by rowid (`> maxRowId`), so one that was
///   placed and closed between two refreshes is still seen;
/// - a card that was open and is no longer among the open orders is read again by id: it
///   closed, and goes to the top of its closed column.
/// Activity: for every card whose newest history `seq` grew (or that is new), its
/// status-changing history entries after the old `seq` become feed entries.
///
/// Value type; call it inside one read transaction so a snapshot is consistent.
struct BoardTracker {
    /// Most cards per open column (a longer queue shows its oldest orders; counts stay true).
    static let openLimit = 100
    /// Cards per closed column.
    static let closedLimit = 8
    /// Entries kept in the activity feed.
    static let activityLimit = 20
    /// Most new orders read per refresh.
    static let newOrdersLimit = 500

    /// The store read from.
    let store: OrderStore

    /// The first snapshot (version 1): open orders, the newest of each closed status, and the
    /// status changes of the most recent orders.
    func initial(nowMs: Int64) throws -> BoardSnapshot {
        var cards = try openCards()
        for status in BoardSnapshot.columns where status.isTerminal {
            cards += try store.boardOrders(status: status, limit: Self.closedLimit, newestFirst: true)
        }
        var activity = try store.recentBoardActivity(recentOrders: Self.activityLimit, limit: Self.activityLimit)
        for index in activity.indices { activity[index].seq = index + 1 }
        return BoardSnapshot(version: 1, nowMs: nowMs, cards: cards, counts: try store.statusCounts(),
                             activity: activity, maxRowId: try store.maxOrderRowId())
    }

    /// The snapshot after `previous`; its version is `previous.version + 1` when anything
    /// (a card, a count, the feed) changed, else `previous.version`.
    func next(after previous: BoardSnapshot, nowMs: Int64) throws -> BoardSnapshot {
        let open = try openCards()
        let openIds = Set(open.map(\.orderId))
        var closed: [OrderStatus: [BoardOrder]] = [:]
        for card in previous.cards where card.status.isTerminal { closed[card.status, default: []].append(card) }

        // Orders that closed since `previous`: new ones, and open cards no longer open.
        var newlyClosed: [BoardOrder] = []
        let fresh = try store.boardOrders(afterRowId: previous.maxRowId, limit: Self.newOrdersLimit)
        var seen = Set<String>()
        for card in fresh where card.status.isTerminal {
            newlyClosed.append(card)
            seen.insert(card.orderId)
        }
        for card in previous.cards where !card.status.isTerminal && !openIds.contains(card.orderId) && !seen.contains(card.orderId) {
            if let now = try store.boardOrder(card.orderId), now.status.isTerminal { newlyClosed.append(now) }
        }
        for card in newlyClosed {
            closed[card.status, default: []].removeAll { $0.orderId == card.orderId }
            closed[card.status, default: []].insert(card, at: 0)
        }
        var cards = open
        for status in BoardSnapshot.columns where status.isTerminal {
            cards += (closed[status] ?? []).prefix(Self.closedLimit)
        }

        // Feed entries for every card whose history grew.
        var oldSeq: [String: Int] = [:]
        for card in previous.cards { oldSeq[card.orderId] = card.lastSeq }
        var entries: [BoardActivity] = []
        for card in open + newlyClosed where card.lastSeq > (oldSeq[card.orderId] ?? 0) {
            entries += try store.boardActivity(card.orderId, customer: card.customer, afterSeq: oldSeq[card.orderId] ?? 0)
        }
        // Kept per order in history order, not sorted by time: the barista's clock stamps its
        // events, the order-service's its own, and one order's steps must never read backwards.
        var seq = previous.lastActivitySeq
        for index in entries.indices {
            seq += 1
            entries[index].seq = seq
        }
        let activity = Array((previous.activity + entries).suffix(Self.activityLimit))

        let counts = try store.statusCounts()
        let maxRowId = max(previous.maxRowId, fresh.last?.rowId ?? previous.maxRowId)
        let changed = cards != previous.cards || counts != previous.counts || !entries.isEmpty
        return BoardSnapshot(version: previous.version + (changed ? 1 : 0), nowMs: nowMs, cards: cards, counts: counts,
                             activity: activity, maxRowId: maxRowId)
    }

    /// The open columns' cards, oldest first within each.
    private func openCards() throws -> [BoardOrder] {
        var cards: [BoardOrder] = []
        for status in BoardSnapshot.columns where !status.isTerminal {
            cards += try store.boardOrders(status: status, limit: Self.openLimit, newestFirst: false)
        }
        return cards
    }
}
