import EventContracts

/// A registered member, as stored in `members`. Value type.
struct MemberRecord: Sendable, Equatable {
    /// The member's id (a UUID unless settings say otherwise).
    var memberId: String
    /// Display name, trimmed, 1…100 characters.
    var name: String
    /// E-mail address, trimmed: one `@` with text on both sides, no whitespace, ≤ 254 characters.
    var email: String
    /// Phone number, trimmed, 1…32 characters, or nil.
    var phone: String?
    /// Registration time, RFC 3339 UTC.
    var createdAt: String
    /// Registration time, Unix milliseconds.
    var createdAtMs: Int64
}

/// One order's row in `orders`. Value type.
struct OrderRecord: Sendable, Equatable {
    /// The order's id.
    var orderId: String
    /// The member who placed it.
    var memberId: String
    /// The current status.
    var status: OrderStatus
    /// When it was placed, RFC 3339 UTC.
    var placedAt: String
    /// When it was placed, Unix milliseconds.
    var placedAtMs: Int64
    /// When the row last changed, RFC 3339 UTC.
    var updatedAt: String
    /// When the barista reported it ready (the `OrderReady` event's `occurredAt`), Unix ms.
    var readyAtMs: Int64?
    /// Whether the customer asked to cancel it.
    var cancellationRequested: Bool
    /// The correlation id copied onto every event about the order.
    var correlationId: String
}

/// One entry of an order's history (`order_history`). Value type.
struct HistoryEntry: Sendable, Equatable {
    /// Position in the order's history, from 1.
    var seq: Int
    /// The order's status after the entry.
    var status: OrderStatus
    /// Whether the entry moved the status (false for notes and ignored events).
    var changed: Bool
    /// The event type the entry records (`OrderPlaced`, `OrderReady`, …).
    var event: String
    /// When it happened, RFC 3339 UTC.
    var at: String
    /// When it happened, Unix milliseconds.
    var atMs: Int64
    /// The id of the consumed or published event, if any.
    var eventId: String?
    /// A free-text remark (a reason, "ignored: …"), if any.
    var note: String?
}

/// An order with its lines and history. Value type.
struct OrderDetails: Sendable, Equatable {
    /// The order's row.
    var order: OrderRecord
    /// Its lines, in order.
    var items: [OrderItem]
    /// Its history, oldest first.
    var history: [HistoryEntry]
}

/// A stored value that does not decode (e.g. an unknown status): the database was changed by
/// something other than this service. Value type.
struct CorruptRowError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    var message: String
    var description: String { "corrupt order-service row: \(message)" }
}
