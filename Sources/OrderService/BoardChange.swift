/// What changed on the board between two snapshots: the `change` event of `GET /board/events`.
/// Value type.
struct BoardChange: Sendable, Equatable {
    /// The newer snapshot's version.
    var version: Int
    /// Cards that are new or differ (status, barista, cancellation flag, …), in column order.
    var upserted: [BoardOrder]
    /// Ids of cards that left the board (a closed order that fell out of its column).
    var removed: [String]
    /// Activity entries newer than the older snapshot's, oldest first.
    var activity: [BoardActivity]
    /// The newer snapshot's totals.
    var counts: [OrderStatus: Int]
    /// The newer snapshot's clock.
    var nowMs: Int64

    /// The change that turns `old` into `new` (pure; `new` wins wherever they differ).
    static func between(_ old: BoardSnapshot, _ new: BoardSnapshot) -> BoardChange {
        var before: [String: BoardOrder] = [:]
        for card in old.cards { before[card.orderId] = card }
        let after = Set(new.cards.map(\.orderId))
        return BoardChange(
            version: new.version,
            upserted: new.cards.filter { before[$0.orderId] != $0 },
            removed: old.cards.map(\.orderId).filter { !after.contains($0) },
            activity: new.activity.filter { $0.seq > old.lastActivitySeq },
            counts: new.counts, nowMs: new.nowMs)
    }
}
