public import SQLite

/// The inbox: which consumed event ids have been handled, for exactly-once effects.
///
/// Call `markHandled` inside the handler's transaction, before doing the work: false means
/// the event was handled before (a redelivery) and the work must be skipped.
public enum Inbox {
    /// Records `eventId` as handled; returns false (and changes nothing) when it already was.
    public static func markHandled(
        eventId: String, topic: String, partition: Int32, offset: Int64, in db: Database
    ) throws(SQLiteError) -> Bool {
        let changed = try db.run(
            "INSERT OR IGNORE INTO inbox (event_id, topic, partition, offset, handled_at) "
                + "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            .text(eventId), .text(topic), .integer(Int64(partition)), .integer(offset))
        return changed > 0
    }

    /// Whether `eventId` has been handled.
    public static func contains(eventId: String, in db: Database) throws(SQLiteError) -> Bool {
        !(try db.scalar("SELECT 1 FROM inbox WHERE event_id = ?", .text(eventId))).isNull
    }

    /// How many events the inbox records.
    public static func count(in db: Database) throws(SQLiteError) -> Int {
        try db.scalar("SELECT COUNT(*) FROM inbox").intValue ?? 0
    }
}
