import Testing
import Foundation
import EventContracts
@testable import OrderService

@Suite struct PlaceOrderTests {
    @Test func placeOrderStoresItAndEmitsOrderPlaced() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let before = try h.counts()
        let body = #"{"memberId": "\#(member)", "items": [{"drink": " Latte", "size": "LARGE", "quantity": 2}, {"drink": "flat white", "size": "small", "quantity": 1}], "note": "extra field"}"#
        let response = h.post("/orders", body)
        #expect(response.status == 201, "\(response.text)")
        let orderId = try #require(response.string("orderId"))
        #expect(response.headers["Location"] == "/orders/\(orderId)")
        #expect(response.string("memberId") == member)
        #expect(response.string("status") == "PLACED")
        #expect(response.string("placedAt") == "2025-03-14T08:05:42.918Z")
        #expect(response.int("placedAtMs") == 1_741_939_542_918)
        #expect(response.json["readyAtMs"] is NSNull)
        #expect(response.bool("cancellationRequested") == false)
        #expect(response.string("correlationId") == orderId)
        let items = response.array("items")
        #expect(items.count == 2)
        #expect(items.first?["drink"] as? String == "latte")
        #expect(items.first?["size"] as? String == "large")
        #expect(items.first?["quantity"] as? Int == 2)
        let history = response.array("history")
        #expect(history.count == 1)
        #expect(history.first?["status"] as? String == "PLACED")
        #expect(history.first?["event"] as? String == "OrderPlaced")
        #expect(history.first?["atMs"] as? Int == 1_741_939_542_918)

        var expected = before
        expected.orders += 1
        expected.items += 2
        expected.history += 1
        expected.outbox += 1
        #expect(try h.counts() == expected)

        let row = try #require(try h.published().last)
        #expect(row.topic == "coffee.orders")
        #expect(row.key == orderId)
        #expect(row.headers["type"] == "OrderPlaced")
        #expect(row.headers["schemaVersion"] == "1")
        #expect(row.headers["correlationId"] == orderId)
        guard case .orderPlaced(let envelope) = row.event else {
            Issue.record("expected OrderPlaced, got \(row.event)")
            return
        }
        #expect(envelope.aggregateId == orderId)
        #expect(envelope.correlationId == orderId)
        #expect(envelope.payload == OrderPlaced(
            orderId: orderId, memberId: member,
            items: [OrderItem(drink: "latte", size: .large, quantity: 2), OrderItem(drink: "flat white", size: .small, quantity: 1)],
            placedAt: "2025-03-14T08:05:42.918Z"))
        #expect(history.first?["eventId"] as? String == envelope.eventId)
        // The GET shows the same order.
        let fetched = h.get("/orders/\(orderId)")
        #expect(fetched.status == 200)
        #expect(fetched.text == response.text)
    }

    @Test func correlationIdHeaderIsCopiedToTheOrder() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let response = h.post("/orders", OrderServiceHarness.orderBody(memberId: member), headers: [("X-Correlation-Id", "flow-9")])
        #expect(response.string("correlationId") == "flow-9")
        #expect(try h.published().last?.event.correlationId == "flow-9")
    }

    static let tooManyLines = "[" + Array(repeating: #"{"drink": "tea", "size": "small", "quantity": 1}"#, count: Menu.maxLines + 1)
        .joined(separator: ",") + "]"
    static let maxLines = "[" + Array(repeating: #"{"drink": "tea", "size": "small", "quantity": 10}"#, count: Menu.maxLines)
        .joined(separator: ",") + "]"

    @Test(arguments: [
        (#"{"memberId": "ghost", "items": [{"drink": "latte", "size": "small", "quantity": 1}]}"#, "unknown member ghost"),
        (#"{"memberId": "$M", "items": [{"drink": "unicorn tears", "size": "small", "quantity": 1}]}"#, "unknown drink 'unicorn tears'"),
        (#"{"memberId": "$M", "items": []}"#, "items must not be empty"),
        (#"{"memberId": "$M"}"#, "items is required"),
        (#"{"items": [{"drink": "latte", "size": "small", "quantity": 1}]}"#, "memberId is required"),
        (#"{"memberId": " ", "items": [{"drink": "latte", "size": "small", "quantity": 1}]}"#, "memberId must not be blank"),
        (#"{"memberId": "$M", "items": \#(PlaceOrderTests.tooManyLines)}"#, "order too large"),
        (#"{"memberId": "$M", "items": [{"drink": "latte", "size": "small", "quantity": 11}]}"#, "order too large"),
        (#"{"memberId": "$M", "items": [{"drink": "latte", "size": "small", "quantity": 0}]}"#, "items[0].quantity must be at least 1"),
        (#"{"memberId": "$M", "items": [{"drink": "latte", "size": "small", "quantity": -3}]}"#, "items[0].quantity must be at least 1"),
        (#"{"memberId": "$M", "items": [{"drink": "latte", "size": "huge", "quantity": 1}]}"#, "items[0].size must be small, medium or large"),
        (#"{"memberId": "$M", "items": [{"drink": "latte", "quantity": 1}]}"#, "items[0].size is required"),
        (#"{"memberId": "$M", "items": [{"drink": "latte", "size": "small"}]}"#, "items[0].quantity is required"),
        (#"{"memberId": "$M", "items": [{"drink": "tea", "size": "small", "quantity": 1}, {"size": "small", "quantity": 1}]}"#, "items[1].drink is required"),
    ])
    func invalidOrdersAre422AndWriteNothing(template: String, message: String) throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let before = try h.counts()
        let response = h.post("/orders", template.replacingOccurrences(of: "$M", with: member),
                              headers: [("Idempotency-Key", "k-1")])
        #expect(response.status == 422, "\(response.text)")
        #expect(response.error?.contains(message) == true, "\(response.text)")
        #expect(try h.counts() == before)
    }

    @Test(arguments: [
        "", "{", "not json", "[]", #"{"memberId": 7, "items": []}"#, #"{"memberId": "$M", "items": {"drink": "latte"}}"#,
        #"{"memberId": "$M", "items": [{"drink": "latte", "size": "small", "quantity": "2"}]}"#,
        #"{"memberId": "$M", "items": [{"drink": "latte", "size": "small", "quantity": 1.5}]}"#,
        #"{"memberId": "$M", "items": [{"drink": "latte", "size": 2, "quantity": 1}]}"#,
        #"{"memberId": "$M", "items": ["latte"]}"#,
    ])
    func malformedOrdersAre400AndWriteNothing(template: String) throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let before = try h.counts()
        let response = h.post("/orders", template.replacingOccurrences(of: "$M", with: member))
        #expect(response.status == 400, "\(template) → \(response.text)")
        #expect(response.error?.isEmpty == false)
        #expect(try h.counts() == before)
    }

    @Test func theLargestOrderIsAccepted() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let response = h.post("/orders", #"{"memberId": "\#(member)", "items": \#(Self.maxLines)}"#)
        #expect(response.status == 201, "\(response.text)")
        #expect(response.array("items").count == Menu.maxLines)
    }

    @Test func everyDrinkOnTheMenuIsAccepted() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        for drink in Menu.standard.drinks {
            let response = h.post("/orders", OrderServiceHarness.orderBody(memberId: member, drink: drink.name))
            #expect(response.status == 201, "\(drink.name): \(response.text)")
        }
    }

    @Test func unknownDrinkMessageNamesTheDrinkAndTheMenu() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let response = h.post("/orders", OrderServiceHarness.orderBody(memberId: member, drink: "babyccino"))
        #expect(response.error?.hasPrefix("unknown drink 'babyccino' at items[0].drink; the menu has: espresso") == true)
    }

    @Test func getUnknownOrderIs404() throws {
        let h = try OrderServiceHarness()
        let response = h.get("/orders/nope")
        #expect(response.status == 404)
        #expect(response.error == "unknown order nope")
    }

    @Test func wrongMethodIs405() throws {
        let h = try OrderServiceHarness()
        #expect(h.request("DELETE", "/orders/x").status == 405)
        #expect(h.get("/orders/x/cancel").status == 405)
    }
}
