public import SQLite

/// The schema every coffee-shop service shares: the inbox and the outbox of the worker chassis.
///
/// Version ranges: the chassis owns versions 1–99; a service appends its own migrations
/// numbered from 100 (`ServiceKitMigrations.all + [Migration(version: 100, …)]`), so chassis
/// additions never collide with service tables. Pass the combined list to `Database.migrate(_:)`.
public enum ServiceKitMigrations {
    /// The first version a service may use for its own migrations.
    public static let firstServiceVersion = 100

    /// 1: the inbox, one row per consumed event id that has been handled.
    public static let createInbox = Migration(
        version: 1, name: "servicekit_create_inbox",
        sql: """
            CREATE TABLE inbox (
                event_id   TEXT PRIMARY KEY,
                topic      TEXT NOT NULL,
                partition  INTEGER NOT NULL,
                offset     INTEGER NOT NULL,
                handled_at TEXT NOT NULL
            );
            """)

    /// 2: the outbox, events to publish, written in the handler's transaction; `sent_at` is set
    /// once the broker acknowledged the record. `headers` is `HeaderCodec`'s encoding.
    public static let createOutbox = Migration(
        version: 2, name: "servicekit_create_outbox",
        sql: """
            CREATE TABLE outbox (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id   TEXT NOT NULL UNIQUE,
                topic      TEXT NOT NULL,
                key        BLOB,
                value      BLOB NOT NULL,
                headers    BLOB NOT NULL,
                created_at TEXT NOT NULL,
                sent_at    TEXT
            );
            CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
            """)

    /// The chassis migrations, in version order (all within 1–99).
    public static let all: [Migration] = [createInbox, createOutbox]

    /// The chassis migrations followed by `service`'s, after checking that every service
    /// migration is numbered ≥ 100 (throws `MigrationError.versionsNotIncreasing` otherwise).
    public static func including(_ service: [Migration]) throws(MigrationError) -> [Migration] {
        var previous = all.last?.version ?? 0
        for migration in service {
            guard migration.version >= firstServiceVersion, migration.version > previous else {
                throw .versionsNotIncreasing(previous: max(previous, firstServiceVersion - 1), next: migration.version)
            }
            previous = migration.version
        }
        return all + service
    }
}
