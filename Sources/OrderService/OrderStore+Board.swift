import EventContracts
import SQLite

/// The coffee board's reads. Each is an index or primary-key lookup bounded by a limit, so a
/// board refresh costs the same with ten orders or a million (except `statusCounts`).
extension OrderStore {
    /// A card's columns: the order, its member's name, its lines as one text, the barista note
    /// of its last `OrderBrewingStarted` and the seq of its newest history entry.
    private static let cardSelect = """
        SELECT o.rowid AS row_id, o.order_id, o.status, o.placed_at_ms, o.cancellation_requested,
               COALESCE(m.name, '') AS customer,
               (SELECT group_concat(line_text, ', ') FROM (
                    SELECT i.quantity || '× ' || i.size || ' ' || i.drink AS line_text FROM order_items i
                    WHERE i.order_id = o.order_id ORDER BY i.line)) AS items,
               (SELECT h.note FROM order_history h WHERE h.order_id = o.order_id
                    AND h.event = 'OrderBrewingStarted' AND h.changed = 1 ORDER BY h.seq DESC LIMIT 1) AS brew_note,
               (SELECT MAX(h.seq) FROM order_history h WHERE h.order_id = o.order_id) AS last_seq
        FROM orders o LEFT JOIN members m ON m.member_id = o.member_id
        """

    /// Up to `limit` cards in `status`, oldest (by insertion) first or, with `newestFirst`, newest first.
    func boardOrders(status: OrderStatus, limit: Int, newestFirst: Bool) throws -> [BoardOrder] {
        let order = newestFirst ? "DESC" : "ASC"
        return try db.query("\(Self.cardSelect) WHERE o.status = ? ORDER BY o.rowid \(order) LIMIT ?",
                            .text(status.rawValue), SQLiteValue(limit)).map(Self.boardOrder)
    }

    /// Up to `limit` cards inserted after rowid `mark`, oldest first.
    func boardOrders(afterRowId mark: Int64, limit: Int) throws -> [BoardOrder] {
        try db.query("\(Self.cardSelect) WHERE o.rowid > ? ORDER BY o.rowid LIMIT ?", .integer(mark), SQLiteValue(limit))
            .map(Self.boardOrder)
    }

    /// The card of `orderId`, or nil.
    func boardOrder(_ orderId: String) throws -> BoardOrder? {
        try db.query("\(Self.cardSelect) WHERE o.order_id = ?", .text(orderId)).first.map(Self.boardOrder)
    }

    /// The largest `orders` rowid (0 when empty).
    func maxOrderRowId() throws -> Int64 {
        try db.scalar("SELECT MAX(rowid) FROM orders").int64Value ?? 0
    }

    /// The status-changing history entries of `orderId` after `seq`, oldest first, as feed
    /// entries (their feed `seq` is left 0 for the caller to assign).
    func boardActivity(_ orderId: String, customer: String, afterSeq seq: Int) throws -> [BoardActivity] {
        try db.query(
            "SELECT status, event, at_ms, note FROM order_history WHERE order_id = ? AND seq > ? AND changed = 1 ORDER BY seq",
            .text(orderId), SQLiteValue(seq))
            .map { row in
                BoardActivity(seq: 0, orderId: orderId, customer: customer, status: try Self.status(row),
                              event: try row.text("event"), atMs: try row.int64("at_ms"), note: row["note"]?.textValue)
            }
    }

    /// The status changes of the `recentOrders` most recently inserted orders, newest `limit`
    /// of them, oldest first (feed `seq` left 0): the feed's starting point.
    func recentBoardActivity(recentOrders: Int, limit: Int) throws -> [BoardActivity] {
        try db.query(
            "SELECT h.order_id, h.status, h.event, h.at_ms, h.note, COALESCE(m.name, '') AS customer "
                + "FROM order_history h JOIN orders o ON o.order_id = h.order_id "
                + "LEFT JOIN members m ON m.member_id = o.member_id "
                + "WHERE h.changed = 1 AND o.rowid > (SELECT COALESCE(MAX(rowid), 0) FROM orders) - ? "
                + "ORDER BY h.at_ms DESC, h.order_id, h.seq DESC LIMIT ?", SQLiteValue(recentOrders), SQLiteValue(limit))
            .map { row in
                BoardActivity(seq: 0, orderId: try row.text("order_id"), customer: try row.text("customer"),
                              status: try Self.status(row), event: try row.text("event"),
                              atMs: try row.int64("at_ms"), note: row["note"]?.textValue)
            }
            .reversed()
    }

    private static func boardOrder(_ row: Row) throws -> BoardOrder {
        let note = row["brew_note"]?.textValue
        let prefix = "barista: "
        return BoardOrder(
            orderId: try row.text("order_id"), status: try status(row), customer: try row.text("customer"),
            items: row["items"]?.textValue ?? "", placedAtMs: try row.int64("placed_at_ms"),
            barista: note.flatMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil },
            cancellationRequested: try row.bool("cancellation_requested"),
            lastSeq: row["last_seq"]?.intValue ?? 0, rowId: try row.int64("row_id"))
    }
}
