import EventContracts
import HTTPServer
import ServiceKit
import SQLite

extension OrderAPI {
    /// What `POST /orders` did.
    private enum Placement {
        /// A new order was created (and `OrderPlaced` enqueued).
        case created(OrderDetails)
        /// The idempotency key was seen with the same request: the earlier order, unchanged.
        case replayed(OrderDetails)
    }

    /// `POST /orders` `{"memberId","items":[{"drink","size","quantity"}]}` with an optional
    /// `Idempotency-Key` header → 201 with the order JSON and a `Location` header; emits
    /// `OrderPlaced` (key and correlation id: the order id, or `X-Correlation-Id` when sent).
    ///
    /// A key seen before (within the retention) with the same request (same canonical body)
    /// answers 200 with that order as it is now and `Idempotent-Replayed: true`, creating
    /// nothing; with a different request it is a 422 "idempotency key reused with a different
    /// request". Keys are global, not per member. 400 malformed JSON, wrong types or a bad
    /// header; 422 invalid content or an unknown member. Everything — order, lines, history,
    /// key, outbox row — is one transaction (one fsync).
    func placeOrder(_ request: HTTPRequest) throws -> HTTPResponse {
        let order = try OrderRequest.parse(request.body, menu: settings.menu)
        let key = try Self.headerId(Self.idempotencyKeyHeader, in: request)
        let correlationHeader = try Self.headerId(Self.correlationIdHeader, in: request)
        let fingerprint = order.fingerprint
        let now = settings.nowMillis()
        let placement: Placement = try context.write { db in
            let store = OrderStore(db: db)
            if let key, let known = try store.idempotencyKey(key) {
                if now - known.createdAtMs < settings.idempotencyRetentionMillis {
                    guard known.requestHash == fingerprint else {
                        throw APIError.unprocessable("idempotency key reused with a different request")
                    }
                    guard let details = try store.details(known.orderId) else {
                        throw CorruptRowError(message: "idempotency key \(key) names a missing order")
                    }
                    return .replayed(details)
                }
                // Expired: the key is free again.
                try store.deleteIdempotencyKey(key)
            }
            guard try store.memberExists(order.memberId) else {
                throw APIError.unprocessable("unknown member \(order.memberId)")
            }

            let orderId = settings.newId()
            let placedAt = RFC3339.format(unixMillis: now)
            let record = OrderRecord(
                orderId: orderId, memberId: order.memberId, status: .placed, placedAt: placedAt, placedAtMs: now,
                updatedAt: placedAt, readyAtMs: nil, cancellationRequested: false,
                correlationId: correlationHeader ?? orderId)
            let envelope = EventEnvelope(
                payload: OrderPlaced(orderId: orderId, memberId: order.memberId, items: order.items, placedAt: placedAt),
                correlationId: record.correlationId, eventId: settings.newId(), occurredAt: placedAt)
            try store.insert(record, items: order.items)
            let seq = try store.appendHistory(orderId, status: .placed, changed: true, event: OrderPlaced.eventType,
                                              atMs: now, eventId: envelope.eventId, note: nil)
            if let key {
                try store.insertIdempotencyKey(key, requestHash: fingerprint, orderId: orderId, atMs: now)
            }
            if purgeSchedule.claim(now: now) {
                try store.purgeIdempotencyKeys(before: now - settings.idempotencyRetentionMillis)
            }
            try Outbox.enqueue(.orderPlaced(envelope), in: db)
            let entry = HistoryEntry(seq: seq, status: .placed, changed: true, event: OrderPlaced.eventType,
                                     at: placedAt, atMs: now, eventId: envelope.eventId, note: nil)
            return .created(OrderDetails(order: record, items: order.items, history: [entry]))
        }

        switch placement {
        case .created(let details):
            context.outboxChanged()
            metrics.orderPlaced()
            var response = Self.json(OrderJSON.order(details), status: 201)
            response.headers.set("Location", "/orders/\(details.order.orderId)")
            return response
        case .replayed(let details):
            metrics.idempotentReplay()
            var response = Self.json(OrderJSON.order(details), status: 200)
            response.headers.set(Self.replayedHeader, "true")
            response.headers.set("Location", "/orders/\(details.order.orderId)")
            return response
        }
    }

    /// `GET /orders/:orderId` → 200 with the order JSON (lines and history), 404 unknown.
    func getOrder(_ orderId: String) throws -> HTTPResponse {
        // One transaction so the row, lines and history are one consistent view.
        let details = try context.database.transaction { db in try OrderStore(db: db).details(orderId) }
        guard let details else { throw APIError.notFound("unknown order \(orderId)") }
        return Self.json(OrderJSON.order(details))
    }

    /// The body of a cancellation request: an optional reason.
    private struct CancelBody: Decodable {
        var reason: String?
    }

    /// Longest cancellation reason accepted, in characters.
    static let maxReasonLength = 500

    /// `POST /orders/:orderId/cancel` (body optional: `{"reason"}`) → 202
    /// `{"orderId","status","cancellationRequested":true}`.
    ///
    /// The first request for a `PLACED` or `BREWING` order sets the flag, adds a history entry
    /// and emits `OrderCancellationRequested`; the barista decides (`OrderCancelled` or
    /// `CancellationRejected`). A repeated request while the flag is set answers 202 again
    /// without a second event. `READY`, `COMPLETED`, `CANCELLED` or `FAILED` → 409 naming the
    /// status; unknown order → 404; malformed body → 400; reason over 500 characters → 422.
    func cancelOrder(_ orderId: String, request: HTTPRequest) throws -> HTTPResponse {
        let body = try RequestBody.decode(CancelBody.self, from: request.body, emptyValue: CancelBody())
        let reason = body.reason.map(\.trimmingWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        if let reason, reason.count > Self.maxReasonLength {
            throw APIError.unprocessable("reason must be at most \(Self.maxReasonLength) characters")
        }
        let now = settings.nowMillis()
        let (order, published): (OrderRecord, Bool) = try context.write { db in
            let store = OrderStore(db: db)
            guard var order = try store.order(orderId) else { throw APIError.notFound("unknown order \(orderId)") }
            guard order.status.isWithBarista else {
                throw APIError.conflict("order \(orderId) is \(order.status.rawValue); it can no longer be cancelled")
            }
            guard !order.cancellationRequested else { return (order, false) }
            let updatedAt = RFC3339.format(unixMillis: now)
            let envelope = EventEnvelope(
                payload: OrderCancellationRequested(orderId: orderId, reason: reason),
                correlationId: order.correlationId, eventId: settings.newId(), occurredAt: updatedAt)
            _ = try store.markCancellationRequested(orderId, updatedAt: updatedAt)
            try store.appendHistory(orderId, status: order.status, changed: false,
                                    event: OrderCancellationRequested.eventType, atMs: now,
                                    eventId: envelope.eventId, note: reason.map { "reason: \($0)" })
            try Outbox.enqueue(.orderCancellationRequested(envelope), in: db)
            order.cancellationRequested = true
            order.updatedAt = updatedAt
            return (order, true)
        }
        if published {
            context.outboxChanged()
            metrics.cancellationRequested()
        }
        return Self.json(.object([
            ("orderId", .string(order.orderId)),
            ("status", .string(order.status.rawValue)),
            ("cancellationRequested", .bool(true)),
        ]), status: 202)
    }

    /// `POST /orders/:orderId/pickup` → 200 with the order JSON.
    ///
    /// A `READY` order becomes `COMPLETED` (history entry, `OrderPickedUp` emitted); a
    /// `COMPLETED` one answers 200 again without a second event; any other status → 409 naming
    /// it; unknown order → 404.
    func pickUpOrder(_ orderId: String) throws -> HTTPResponse {
        let now = settings.nowMillis()
        let (details, published): (OrderDetails, Bool) = try context.write { db in
            let store = OrderStore(db: db)
            guard let order = try store.order(orderId) else { throw APIError.notFound("unknown order \(orderId)") }
            switch order.status {
            case .completed:
                break
            case .ready:
                let at = RFC3339.format(unixMillis: now)
                let envelope = EventEnvelope(
                    payload: OrderPickedUp(orderId: orderId), correlationId: order.correlationId,
                    eventId: settings.newId(), occurredAt: at)
                guard try store.updateStatus(orderId, from: .ready, to: .completed, updatedAt: at, readyAtMs: nil) else {
                    throw CorruptRowError(message: "order \(orderId) changed status inside a transaction")
                }
                try store.appendHistory(orderId, status: .completed, changed: true, event: OrderPickedUp.eventType,
                                        atMs: now, eventId: envelope.eventId, note: nil)
                try Outbox.enqueue(.orderPickedUp(envelope), in: db)
            case .placed, .brewing, .cancelled, .failed:
                throw APIError.conflict(
                    "order \(orderId) is \(order.status.rawValue); only a READY order can be picked up")
            }
            guard let details = try store.details(orderId) else {
                throw CorruptRowError(message: "order \(orderId) vanished inside a transaction")
            }
            return (details, order.status == .ready)
        }
        if published {
            context.outboxChanged()
            metrics.pickedUp()
        }
        return Self.json(OrderJSON.order(details))
    }
}
