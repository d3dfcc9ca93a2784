import SQLite
import HTTPServer
import ServiceKit

/// One row of `notifications`, as the HTTP API, the snapshot and the file sink show it. Value type.
public struct NotificationRecord: Sendable, Equatable {
    /// The notification's id (`notifications.notification_id`, increasing in creation order).
    public var notificationId: Int64
    /// The triggering event's id (unique: one notification per event).
    public var eventId: String
    /// The triggering event's type, e.g. `OrderReady`.
    public var eventType: String
    /// What the notification says.
    public var kind: NotificationKind
    /// The order it is about.
    public var orderId: String
    /// The order's member; nil while the order's `OrderPlaced` has not arrived.
    public var memberId: String?
    /// Always `email` for now (the contact's e-mail address is the recipient).
    public var channel: String
    /// The contact's address at delivery time; nil while waiting.
    public var recipient: String?
    /// The rendered text; nil while waiting.
    public var message: String?
    /// Waiting or delivered.
    public var status: NotificationStatus
    /// When the notification was stored (Unix ms).
    public var createdAtMs: Int64
    /// When it was delivered (Unix ms); nil while waiting.
    public var deliveredAtMs: Int64?
    /// The triggering event's `occurredAt` text.
    public var eventOccurredAt: String
    /// `eventOccurredAt` as Unix ms; nil when it is not RFC 3339.
    public var eventOccurredAtMs: Int64?
    /// Whether the file sink has appended (and fsynced) this notification's line.
    public var sinkWritten: Bool

    /// The columns `init(row:)` reads, for `SELECT \(columns) FROM notifications`.
    static let columns = "notification_id, event_id, event_type, kind, order_id, member_id, channel, recipient, "
        + "message, status, created_at_ms, delivered_at_ms, event_occurred_at, event_occurred_at_ms, sink_written"

    /// Reads a row selected with `columns`; throws `SQLiteError` on a missing column or a value
    /// of the wrong type, and `SQLITE_MISMATCH` for a kind or status this code does not know.
    init(row: Row) throws(SQLiteError) {
        let kindText = try row.text("kind")
        let statusText = try row.text("status")
        guard let kind = NotificationKind(rawValue: kindText), let status = NotificationStatus(rawValue: statusText) else {
            // 20 is SQLITE_MISMATCH, as the typed accessors report a value of the wrong kind.
            throw SQLiteError(code: 20, message: "unknown notification kind '\(kindText)' or status '\(statusText)'",
                              operation: "read notification")
        }
        notificationId = try row.int64("notification_id")
        eventId = try row.text("event_id")
        eventType = try row.text("event_type")
        self.kind = kind
        orderId = try row.text("order_id")
        memberId = row["member_id"]?.textValue
        channel = try row.text("channel")
        recipient = row["recipient"]?.textValue
        message = row["message"]?.textValue
        self.status = status
        createdAtMs = try row.int64("created_at_ms")
        deliveredAtMs = row["delivered_at_ms"]?.int64Value
        eventOccurredAt = try row.text("event_occurred_at")
        eventOccurredAtMs = row["event_occurred_at_ms"]?.int64Value
        sinkWritten = try row.bool("sink_written")
    }

    /// The full JSON object (HTTP list and file sink line), one line, keys in a fixed order:
    /// `notificationId, eventId, eventType, kind, orderId, memberId, channel, recipient,
    /// message, status, createdAt, createdAtMs, deliveredAt, deliveredAtMs, eventOccurredAt,
    /// eventOccurredAtMs`; absent values are `null`; times as RFC 3339 UTC text and Unix ms.
    public var json: String {
        "{\"notificationId\":\(notificationId),\"eventId\":\(JSONText.quoted(eventId)),"
            + "\"eventType\":\(JSONText.quoted(eventType)),\"kind\":\(JSONText.quoted(kind.rawValue)),"
            + "\"orderId\":\(JSONText.quoted(orderId)),\"memberId\":\(Self.optional(memberId)),"
            + "\"channel\":\(JSONText.quoted(channel)),\"recipient\":\(Self.optional(recipient)),"
            + "\"message\":\(Self.optional(message)),\"status\":\(JSONText.quoted(status.rawValue)),"
            + "\"createdAt\":\(JSONText.quoted(DeadLetter.rfc3339(unixMillis: createdAtMs))),"
            + "\"createdAtMs\":\(createdAtMs),"
            + "\"deliveredAt\":\(Self.optional(deliveredAtMs.map { DeadLetter.rfc3339(unixMillis: $0) })),"
            + "\"deliveredAtMs\":\(Self.optional(deliveredAtMs)),"
            + "\"eventOccurredAt\":\(JSONText.quoted(eventOccurredAt)),"
            + "\"eventOccurredAtMs\":\(Self.optional(eventOccurredAtMs))}"
    }

    /// The board feed's JSON object (`GET /notifications/feed`, readable from other origins):
    /// `notificationId, kind, orderId, status, message, createdAtMs, deliveredAtMs` — no
    /// recipient address, channel or member id, since any web page a visitor opens may read it.
    public var feedJSON: String {
        "{\"notificationId\":\(notificationId),\"kind\":\(JSONText.quoted(kind.rawValue)),"
            + "\"orderId\":\(JSONText.quoted(orderId)),\"status\":\(JSONText.quoted(status.rawValue)),"
            + "\"message\":\(Self.optional(message)),\"createdAtMs\":\(createdAtMs),"
            + "\"deliveredAtMs\":\(Self.optional(deliveredAtMs))}"
    }

    /// The snapshot's JSON object (for `kaffee verify`): `notificationId, eventId, eventType,
    /// kind, orderId, memberId, status, createdAt, createdAtMs, deliveredAt, deliveredAtMs,
    /// eventOccurredAtMs`.
    public var snapshotJSON: String {
        "{\"notificationId\":\(notificationId),\"eventId\":\(JSONText.quoted(eventId)),"
            + "\"eventType\":\(JSONText.quoted(eventType)),\"kind\":\(JSONText.quoted(kind.rawValue)),"
            + "\"orderId\":\(JSONText.quoted(orderId)),\"memberId\":\(Self.optional(memberId)),"
            + "\"status\":\(JSONText.quoted(status.rawValue)),"
            + "\"createdAt\":\(JSONText.quoted(DeadLetter.rfc3339(unixMillis: createdAtMs))),"
            + "\"createdAtMs\":\(createdAtMs),"
            + "\"deliveredAt\":\(Self.optional(deliveredAtMs.map { DeadLetter.rfc3339(unixMillis: $0) })),"
            + "\"deliveredAtMs\":\(Self.optional(deliveredAtMs)),"
            + "\"eventOccurredAtMs\":\(Self.optional(eventOccurredAtMs))}"
    }

    private static func optional(_ text: String?) -> String { text.map(JSONText.quoted) ?? "null" }
    private static func optional(_ number: Int64?) -> String { number.map { String($0) } ?? "null" }
}
