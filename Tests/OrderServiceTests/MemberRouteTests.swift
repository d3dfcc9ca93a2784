import Testing
import Foundation
import EventContracts
@testable import OrderService

@Suite struct MemberRouteTests {
    @Test func registerCreatesMemberAndEmitsMemberRegistered() throws {
        let h = try OrderServiceHarness()
        let response = h.post("/members", #"{"name": "  Ada Lovelace ", "email": "ada@example.com", "phone": "+44 1"}"#)
        #expect(response.status == 201)
        let id = try #require(response.string("memberId"))
        #expect(response.string("name") == "Ada Lovelace")
        #expect(response.string("email") == "ada@example.com")
        #expect(response.string("phone") == "+44 1")
        #expect(response.string("createdAt") == "2025-03-14T08:05:42.918Z")
        #expect(response.headers["Location"] == "/members/\(id)")

        let published = try h.published()
        #expect(published.count == 1)
        let row = try #require(published.first)
        #expect(row.topic == "coffee.members")
        #expect(row.key == id)
        #expect(row.headers["type"] == "MemberRegistered")
        #expect(row.headers["correlationId"] == id)
        guard case .memberRegistered(let envelope) = row.event else {
            Issue.record("expected MemberRegistered, got \(row.event)")
            return
        }
        #expect(envelope.payload == MemberRegistered(memberId: id, name: "Ada Lovelace", email: "ada@example.com", phone: "+44 1"))
        #expect(envelope.occurredAt == "2025-03-14T08:05:42.918Z")
        #expect(try h.counts().members == 1)
    }

    @Test func phoneIsOptionalAndBlankCountsAsAbsent() throws {
        let h = try OrderServiceHarness()
        for body in [#"{"name": "Bo", "email": "bo@x.io"}"#, #"{"name": "Bo", "email": "bo@x.io", "phone": "  "}"#,
                     #"{"name": "Bo", "email": "bo@x.io", "phone": null}"#] {
            let response = h.post("/members", body)
            #expect(response.status == 201)
            #expect(response.json["phone"] is NSNull)
        }
        for row in try h.published() {
            guard case .memberRegistered(let envelope) = row.event else { continue }
            #expect(envelope.payload.phone == nil)
        }
    }

    @Test func correlationIdHeaderIsUsed() throws {
        let h = try OrderServiceHarness()
        let response = h.post("/members", #"{"name": "Bo", "email": "bo@x.io"}"#, headers: [("X-Correlation-Id", "flow-7")])
        #expect(response.status == 201)
        #expect(try h.published().first?.event.correlationId == "flow-7")
    }

    @Test(arguments: [
        (#"{"email": "a@b.c"}"#, "name is required"),
        (#"{"name": "   ", "email": "a@b.c"}"#, "name must not be blank"),
        (#"{"name": "\#(String(repeating: "x", count: 101))", "email": "a@b.c"}"#, "name must be at most 100"),
        (#"{"name": "Ada"}"#, "email is required"),
        (#"{"name": "Ada", "email": "ada.example.com"}"#, "email must be an address"),
        (#"{"name": "Ada", "email": "a@b@c"}"#, "email must be an address"),
        (#"{"name": "Ada", "email": "a b@c"}"#, "email must be an address"),
        (#"{"name": "Ada", "email": "@c"}"#, "email must be an address"),
        (#"{"name": "Ada", "email": "a@\#(String(repeating: "x", count: 253))"}"#, "email must be at most 254"),
        (#"{"name": "Ada", "email": "a@b.c", "phone": "\#(String(repeating: "1", count: 33))"}"#, "phone must be at most 32"),
    ])
    func invalidFieldsAre422AndWriteNothing(body: String, message: String) throws {
        let h = try OrderServiceHarness()
        let before = try h.counts()
        let response = h.post("/members", body)
        #expect(response.status == 422)
        #expect(response.error?.contains(message) == true, "\(response.text)")
        #expect(try h.counts() == before)
    }

    @Test(arguments: [
        "", "{", "[]", "null", #""Ada""#, #"{"name": 5, "email": "a@b.c"}"#, #"{"name": "Ada", "email": ["a@b.c"]}"#,
        #"{"name": "Ada", "email": "a@b.c", "phone": 12}"#,
    ])
    func malformedBodiesAre400AndWriteNothing(body: String) throws {
        let h = try OrderServiceHarness()
        let before = try h.counts()
        let response = h.post("/members", body)
        #expect(response.status == 400, "\(body) → \(response.text)")
        #expect(response.error?.isEmpty == false)
        #expect(try h.counts() == before)
    }

    @Test func wrongTypeNamesTheField() throws {
        let h = try OrderServiceHarness()
        let response = h.post("/members", #"{"name": 5, "email": "a@b.c"}"#)
        #expect(response.error == "field 'name' must be a string")
    }

    @Test func getMember() throws {
        let h = try OrderServiceHarness()
        let id = try h.registerMember()
        let found = h.get("/members/\(id)")
        #expect(found.status == 200)
        #expect(found.string("memberId") == id)
        #expect(found.string("name") == "Ada")
        #expect(found.string("email") == "ada@example.com")
        #expect(found.json["phone"] is NSNull)

        let missing = h.get("/members/nobody")
        #expect(missing.status == 404)
        #expect(missing.error == "unknown member nobody")
    }

    @Test func listMemberOrdersNewestFirst() throws {
        let h = try OrderServiceHarness()
        let ada = try h.registerMember()
        let bo = try h.registerMember(name: "Bo", email: "bo@x.io")
        #expect(h.get("/members/\(ada)/orders").array("orders").isEmpty)

        let first = try h.placeOrder(memberId: ada)
        h.clock.advance(1_000)
        let second = h.post("/orders", #"{"memberId": "\#(ada)", "items": [{"drink": "tea", "size": "small", "quantity": 2}, {"drink": "mocha", "size": "large", "quantity": 3}]}"#)
        _ = try h.placeOrder(memberId: bo)

        let list = h.get("/members/\(ada)/orders")
        #expect(list.status == 200)
        let orders = list.array("orders")
        #expect(orders.map { $0["orderId"] as? String } == [second.string("orderId"), first])
        #expect(orders.first?["drinks"] as? Int == 5)
        #expect(orders.first?["status"] as? String == "PLACED")
        #expect(orders.first?["placedAtMs"] as? Int == Int(h.clock.now))
        #expect(orders.first?["readyAtMs"] is NSNull)
        #expect(orders.first?["cancellationRequested"] as? Bool == false)

        let missing = h.get("/members/nobody/orders")
        #expect(missing.status == 404)
        #expect(missing.error == "unknown member nobody")
    }
}
