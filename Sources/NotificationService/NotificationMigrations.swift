public import SQLite

/// The notification-service's tables (versions from 100; the chassis' inbox and outbox are 1–99).
///
/// - `contacts`: the service's replica of member contacts, one row per member id, overwritten
///   by every `MemberRegistered` for that member (`registered_event_id` is the event that wrote
///   it, so handling that same event again changes nothing).
/// - `orders`: order → member and what was ordered, from `OrderPlaced` (`items` is the JSON
///   array of `OrderItem`s, `item_summary` e.g. `2 lattes, 1 espresso`).
/// - `notifications`: one row per triggering event (`event_id UNIQUE`). `status` is `waiting`
///   until the order's member and that member's contact are known, then `delivered` with
///   `recipient`, `message` and `delivered_at_ms` set (a CHECK keeps those four in step).
///   `member_id` is null while the order is unknown. `detail` holds the failure reason of a
///   `failed` notification. `sink_written` is 1 once the file sink has appended and fsynced
///   the notification's line. Times are Unix milliseconds; `event_occurred_at` is the
///   triggering event's `occurredAt` text and `event_occurred_at_ms` its parse (null when the
///   text is not RFC 3339).
public enum NotificationMigrations {
    /// 100: contacts, orders and notifications.
    public static let createTables = Migration(
        version: 100, name: "notification_create_tables",
        sql: """
            CREATE TABLE contacts (
                member_id           TEXT PRIMARY KEY,
                name                TEXT NOT NULL,
                email               TEXT NOT NULL,
                phone               TEXT,
                registered_event_id TEXT NOT NULL,
                updated_at_ms       INTEGER NOT NULL
            );
            CREATE TABLE orders (
                order_id        TEXT PRIMARY KEY,
                member_id       TEXT NOT NULL,
                items           TEXT NOT NULL,
                item_summary    TEXT NOT NULL,
                placed_event_id TEXT NOT NULL,
                created_at_ms   INTEGER NOT NULL
            );
            CREATE TABLE notifications (
                notification_id      INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id             TEXT NOT NULL UNIQUE,
                event_type           TEXT NOT NULL,
                kind                 TEXT NOT NULL CHECK (kind IN ('received', 'ready', 'cancelled', 'failed')),
                order_id             TEXT NOT NULL,
                member_id            TEXT,
                detail               TEXT,
                channel              TEXT NOT NULL DEFAULT 'email',
                recipient            TEXT,
                message              TEXT,
                status               TEXT NOT NULL CHECK (status IN ('waiting', 'delivered')),
                created_at_ms        INTEGER NOT NULL,
                delivered_at_ms      INTEGER,
                event_occurred_at    TEXT NOT NULL,
                event_occurred_at_ms INTEGER,
                sink_written         INTEGER NOT NULL DEFAULT 0,
                CHECK ((status = 'delivered') = (member_id IS NOT NULL AND recipient IS NOT NULL
                       AND message IS NOT NULL AND delivered_at_ms IS NOT NULL))
            );
            CREATE INDEX notifications_by_order ON notifications (order_id);
            CREATE INDEX notifications_by_member ON notifications (member_id);
            CREATE INDEX notifications_waiting_by_order ON notifications (order_id) WHERE status = 'waiting';
            CREATE INDEX notifications_waiting_by_member ON notifications (member_id) WHERE status = 'waiting';
            CREATE INDEX notifications_unwritten ON notifications (notification_id)
                WHERE status = 'delivered' AND sink_written = 0;
            """)

    /// The service's migrations, in version order.
    public static let all: [Migration] = [createTables]
}
