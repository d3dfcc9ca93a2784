public import SQLite
import ServiceKit

/// The barista-service's tables, numbered from `ServiceKitMigrations.firstServiceVersion`.
///
/// `barista_orders`: one row per order id ever placed (the "ticket set" head). `seq` is the
/// arrival order. `ticket_count` is the number of tickets (0 for a failed order) and
/// `tickets_done` how many of them are done, so the scheduler knows when an order is ready
/// without counting. Times are Unix milliseconds.
///
/// `tickets`: one row per drink unit (quantity 2 → two rows), inserted when the order arrives,
/// in item order; each was requested on the brewing queue (`DrinkRequested`) in the same
/// transaction. `ticket_id` is `<orderId>-<ticket_no>`, `ticket_no` counting from 1.
/// `barista` is the worker that last started (or brewed) it, `started_at_ms`/`finish_at_ms`
/// when the desk learnt it started and finished, `attempts` the delivery count the worker
/// reported. The partial indexes keep the queued and brewing sets cheap to count however many
/// tickets are done.
public enum BaristaMigrations {
    /// 100: `barista_orders` and `tickets`.
    public static let createTables = Migration(
        version: ServiceKitMigrations.firstServiceVersion, name: "barista_create_orders_and_tickets",
        sql: """
            CREATE TABLE barista_orders (
                seq                   INTEGER PRIMARY KEY,
                order_id              TEXT NOT NULL UNIQUE,
                member_id             TEXT NOT NULL,
                status                TEXT NOT NULL
                    CHECK (status IN ('QUEUED', 'BREWING', 'READY', 'CANCELLED', 'FAILED')),
                correlation_id        TEXT,
                failure_reason        TEXT,
                ticket_count          INTEGER NOT NULL,
                tickets_done          INTEGER NOT NULL DEFAULT 0,
                received_at_ms        INTEGER NOT NULL,
                brewing_started_at_ms INTEGER,
                ready_at_ms           INTEGER,
                cancelled_at_ms       INTEGER,
                picked_up             INTEGER NOT NULL DEFAULT 0,
                picked_up_at_ms       INTEGER
            );
            CREATE TABLE tickets (
                seq           INTEGER PRIMARY KEY,
                ticket_id     TEXT NOT NULL,
                order_id      TEXT NOT NULL REFERENCES barista_orders (order_id),
                ticket_no     INTEGER NOT NULL,
                drink         TEXT NOT NULL,
                size          TEXT NOT NULL,
                status        TEXT NOT NULL CHECK (status IN ('queued', 'brewing', 'done', 'cancelled')),
                barista       TEXT,
                started_at_ms INTEGER,
                finish_at_ms  INTEGER,
                UNIQUE (order_id, ticket_no)
            );
            CREATE INDEX tickets_queued ON tickets (seq) WHERE status = 'queued';
            CREATE INDEX tickets_brewing ON tickets (finish_at_ms) WHERE status = 'brewing';
            """)

    /// 101: brewing moves to the queue. Tickets may now end `failed` (a drink the workers gave
    /// up on), remember how many deliveries their drink had (`attempts`) and which worker
    /// brewed it (`barista`), and are found by `ticket_id` (unique). The table is rebuilt
    /// because SQLite cannot change a CHECK constraint in place; rows are kept as they were.
    public static let brewingQueue = Migration(
        version: ServiceKitMigrations.firstServiceVersion + 1, name: "barista_tickets_for_the_brewing_queue",
        sql: """
            CREATE TABLE tickets_queue (
                seq           INTEGER PRIMARY KEY,
                ticket_id     TEXT NOT NULL UNIQUE,
                order_id      TEXT NOT NULL REFERENCES barista_orders (order_id),
                ticket_no     INTEGER NOT NULL,
                drink         TEXT NOT NULL,
                size          TEXT NOT NULL,
                status        TEXT NOT NULL CHECK (status IN ('queued', 'brewing', 'done', 'cancelled', 'failed')),
                barista       TEXT,
                started_at_ms INTEGER,
                finish_at_ms  INTEGER,
                attempts      INTEGER NOT NULL DEFAULT 0,
                UNIQUE (order_id, ticket_no)
            );
            INSERT INTO tickets_queue (seq, ticket_id, order_id, ticket_no, drink, size, status, barista, started_at_ms, finish_at_ms)
                SELECT seq, ticket_id, order_id, ticket_no, drink, size, status, barista, started_at_ms, finish_at_ms FROM tickets;
            DROP TABLE tickets;
            ALTER TABLE tickets_queue RENAME TO tickets;
            CREATE INDEX tickets_queued ON tickets (seq) WHERE status = 'queued';
            CREATE INDEX tickets_brewing ON tickets (seq) WHERE status = 'brewing';
            CREATE INDEX tickets_by_barista ON tickets (barista) WHERE status = 'done';
            """)

    /// The service's migrations, in version order.
    public static let all: [Migration] = [createTables, brewingQueue]
}
