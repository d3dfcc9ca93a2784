public import SQLite

/// The order-service's tables (versions from 100; the chassis owns 1–99).
///
/// Times are stored twice: RFC 3339 UTC text with milliseconds (`*_at`) for people and the
/// API, and Unix milliseconds (`*_ms`) for arithmetic and ordering. Once shipped, a migration
/// never changes; add a new one instead.
public enum OrderServiceMigrations {
    /// 100: registered members.
    public static let createMembers = Migration(
        version: 100, name: "order_create_members",
        sql: """
            CREATE TABLE members (
                member_id     TEXT PRIMARY KEY,
                name          TEXT NOT NULL,
                email         TEXT NOT NULL,
                phone         TEXT,
                created_at    TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL
            );
            """)

    /// 101: orders and their lines. `status` is the barista's decision as seen through events
    /// (or COMPLETED after pick-up); `correlation_id` is copied onto every later event of the
    /// order; `ready_at_ms` is when the barista reported it ready.
    public static let createOrders = Migration(
        version: 101, name: "order_create_orders",
        sql: """
            CREATE TABLE orders (
                order_id               TEXT PRIMARY KEY,
                member_id              TEXT NOT NULL REFERENCES members (member_id),
                status                 TEXT NOT NULL CHECK (status IN
                                           ('PLACED', 'BREWING', 'READY', 'COMPLETED', 'CANCELLED', 'FAILED')),
                placed_at              TEXT NOT NULL,
                placed_at_ms           INTEGER NOT NULL,
                updated_at             TEXT NOT NULL,
                ready_at_ms            INTEGER,
                cancellation_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancellation_requested IN (0, 1)),
                correlation_id         TEXT NOT NULL
            );
            CREATE INDEX orders_by_member ON orders (member_id, placed_at_ms);
            CREATE INDEX orders_by_status ON orders (status);
            CREATE TABLE order_items (
                order_id TEXT NOT NULL REFERENCES orders (order_id),
                line     INTEGER NOT NULL,
                drink    TEXT NOT NULL,
                size     TEXT NOT NULL CHECK (size IN ('small', 'medium', 'large')),
                quantity INTEGER NOT NULL CHECK (quantity >= 1),
                PRIMARY KEY (order_id, line)
            ) WITHOUT ROWID;
            """)

    /// 102: what happened to each order, in order (`seq` from 1). `status` is the order's status
    /// after the entry; `changed` is 1 when the entry moved the status; `event` is the event
    /// type (`OrderPlaced`, `OrderReady`, …); `event_id` the consumed or published event's id.
    public static let createOrderHistory = Migration(
        version: 102, name: "order_create_order_history",
        sql: """
            CREATE TABLE order_history (
                order_id TEXT NOT NULL REFERENCES orders (order_id),
                seq      INTEGER NOT NULL,
                status   TEXT NOT NULL,
                changed  INTEGER NOT NULL CHECK (changed IN (0, 1)),
                event    TEXT NOT NULL,
                at       TEXT NOT NULL,
                at_ms    INTEGER NOT NULL,
                event_id TEXT,
                note     TEXT,
                PRIMARY KEY (order_id, seq)
            ) WITHOUT ROWID;
            """)

    /// 103: idempotency keys of `POST /orders`: the key, the fingerprint of the request it
    /// came with (`RequestHash`), and the order it created.
    public static let createIdempotencyKeys = Migration(
        version: 103, name: "order_create_idempotency_keys",
        sql: """
            CREATE TABLE idempotency_keys (
                key           TEXT PRIMARY KEY,
                request_hash  TEXT NOT NULL,
                order_id      TEXT NOT NULL REFERENCES orders (order_id),
                created_at    TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL
            );
            CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at_ms);
            """)

    /// The service's migrations in version order.
    public static let all: [Migration] = [createMembers, createOrders, createOrderHistory, createIdempotencyKeys]
}
