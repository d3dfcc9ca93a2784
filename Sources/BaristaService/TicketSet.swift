public import SQLite

/// One order's ticket set as the barista sees it: the `barista_orders` row and its tickets.
/// Value type; a snapshot read in one query pair.
public struct TicketSet: Sendable, Equatable {
    /// One ticket (one drink unit).
    public struct Ticket: Sendable, Equatable {
        /// `<orderId>-<n>`, n counting from 1 in item order.
        public var ticketId: String
        /// The drink's menu name.
        public var drink: String
        /// `small`, `medium` or `large`.
        public var size: String
        /// Where the ticket is.
        public var status: TicketStatus
        /// `barista-<n>` once started.
        public var barista: String?
        /// When a barista started it (Unix ms).
        public var startedAtMs: Int64?
        /// When it is (or was) done (Unix ms).
        public var finishAtMs: Int64?
    }

    /// The order id.
    public var orderId: String
    /// The ordering member.
    public var memberId: String
    /// The barista's status of the order.
    public var status: OrderStatus
    /// The correlation id copied from `OrderPlaced`.
    public var correlationId: String?
    /// Why the order failed (`FAILED` only).
    public var failureReason: String?
    /// When `OrderPlaced` was handled (Unix ms).
    public var receivedAtMs: Int64
    /// When the first ticket started (Unix ms).
    public var brewingStartedAtMs: Int64?
    /// When the last ticket was done (Unix ms).
    public var readyAtMs: Int64?
    /// When the order was cancelled (Unix ms).
    public var cancelledAtMs: Int64?
    /// Whether the customer picked it up.
    public var pickedUp: Bool
    /// The tickets in FIFO order (empty for a failed order).
    public var tickets: [Ticket]

    /// The ticket set of `orderId`, or nil when the barista never saw that order.
    public static func load(orderId: String, from db: Database) throws -> TicketSet? {
        try db.transaction { db -> TicketSet? in
            guard let row = try db.query(
                "SELECT order_id, member_id, status, correlation_id, failure_reason, received_at_ms, "
                    + "brewing_started_at_ms, ready_at_ms, cancelled_at_ms, picked_up FROM barista_orders WHERE order_id = ?",
                .text(orderId)).first
            else { return nil }
            let tickets = try db.query(
                "SELECT ticket_id, drink, size, status, barista, started_at_ms, finish_at_ms FROM tickets "
                    + "WHERE order_id = ? ORDER BY ticket_no", .text(orderId)
            ).map { ticket in
                let text = try ticket.text("status")
                guard let status = TicketStatus(rawValue: text) else {
                    throw BaristaStoreError(message: "tickets.status holds unknown value '\(text)'")
                }
                return Ticket(
                    ticketId: try ticket.text("ticket_id"), drink: try ticket.text("drink"), size: try ticket.text("size"),
                    status: status, barista: ticket["barista"]?.textValue,
                    startedAtMs: ticket["started_at_ms"]?.int64Value, finishAtMs: ticket["finish_at_ms"]?.int64Value)
            }
            return TicketSet(
                orderId: try row.text("order_id"), memberId: try row.text("member_id"),
                status: try OrderDesk.status(of: row), correlationId: row["correlation_id"]?.textValue,
                failureReason: row["failure_reason"]?.textValue, receivedAtMs: try row.int64("received_at_ms"),
                brewingStartedAtMs: row["brewing_started_at_ms"]?.int64Value, readyAtMs: row["ready_at_ms"]?.int64Value,
                cancelledAtMs: row["cancelled_at_ms"]?.int64Value, pickedUp: try row.bool("picked_up"), tickets: tickets)
        }
    }

    /// The JSON body of `GET /tickets/{orderId}`:
    /// `{"orderId","memberId","status","correlationId","failureReason","receivedAt","receivedAtMs",
    /// "brewingStartedAt","brewingStartedAtMs","readyAt","readyAtMs","cancelledAt","cancelledAtMs",
    /// "pickedUp","tickets":[{"ticketId","drink","size","status","barista","startedAtMs","finishAtMs"}]}`
    /// (absent values are `null`).
    public var json: String {
        var object = JSONObjectText()
        object.string("orderId", orderId)
        object.string("memberId", memberId)
        object.string("status", status.rawValue)
        object.string("correlationId", correlationId)
        object.string("failureReason", failureReason)
        object.time("receivedAt", receivedAtMs)
        object.time("brewingStartedAt", brewingStartedAtMs)
        object.time("readyAt", readyAtMs)
        object.time("cancelledAt", cancelledAtMs)
        object.bool("pickedUp", pickedUp)
        let tickets = tickets.map { ticket in
            var item = JSONObjectText()
            item.string("ticketId", ticket.ticketId)
            item.string("drink", ticket.drink)
            item.string("size", ticket.size)
            item.string("status", ticket.status.rawValue)
            item.string("barista", ticket.barista)
            item.int("startedAtMs", ticket.startedAtMs)
            item.int("finishAtMs", ticket.finishAtMs)
            return item.json
        }
        object.raw("tickets", "[" + tickets.joined(separator: ",") + "]")
        return object.json
    }
}
