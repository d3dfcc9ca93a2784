/// The coffee board's JSON (the data of `GET /board/events` and `GET /board/snapshot`).
///
/// A card: `{"orderId","status","customer","items","placedAtMs","barista","cancellationRequested"}`.
/// An activity entry: `{"seq","orderId","customer","status","event","atMs","note"}`.
/// Totals: `{"counts":{"PLACED":n,…},"queueDepth"}` with every status present.
enum BoardJSON {
    /// The `snapshot` event: `{"version","nowMs","counts","queueDepth","cards","activity"}`.
    static func snapshot(_ snapshot: BoardSnapshot) -> JSONValue {
        .object([
            ("version", .integer(snapshot.version)),
            ("nowMs", .int(snapshot.nowMs)),
            ("counts", counts(snapshot.counts)),
            ("queueDepth", .integer(snapshot.queueDepth)),
            ("cards", .array(snapshot.cards.map(card))),
            ("activity", .array(snapshot.activity.map(activity))),
        ])
    }

    /// The `change` event: `{"version","nowMs","counts","queueDepth","upserted","removed","activity"}`.
    static func change(_ change: BoardChange) -> JSONValue {
        .object([
            ("version", .integer(change.version)),
            ("nowMs", .int(change.nowMs)),
            ("counts", counts(change.counts)),
            ("queueDepth", .integer(change.counts[.placed] ?? 0)),
            ("upserted", .array(change.upserted.map(card))),
            ("removed", .array(change.removed.map { .string($0) })),
            ("activity", .array(change.activity.map(activity))),
        ])
    }

    /// One card.
    static func card(_ card: BoardOrder) -> JSONValue {
        .object([
            ("orderId", .string(card.orderId)),
            ("status", .string(card.status.rawValue)),
            ("customer", .string(card.customer)),
            ("items", .string(card.items)),
            ("placedAtMs", .int(card.placedAtMs)),
            ("barista", .optional(card.barista)),
            ("cancellationRequested", .bool(card.cancellationRequested)),
        ])
    }

    /// One activity entry.
    static func activity(_ entry: BoardActivity) -> JSONValue {
        .object([
            ("seq", .integer(entry.seq)),
            ("orderId", .string(entry.orderId)),
            ("customer", .string(entry.customer)),
            ("status", .string(entry.status.rawValue)),
            ("event", .string(entry.event)),
            ("atMs", .int(entry.atMs)),
            ("note", .optional(entry.note)),
        ])
    }

    private static func counts(_ counts: [OrderStatus: Int]) -> JSONValue {
        .object(BoardSnapshot.columns.map { ($0.rawValue, .integer(counts[$0] ?? 0)) })
    }
}
