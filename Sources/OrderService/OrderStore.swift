import EventContracts
import SQLite

/// The SQL of the order-service's tables. Value type wrapping a `Database`.
///
/// Each method is one or a few statements (cached by `Database.prepare`); none opens a
/// transaction, so callers group them in `Database.transaction` (HTTP handlers) or run them
/// inside the chassis' transaction (`handle`). Thread-safety: that of `Database`.
struct OrderStore {
    /// The database (the transaction's, when inside one).
    let db: Database

    // MARK: Members

    /// Inserts a new member.
    func insert(_ member: MemberRecord) throws {
        try db.run(
            "INSERT INTO members (member_id, name, email, phone, created_at, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
            .text(member.memberId), .text(member.name), .text(member.email), member.phone.map { .text($0) } ?? .null,
            .text(member.createdAt), .integer(member.createdAtMs))
    }

    /// The member with `memberId`, or nil.
    func member(_ memberId: String) throws -> MemberRecord? {
        let rows = try db.query(
            "SELECT member_id, name, email, phone, created_at, created_at_ms FROM members WHERE member_id = ?",
            .text(memberId))
        guard let row = rows.first else { return nil }
        return MemberRecord(
            memberId: try row.text("member_id"), name: try row.text("name"), email: try row.text("email"),
            phone: row["phone"]?.textValue, createdAt: try row.text("created_at"),
            createdAtMs: try row.int64("created_at_ms"))
    }

    /// Whether a member with `memberId` exists.
    func memberExists(_ memberId: String) throws -> Bool {
        !(try db.scalar("SELECT 1 FROM members WHERE member_id = ?", .text(memberId))).isNull
    }

    /// How many members are registered.
    func memberCount() throws -> Int {
        try db.scalar("SELECT COUNT(*) FROM members").intValue ?? 0
    }

    // MARK: Orders

    /// Inserts a new order with its lines (line numbers from 1).
    func insert(_ order: OrderRecord, items: [OrderItem]) throws {
        try db.run(
            "INSERT INTO orders (order_id, member_id, status, placed_at, placed_at_ms, updated_at, ready_at_ms, "
                + "cancellation_requested, correlation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            .text(order.orderId), .text(order.memberId), .text(order.status.rawValue), .text(order.placedAt),
            .integer(order.placedAtMs), .text(order.updatedAt), order.readyAtMs.map { .integer($0) } ?? .null,
            SQLiteValue(order.cancellationRequested), .text(order.correlationId))
        let insertLine = try db.prepare(
            "INSERT INTO order_items (order_id, line, drink, size, quantity) VALUES (?, ?, ?, ?, ?)")
        for (index, item) in items.enumerated() {
            try insertLine.run(
                .text(order.orderId), SQLiteValue(index + 1), .text(item.drink), .text(item.size.rawValue),
                SQLiteValue(item.quantity))
        }
    }

    private static let orderColumns =
        "order_id, member_id, status, placed_at, placed_at_ms, updated_at, ready_at_ms, cancellation_requested, correlation_id"

    /// The order with `orderId`, or nil.
    func order(_ orderId: String) throws -> OrderRecord? {
        let rows = try db.query("SELECT \(Self.orderColumns) FROM orders WHERE order_id = ?", .text(orderId))
        return try rows.first.map(Self.orderRecord)
    }

    /// The order with its lines and history, or nil.
    func details(_ orderId: String) throws -> OrderDetails? {
        guard let order = try order(orderId) else { return nil }
        return OrderDetails(order: order, items: try items(orderId), history: try history(orderId))
    }

    /// The lines of `orderId`, in order.
    func items(_ orderId: String) throws -> [OrderItem] {
        try db.query("SELECT drink, size, quantity FROM order_items WHERE order_id = ? ORDER BY line", .text(orderId))
            .map { row in
                let sizeText = try row.text("size")
                guard let size = DrinkSize(rawValue: sizeText) else {
                    throw CorruptRowError(message: "order \(orderId) has a line of size '\(sizeText)'")
                }
                return OrderItem(drink: try row.text("drink"), size: size, quantity: try row.int("quantity"))
            }
    }

    /// The member's orders, newest first, each with its number of drinks.
    func orders(ofMember memberId: String) throws -> [(order: OrderRecord, drinks: Int)] {
        try db.query(
            "SELECT \(Self.orderColumns), (SELECT COALESCE(SUM(quantity), 0) FROM order_items i "
                + "WHERE i.order_id = orders.order_id) AS drinks FROM orders WHERE member_id = ? "
                + "ORDER BY placed_at_ms DESC, order_id DESC", .text(memberId))
            .map { row in (try Self.orderRecord(row), try row.int("drinks")) }
    }

    /// Every order, oldest first (for the snapshot).
    func allOrders() throws -> [OrderRecord] {
        try db.query("SELECT \(Self.orderColumns) FROM orders ORDER BY placed_at_ms, order_id").map(Self.orderRecord)
    }

    /// How many orders there are in each status (statuses without orders are absent).
    func statusCounts() throws -> [OrderStatus: Int] {
        var counts: [OrderStatus: Int] = [:]
        for row in try db.query("SELECT status, COUNT(*) AS n FROM orders GROUP BY status") {
            let text = try row.text("status")
            guard let status = OrderStatus(rawValue: text) else {
                throw CorruptRowError(message: "an order has status '\(text)'")
            }
            counts[status] = try row.int("n")
        }
        return counts
    }

    /// Moves `orderId` from `from` to `to` (compare-and-set); `readyAtMs`, when given, is
    /// stored too. Returns false when the order was not in `from`.
    func updateStatus(_ orderId: String, from: OrderStatus, to: OrderStatus, updatedAt: String,
                      readyAtMs: Int64?) throws -> Bool {
        try db.run(
            "UPDATE orders SET status = ?, updated_at = ?, ready_at_ms = COALESCE(?, ready_at_ms) "
                + "WHERE order_id = ? AND status = ?",
            .text(to.rawValue), .text(updatedAt), readyAtMs.map { .integer($0) } ?? .null, .text(orderId),
            .text(from.rawValue)) > 0
    }

    /// Sets the cancellation-requested flag; returns false when it was set already.
    func markCancellationRequested(_ orderId: String, updatedAt: String) throws -> Bool {
        try db.run(
            "UPDATE orders SET cancellation_requested = 1, updated_at = ? "
                + "WHERE order_id = ? AND cancellation_requested = 0", .text(updatedAt), .text(orderId)) > 0
    }

    // MARK: History

    /// Appends an entry (its `seq` is the order's next) and returns that `seq`. Two plain
    /// statements (read the last `seq`, insert), run inside the caller's transaction: one
    /// `INSERT … SELECT … FROM order_history … RETURNING` costs SQLite two temporary tables
    /// (the insert reads the table it writes; RETURNING buffers), several times the work.
    @discardableResult
    func appendHistory(_ orderId: String, status: OrderStatus, changed: Bool, event: String, atMs: Int64,
                       eventId: String?, note: String?) throws -> Int {
        let last = try db.scalar("SELECT MAX(seq) FROM order_history WHERE order_id = ?", .text(orderId)).int64Value
        let seq = (last ?? 0) + 1
        try db.run(
            "INSERT INTO order_history (order_id, seq, status, changed, event, at, at_ms, event_id, note) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            .text(orderId), .integer(seq), .text(status.rawValue), SQLiteValue(changed), .text(event),
            .text(RFC3339.format(unixMillis: atMs)), .integer(atMs), eventId.map { .text($0) } ?? .null,
            note.map { .text($0) } ?? .null)
        return Int(seq)
    }

    /// The history of `orderId`, oldest first.
    func history(_ orderId: String) throws -> [HistoryEntry] {
        try db.query(
            "SELECT seq, status, changed, event, at, at_ms, event_id, note FROM order_history "
                + "WHERE order_id = ? ORDER BY seq", .text(orderId))
            .map { row in
                HistoryEntry(
                    seq: try row.int("seq"), status: try Self.status(row), changed: try row.bool("changed"),
                    event: try row.text("event"), at: try row.text("at"), atMs: try row.int64("at_ms"),
                    eventId: row["event_id"]?.textValue, note: row["note"]?.textValue)
            }
    }

    /// For every order, the statuses its history moved through (entries with `changed`), in order.
    func statusPaths() throws -> [String: [OrderStatus]] {
        var paths: [String: [OrderStatus]] = [:]
        for row in try db.query(
            "SELECT order_id, status FROM order_history WHERE changed = 1 ORDER BY order_id, seq") {
            paths[try row.text("order_id"), default: []].append(try Self.status(row))
        }
        return paths
    }

    // MARK: Idempotency keys

    /// The stored request fingerprint and order of `key`, or nil when the key is unknown.
    func idempotencyKey(_ key: String) throws -> (requestHash: String, orderId: String, createdAtMs: Int64)? {
        let rows = try db.query(
            "SELECT request_hash, order_id, created_at_ms FROM idempotency_keys WHERE key = ?", .text(key))
        guard let row = rows.first else { return nil }
        return (try row.text("request_hash"), try row.text("order_id"), try row.int64("created_at_ms"))
    }

    /// Remembers `key` for the order it created.
    func insertIdempotencyKey(_ key: String, requestHash: String, orderId: String, atMs: Int64) throws {
        try db.run(
            "INSERT INTO idempotency_keys (key, request_hash, order_id, created_at, created_at_ms) VALUES (?, ?, ?, ?, ?)",
            .text(key), .text(requestHash), .text(orderId), .text(RFC3339.format(unixMillis: atMs)), .integer(atMs))
    }

    /// Forgets `key`.
    func deleteIdempotencyKey(_ key: String) throws {
        try db.run("DELETE FROM idempotency_keys WHERE key = ?", .text(key))
    }

    /// Forgets every key created before `cutoffMs`; returns how many.
    @discardableResult
    func purgeIdempotencyKeys(before cutoffMs: Int64) throws -> Int {
        try db.run("DELETE FROM idempotency_keys WHERE created_at_ms < ?", .integer(cutoffMs))
    }

    // MARK: Row decoding

    /// The `status` column of `row`; a value that is no `OrderStatus` is a `CorruptRowError`.
    static func status(_ row: Row) throws -> OrderStatus {
        let text = try row.text("status")
        guard let status = OrderStatus(rawValue: text) else {
            throw CorruptRowError(message: "unknown status '\(text)'")
        }
        return status
    }

    private static func orderRecord(_ row: Row) throws -> OrderRecord {
        OrderRecord(
            orderId: try row.text("order_id"), memberId: try row.text("member_id"), status: try status(row),
            placedAt: try row.text("placed_at"), placedAtMs: try row.int64("placed_at_ms"),
            updatedAt: try row.text("updated_at"), readyAtMs: row["ready_at_ms"]?.int64Value,
            cancellationRequested: try row.bool("cancellation_requested"),
            correlationId: try row.text("correlation_id"))
    }
}
