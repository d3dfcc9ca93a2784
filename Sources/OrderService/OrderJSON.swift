import EventContracts

/// The API's JSON shapes of members, orders, summaries and history entries. Pure.
enum OrderJSON {
    /// `{"memberId","name","email","phone":string|null,"createdAt"}`.
    static func member(_ member: MemberRecord) -> JSONValue {
        .object([
            ("memberId", .string(member.memberId)),
            ("name", .string(member.name)),
            ("email", .string(member.email)),
            ("phone", .optional(member.phone)),
            ("createdAt", .string(member.createdAt)),
        ])
    }

    /// `{"drink","size","quantity"}`.
    static func item(_ item: OrderItem) -> JSONValue {
        .object([("drink", .string(item.drink)), ("size", .string(item.size.rawValue)),
                 ("quantity", .integer(item.quantity))])
    }

    /// `{"seq","status","event","at","atMs","eventId"?,"note"?}` (absent fields omitted).
    static func historyEntry(_ entry: HistoryEntry) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("seq", .integer(entry.seq)),
            ("status", .string(entry.status.rawValue)),
            ("event", .string(entry.event)),
            ("at", .string(entry.at)),
            ("atMs", .int(entry.atMs)),
        ]
        if let eventId = entry.eventId { fields.append(("eventId", .string(eventId))) }
        if let note = entry.note { fields.append(("note", .string(note))) }
        return .object(fields)
    }

    /// The full order: `{"orderId","memberId","status","items":[…],"placedAt","placedAtMs",
    /// "updatedAt","readyAtMs":int|null,"cancellationRequested","correlationId","history":[…]}`.
    static func order(_ details: OrderDetails) -> JSONValue {
        let order = details.order
        return .object([
            ("orderId", .string(order.orderId)),
            ("memberId", .string(order.memberId)),
            ("status", .string(order.status.rawValue)),
            ("items", .array(details.items.map(item))),
            ("placedAt", .string(order.placedAt)),
            ("placedAtMs", .int(order.placedAtMs)),
            ("updatedAt", .string(order.updatedAt)),
            ("readyAtMs", .optional(order.readyAtMs)),
            ("cancellationRequested", .bool(order.cancellationRequested)),
            ("correlationId", .string(order.correlationId)),
            ("history", .array(details.history.map(historyEntry))),
        ])
    }

    /// One line of a member's order list: `{"orderId","memberId","status","placedAt",
    /// "placedAtMs","readyAtMs":int|null,"cancellationRequested","drinks"}` (`drinks` is the
    /// total quantity).
    static func summary(_ order: OrderRecord, drinks: Int) -> JSONValue {
        .object([
            ("orderId", .string(order.orderId)),
            ("memberId", .string(order.memberId)),
            ("status", .string(order.status.rawValue)),
            ("placedAt", .string(order.placedAt)),
            ("placedAtMs", .int(order.placedAtMs)),
            ("readyAtMs", .optional(order.readyAtMs)),
            ("cancellationRequested", .bool(order.cancellationRequested)),
            ("drinks", .integer(drinks)),
        ])
    }

    /// One order of `/admin/snapshot`: `{"orderId","memberId","status","placedAtMs",
    /// "readyAtMs":int|null,"cancellationRequested","historyStatuses":[…]}`.
    static func snapshotOrder(_ order: OrderRecord, path: [OrderStatus]) -> JSONValue {
        .object([
            ("orderId", .string(order.orderId)),
            ("memberId", .string(order.memberId)),
            ("status", .string(order.status.rawValue)),
            ("placedAtMs", .int(order.placedAtMs)),
            ("readyAtMs", .optional(order.readyAtMs)),
            ("cancellationRequested", .bool(order.cancellationRequested)),
            ("historyStatuses", .array(path.map { .string($0.rawValue) })),
        ])
    }
}
