import Foundation
import Testing
import EventContracts
import HTTPServer
import ServiceKit
@testable import BaristaService

@Suite struct RoutesTests {
    private func router(_ h: BaristaHarness) -> HTTPRouter {
        var router = HTTPRouter()
        h.service.addRoutes(to: &router, context: h.context)
        return router
    }

    private func getJSON(_ router: HTTPRouter, _ target: String) throws -> (Int, [String: Any]) {
        let response = router.handle(HTTPRequest(method: "GET", target: target))
        #expect(response.headers.values(for: "Content-Type") == ["application/json"])
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (response.status, try #require(object))
    }

    @Test func ticketSetOfAnOrder() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o/1", "latte", size: .small, quantity: 2, correlationId: "flow"))
        try h.deliver(Events.started("o/1", ticket: 1, worker: "worker-1"))
        let router = router(h)

        let (status, body) = try getJSON(router, "/tickets/o%2F1")
        #expect(status == 200)
        #expect(body["orderId"] as? String == "o/1")
        #expect(body["status"] as? String == "BREWING")
        #expect(body["correlationId"] as? String == "flow")
        #expect(body["receivedAtMs"] as? Int64 == h.now)
        #expect(body["receivedAt"] as? String == "2023-11-14T22:13:20.000Z")
        #expect(body["brewingStartedAtMs"] as? Int64 == h.now)
        #expect(body["readyAtMs"] is NSNull)
        #expect(body["pickedUp"] as? Bool == false)
        let tickets = try #require(body["tickets"] as? [[String: Any]])
        #expect(tickets.map { $0["ticketId"] as? String } == ["o/1-1", "o/1-2"])
        #expect(tickets.map { $0["status"] as? String } == ["brewing", "queued"])
        #expect(tickets.first?["barista"] as? String == "worker-1")
        #expect(tickets.first?["startedAtMs"] as? Int64 == h.now)
        #expect(tickets.first?["finishAtMs"] is NSNull)
        #expect(tickets.last?["barista"] is NSNull)

        let (missing, error) = try getJSON(router, "/tickets/nope")
        #expect(missing == 404)
        #expect((error["error"] as? String)?.contains("nope") == true)
    }

    @Test func snapshotListsEveryOrderAndTheQueues() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("a", "espresso"))
        try h.deliver(Events.placed("b", "tea", quantity: 2))
        try h.deliver(Events.placed("c", "affogato"))
        try h.deliver(Events.started("a", ticket: 1))
        h.clock.advance(millis: 1_000)
        try h.deliver(Events.brewed("a", ticket: 1))
        try h.deliver(Events.started("b", ticket: 1))
        try h.deliver(Events.pickedUp("a"))

        let (status, body) = try getJSON(router(h), "/admin/snapshot")
        #expect(status == 200)
        let orders = try #require(body["orders"] as? [[String: Any]])
        #expect(orders.map { $0["orderId"] as? String } == ["a", "b", "c"])
        #expect(orders.map { $0["status"] as? String } == ["READY", "BREWING", "FAILED"])
        #expect(orders.map { $0["tickets"] as? Int } == [1, 2, 0])
        #expect(orders.map { $0["pickedUp"] as? Bool } == [true, false, false])
        #expect(orders[0]["readyAtMs"] as? Int64 == h.now)
        #expect(orders[0]["receivedAtMs"] as? Int64 == h.now - 1_000)
        #expect(orders[0]["brewingStartedAtMs"] as? Int64 == h.now - 1_000)
        #expect(orders[1]["brewingStartedAtMs"] as? Int64 == h.now)
        #expect(orders[1]["readyAtMs"] is NSNull)
        #expect(orders[2]["brewingStartedAt"] is NSNull)
        #expect(body["queuedTickets"] as? Int == 1)
        #expect(body["brewingTickets"] as? Int == 1)
        // 3 DrinkRequested, OrderFailed(c), BrewingStarted(a), Ready(a), BrewingStarted(b): nothing sent yet.
        #expect(body["outboxPending"] as? Int == 7)

        let snapshot = try BaristaSnapshot.load(from: h.db)
        #expect(snapshot.outboxPending == 7)
        #expect(snapshot.orders.count == 3)
    }

    @Test func statsCountOrdersPerStatus() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("a", "espresso"))
        try h.deliver(Events.placed("b", "affogato"))
        try h.deliver(Events.placed("c", "tea"))
        try h.deliver(Events.cancel("c"))
        try h.brewAll("a", tickets: 1)
        try h.deliver(Events.pickedUp("a"))
        try h.deliver(Events.placed("d", "tea"))

        let (status, body) = try getJSON(router(h), "/admin/stats")
        #expect(status == 200)
        let orders = try #require(body["orders"] as? [String: Int])
        #expect(orders == ["QUEUED": 1, "BREWING": 0, "READY": 1, "CANCELLED": 1, "FAILED": 1])
        #expect(body["ordersTotal"] as? Int == 4)
        #expect(body["pickedUp"] as? Int == 1)
        #expect(body["queuedTickets"] as? Int == 1)
        #expect(body["brewingTickets"] as? Int == 0)
        // DrinkRequested for a, c and d, OrderFailed(b), OrderCancelled(c), BrewingStarted(a), Ready(a).
        #expect(body["outboxPending"] as? Int == 7)
        #expect(body["drinksByWorker"] as? [String: Int] == ["w1": 1])
    }

    @Test func otherMethodsAreRefused() throws {
        let h = try BaristaHarness()
        let response = router(h).handle(HTTPRequest(method: "POST", target: "/admin/snapshot"))
        #expect(response.status == 405)
    }
}
