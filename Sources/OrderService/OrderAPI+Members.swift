import EventContracts
import HTTPServer
import ServiceKit

extension OrderAPI {
    /// `POST /members` `{"name","email","phone"?}` → 201 with the member JSON and a `Location`
    /// header; emits `MemberRegistered` (keyed by the member id; correlation id from
    /// `X-Correlation-Id` or the member id). 400 malformed JSON or wrong types, 422 invalid fields.
    func registerMember(_ request: HTTPRequest) throws -> HTTPResponse {
        let registration = try MemberRegistration.parse(request.body)
        let correlationHeader = try Self.headerId(Self.correlationIdHeader, in: request)
        let now = settings.nowMillis()
        let member = MemberRecord(
            memberId: settings.newId(), name: registration.name, email: registration.email,
            phone: registration.phone, createdAt: RFC3339.format(unixMillis: now), createdAtMs: now)
        let event = CoffeeEvent.memberRegistered(EventEnvelope(
            payload: MemberRegistered(memberId: member.memberId, name: member.name, email: member.email,
                                      phone: member.phone),
            correlationId: correlationHeader ?? member.memberId, eventId: settings.newId(),
            occurredAt: member.createdAt))
        try context.write { db in
            try OrderStore(db: db).insert(member)
            try Outbox.enqueue(event, in: db)
        }
        context.outboxChanged()
        metrics.memberRegistered()
        var response = Self.json(OrderJSON.member(member), status: 201)
        response.headers.set("Location", "/members/\(member.memberId)")
        return response
    }

    /// `GET /members/:memberId` → 200 member JSON, 404 unknown.
    func getMember(_ memberId: String) throws -> HTTPResponse {
        guard let member = try OrderStore(db: context.database).member(memberId) else {
            throw APIError.notFound("unknown member \(memberId)")
        }
        return Self.json(OrderJSON.member(member))
    }

    /// `GET /members/:memberId/orders` → 200 `{"orders":[summary…]}` newest first, 404 unknown member.
    func listOrders(ofMember memberId: String) throws -> HTTPResponse {
        // Members are never deleted, so the two reads need no transaction between them.
        let store = OrderStore(db: context.database)
        guard try store.memberExists(memberId) else { throw APIError.notFound("unknown member \(memberId)") }
        let orders = try store.orders(ofMember: memberId)
        return Self.json(.object([("orders", .array(orders.map { OrderJSON.summary($0.order, drinks: $0.drinks) }))]))
    }
}
