import Foundation
public import SQLite
import EventContracts

/// The SQL of the notification-service: contacts, orders and notifications.
///
/// Every function takes the `Database` and runs inside the caller's transaction when there is
/// one (the chassis' transaction inside `handle`). Stateless; thread-safe as `Database` is.
public enum NotificationStore {
    /// A waiting notification whose order and contact are now both known, with what its text needs.
    struct Deliverable {
        var notificationId: Int64
        var kind: NotificationKind
        var detail: String?
        var orderId: String
        var memberId: String
        var items: [OrderItem]
        var name: String
        var email: String
    }

    /// A notification to store (for one triggering event).
    struct NewNotification {
        var eventId: String
        var eventType: String
        var kind: NotificationKind
        var orderId: String
        var memberId: String?
        var detail: String?
        var createdAtMs: Int64
        var eventOccurredAt: String
    }

    // MARK: contacts

    /// The id of the `MemberRegistered` event that last wrote `memberId`'s contact, nil when unknown.
    static func contactEventId(memberId: String, in db: Database) throws(SQLiteError) -> String? {
        try db.scalar("SELECT registered_event_id FROM contacts WHERE member_id = ?", .text(memberId)).textValue
    }

    /// Inserts or overwrites `member`'s contact.
    static func saveContact(_ member: MemberRegistered, eventId: String, nowMs: Int64, in db: Database) throws(SQLiteError) {
        try db.run(
            """
            INSERT INTO contacts (member_id, name, email, phone, registered_event_id, updated_at_ms)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (member_id) DO UPDATE SET name = excluded.name, email = excluded.email,
                phone = excluded.phone, registered_event_id = excluded.registered_event_id,
                updated_at_ms = excluded.updated_at_ms
            """,
            .text(member.memberId), .text(member.name), .text(member.email), member.phone.map { .text($0) } ?? .null,
            .text(eventId), .integer(nowMs))
    }

    /// How many contacts are known.
    public static func contactCount(in db: Database) throws(SQLiteError) -> Int {
        try db.scalar("SELECT COUNT(*) FROM contacts").intValue ?? 0
    }

    // MARK: orders

    /// Records `order` (member and items); false when the order was already known (the first
    /// `OrderPlaced` for an order id wins).
    static func saveOrder(_ order: OrderPlaced, eventId: String, nowMs: Int64, in db: Database) throws(SQLiteError) -> Bool {
        let itemsJSON = encodeItems(order.items)
        return try db.run(
            """
            INSERT OR IGNORE INTO orders (order_id, member_id, items, item_summary, placed_event_id, created_at_ms)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            .text(order.orderId), .text(order.memberId), .text(itemsJSON),
            .text(NotificationText.summary(of: order.items)), .text(eventId), .integer(nowMs)) > 0
    }

    /// The member who placed `orderId`, nil when its `OrderPlaced` has not arrived.
    static func orderMember(orderId: String, in db: Database) throws(SQLiteError) -> String? {
        try db.scalar("SELECT member_id FROM orders WHERE order_id = ?", .text(orderId)).textValue
    }

    // MARK: notifications

    /// What delivering a new notification of `orderId` at once needs: the order's member and
    /// items (nil when the order is unknown), that member's contact (nil when unknown), and
    /// whether the order has waiting notifications (which must be delivered first, in order).
    struct DeliveryContext {
        var memberId: String
        var itemsJSON: String
        var contact: (name: String, email: String)?
        var hasWaiting: Bool
    }

    /// The delivery context of `orderId`, nil when its `OrderPlaced` has not arrived. One query.
    static func deliveryContext(orderId: String, in db: Database) throws(SQLiteError) -> DeliveryContext? {
        guard let row = try db.query(
            """
            SELECT o.member_id, o.items, c.name, c.email,
                EXISTS (SELECT 1 FROM notifications n WHERE n.status = 'waiting' AND n.order_id = o.order_id) AS waiting
            FROM orders o LEFT JOIN contacts c ON c.member_id = o.member_id
            WHERE o.order_id = ?
            """, .text(orderId)).first
        else { return nil }
        let contact: (String, String)?
        if let name = row["name"]?.textValue, let email = row["email"]?.textValue { contact = (name, email) } else { contact = nil }
        return DeliveryContext(memberId: try row.text("member_id"), itemsJSON: try row.text("items"), contact: contact,
                               hasWaiting: try row.bool("waiting"))
    }

    /// Stores a notification that is delivered at once (never waiting): the same row a waiting
    /// one has after `markDelivered`. False (and nothing changes) when one exists for the same
    /// event id.
    static func insertDelivered(
        _ new: NewNotification, memberId: String, recipient: String, message: String, nowMs: Int64, in db: Database
    ) throws(SQLiteError) -> Bool {
        try db.run(
            """
            INSERT OR IGNORE INTO notifications (event_id, event_type, kind, order_id, member_id, detail, channel,
                recipient, message, status, created_at_ms, delivered_at_ms, event_occurred_at, event_occurred_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, 'email', ?, ?, 'delivered', ?, ?, ?, ?)
            """,
            .text(new.eventId), .text(new.eventType), .text(new.kind.rawValue), .text(new.orderId), .text(memberId),
            new.detail.map { .text($0) } ?? .null, .text(recipient), .text(message), .integer(new.createdAtMs),
            .integer(nowMs), .text(new.eventOccurredAt),
            RFC3339.unixMillis(new.eventOccurredAt).map { .integer($0) } ?? .null) > 0
    }

    /// Stores a waiting notification; false (and nothing changes) when one exists for the same
    /// event id — `event_id UNIQUE` is what makes a repeated event a no-op.
    @discardableResult
    static func insertWaiting(_ new: NewNotification, in db: Database) throws(SQLiteError) -> Bool {
        try db.run(
            """
            INSERT OR IGNORE INTO notifications (event_id, event_type, kind, order_id, member_id, detail, channel,
                status, created_at_ms, event_occurred_at, event_occurred_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, 'email', 'waiting', ?, ?, ?)
            """,
            .text(new.eventId), .text(new.eventType), .text(new.kind.rawValue), .text(new.orderId),
            new.memberId.map { .text($0) } ?? .null, new.detail.map { .text($0) } ?? .null,
            .integer(new.createdAtMs), .text(new.eventOccurredAt),
            RFC3339.unixMillis(new.eventOccurredAt).map { .integer($0) } ?? .null) > 0
    }

    /// Sets the member of `orderId`'s waiting notifications that do not have one yet; returns how many.
    @discardableResult
    static func assignMember(orderId: String, memberId: String, in db: Database) throws(SQLiteError) -> Int {
        try db.run(
            "UPDATE notifications SET member_id = ? WHERE status = 'waiting' AND order_id = ? AND member_id IS NULL",
            .text(memberId), .text(orderId))
    }

    private static let deliverableSelect = """
        SELECT n.notification_id, n.kind, n.detail, n.order_id, o.member_id, o.items, c.name, c.email
        FROM notifications n
        JOIN orders o ON o.order_id = n.order_id
        JOIN contacts c ON c.member_id = o.member_id
        """

    /// `orderId`'s waiting notifications whose contact is known; `received` first, then in
    /// the order their events occurred.
    static func deliverable(orderId: String, in db: Database) throws(SQLiteError) -> [Deliverable] {
        try deliverables(db.query(
            deliverableSelect + " WHERE n.status = 'waiting' AND n.order_id = ?" + deliverableOrder, .text(orderId)))
    }

    /// `memberId`'s waiting notifications whose order is known, in the same order.
    static func deliverable(memberId: String, in db: Database) throws(SQLiteError) -> [Deliverable] {
        try deliverables(db.query(
            deliverableSelect + " WHERE n.status = 'waiting' AND n.member_id = ?" + deliverableOrder, .text(memberId)))
    }

    private static let deliverableOrder =
        " ORDER BY n.order_id, n.kind != 'received', n.event_occurred_at_ms, n.notification_id"

    private static func deliverables(_ rows: [Row]) throws(SQLiteError) -> [Deliverable] {
        var result: [Deliverable] = []
        for row in rows {
            let kindText = try row.text("kind")
            guard let kind = NotificationKind(rawValue: kindText) else {
                // The CHECK constraint makes this unreachable; skip rather than trap.
                continue
            }
            result.append(Deliverable(
                notificationId: try row.int64("notification_id"), kind: kind, detail: row["detail"]?.textValue,
                orderId: try row.text("order_id"), memberId: try row.text("member_id"),
                items: decodeItems(try row.text("items")), name: try row.text("name"), email: try row.text("email")))
        }
        return result
    }

    /// Marks a waiting notification delivered with its recipient and text; false when it was
    /// not waiting.
    static func markDelivered(
        notificationId: Int64, memberId: String, recipient: String, message: String, nowMs: Int64, in db: Database
    ) throws(SQLiteError) -> Bool {
        try db.run(
            """
            UPDATE notifications SET status = 'delivered', member_id = ?, recipient = ?, message = ?, delivered_at_ms = ?
            WHERE notification_id = ? AND status = 'waiting'
            """,
            .text(memberId), .text(recipient), .text(message), .integer(nowMs), .integer(notificationId)) > 0
    }

    /// The notifications `query` selects, by increasing id.
    public static func list(_ query: NotificationQuery, in db: Database) throws(SQLiteError) -> [NotificationRecord] {
        var conditions: [String] = []
        var bindings: [SQLiteValue] = []
        if let memberId = query.memberId {
            conditions.append("member_id = ?")
            bindings.append(.text(memberId))
        }
        if let orderId = query.orderId {
            conditions.append("order_id = ?")
            bindings.append(.text(orderId))
        }
        if let status = query.status {
            conditions.append("status = ?")
            bindings.append(.text(status.rawValue))
        }
        if let afterId = query.afterId {
            conditions.append("notification_id > ?")
            bindings.append(.integer(afterId))
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        bindings.append(.integer(Int64(query.limit)))
        let rows = try db.prepare(
            "SELECT \(NotificationRecord.columns) FROM notifications\(whereClause) ORDER BY notification_id LIMIT ?"
        ).query(bindings: bindings)
        return try records(rows)
    }

    /// Every notification, by increasing id.
    public static func all(in db: Database) throws(SQLiteError) -> [NotificationRecord] {
        try records(db.query("SELECT \(NotificationRecord.columns) FROM notifications ORDER BY notification_id"))
    }

    /// Up to `limit` delivered notifications the file sink has not written yet, by increasing id.
    public static func unwritten(limit: Int, in db: Database) throws(SQLiteError) -> [NotificationRecord] {
        try records(db.query(
            "SELECT \(NotificationRecord.columns) FROM notifications WHERE status = 'delivered' AND sink_written = 0 "
                + "ORDER BY notification_id LIMIT ?", .integer(Int64(max(0, limit)))))
    }

    /// Marks the notifications with `ids` written by the file sink (call after the fsync).
    public static func markWritten(ids: [Int64], in db: Database) throws(SQLiteError) {
        let statement = try db.prepare("UPDATE notifications SET sink_written = 1 WHERE notification_id = ?")
        for id in ids { _ = try statement.run(.integer(id)) }
    }

    /// How many notifications have `status`. (Literal SQL per status, so counting the waiting
    /// ones — after every handled event — reads only the small partial index of waiting rows.)
    public static func count(status: NotificationStatus, in db: Database) throws(SQLiteError) -> Int {
        let sql = switch status {
        case .waiting: "SELECT COUNT(*) FROM notifications WHERE status = 'waiting'"
        case .delivered: "SELECT COUNT(*) FROM notifications WHERE status = 'delivered'"
        }
        return try db.scalar(sql).intValue ?? 0
    }

    /// How many notifications of each kind exist (every kind present, 0 when none).
    public static func countByKind(in db: Database) throws(SQLiteError) -> [NotificationKind: Int] {
        var counts: [NotificationKind: Int] = [:]
        for kind in NotificationKind.allCases { counts[kind] = 0 }
        for row in try db.query("SELECT kind, COUNT(*) AS n FROM notifications GROUP BY kind") {
            if let kind = NotificationKind(rawValue: try row.text("kind")) { counts[kind] = try row.int("n") }
        }
        return counts
    }

    private static func records(_ rows: [Row]) throws(SQLiteError) -> [NotificationRecord] {
        var result: [NotificationRecord] = []
        result.reserveCapacity(rows.count)
        for row in rows { result.append(try NotificationRecord(row: row)) }
        return result
    }

    // MARK: items

    /// The items as a JSON array with sorted keys (`OrderItem.jsonArray`).
    static func encodeItems(_ items: [OrderItem]) -> String {
        OrderItem.jsonArray(items)
    }

    /// The items stored by `encodeItems` (or by earlier versions, through `JSONEncoder`); an
    /// unreadable value reads as no items (the message then says "your order"), never a
    /// failure that would block delivery.
    static func decodeItems(_ json: String) -> [OrderItem] {
        if let items = OrderItem.fromJSONArray(json) { return items }
        return (try? JSONDecoder().decode([OrderItem].self, from: Data(json.utf8))) ?? []
    }
}
