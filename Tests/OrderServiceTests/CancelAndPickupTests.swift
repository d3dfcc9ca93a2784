import Testing
import Foundation
import EventContracts
@testable import OrderService

@Suite struct CancelTests {
    @Test func cancellingAPlacedOrderEmitsOneRequest() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let orderId = try h.placeOrder(memberId: member)
        let before = try h.counts()

        let response = h.post("/orders/\(orderId)/cancel", #"{"reason": "changed my mind"}"#)
        #expect(response.status == 202)
        #expect(response.string("orderId") == orderId)
        #expect(response.string("status") == "PLACED")
        #expect(response.bool("cancellationRequested") == true)
        var expected = before
        expected.history += 1
        expected.outbox += 1
        #expect(try h.counts() == expected)

        let row = try #require(try h.published().last)
        #expect(row.key == orderId)
        #expect(row.topic == "coffee.orders")
        #expect(row.headers["correlationId"] == orderId)
        guard case .orderCancellationRequested(let envelope) = row.event else {
            Issue.record("expected OrderCancellationRequested, got \(row.event)")
            return
        }
        #expect(envelope.payload == OrderCancellationRequested(orderId: orderId, reason: "changed my mind"))
        #expect(envelope.correlationId == orderId)

        // Repeated while pending: 202 again, nothing new.
        let again = h.post("/orders/\(orderId)/cancel")
        #expect(again.status == 202)
        #expect(again.bool("cancellationRequested") == true)
        #expect(try h.counts() == expected)

        let order = h.get("/orders/\(orderId)")
        #expect(order.bool("cancellationRequested") == true)
        let last = try #require(order.array("history").last)
        #expect(last["event"] as? String == "OrderCancellationRequested")
        #expect(last["status"] as? String == "PLACED")
        #expect(last["note"] as? String == "reason: changed my mind")
        #expect(last["eventId"] as? String == envelope.eventId)
    }

    @Test func aBrewingOrderMayStillBeAskedToCancel() throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        try h.deliver(Barista.brewing(orderId))
        let response = h.post("/orders/\(orderId)/cancel", "")
        #expect(response.status == 202)
        #expect(response.string("status") == "BREWING")
        guard case .orderCancellationRequested(let envelope) = try h.published().last?.event else {
            Issue.record("no cancellation request published")
            return
        }
        #expect(envelope.payload.reason == nil)
    }

    @Test(arguments: ["READY", "COMPLETED", "CANCELLED", "FAILED"])
    func finishedOrdersCannotBeCancelled(status: String) throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        switch status {
        case "READY": try h.deliver(Barista.ready(orderId))
        case "COMPLETED":
            try h.deliver(Barista.ready(orderId))
            #expect(h.post("/orders/\(orderId)/pickup").status == 200)
        case "CANCELLED": try h.deliver(Barista.cancelled(orderId))
        default: try h.deliver(Barista.failed(orderId))
        }
        let before = try h.counts()
        let response = h.post("/orders/\(orderId)/cancel")
        #expect(response.status == 409)
        #expect(response.error == "order \(orderId) is \(status); it can no longer be cancelled")
        #expect(try h.counts() == before)
    }

    @Test func cancelErrors() throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        let before = try h.counts()
        #expect(h.post("/orders/ghost/cancel").status == 404)
        #expect(h.post("/orders/ghost/cancel").error == "unknown order ghost")
        #expect(h.post("/orders/\(orderId)/cancel", "{").status == 400)
        #expect(h.post("/orders/\(orderId)/cancel", #"{"reason": 5}"#).status == 400)
        let long = h.post("/orders/\(orderId)/cancel", #"{"reason": "\#(String(repeating: "r", count: 501))"}"#)
        #expect(long.status == 422)
        #expect(try h.counts() == before)
    }
}

@Suite struct PickupTests {
    @Test func pickingUpAReadyOrderCompletesItOnce() throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        try h.deliver(Barista.brewing(orderId))
        try h.deliver(Barista.ready(orderId))
        h.clock.advance(30_000)
        let before = try h.counts()

        let response = h.post("/orders/\(orderId)/pickup")
        #expect(response.status == 200)
        #expect(response.string("status") == "COMPLETED")
        #expect(response.array("history").compactMap { $0["status"] as? String } == ["PLACED", "BREWING", "READY", "COMPLETED"])
        var expected = before
        expected.history += 1
        expected.outbox += 1
        #expect(try h.counts() == expected)
        let row = try #require(try h.published().last)
        #expect(row.key == orderId)
        #expect(row.headers["type"] == "OrderPickedUp")
        #expect(row.event.correlationId == orderId)
        guard case .orderPickedUp(let envelope) = row.event else {
            Issue.record("expected OrderPickedUp")
            return
        }
        #expect(envelope.payload.orderId == orderId)
        #expect(RFC3339.unixMillis(envelope.occurredAt) == h.clock.now)

        // Again: 200, idempotent, nothing new.
        let again = h.post("/orders/\(orderId)/pickup")
        #expect(again.status == 200)
        #expect(again.string("status") == "COMPLETED")
        #expect(try h.counts() == expected)
    }

    @Test(arguments: ["PLACED", "BREWING", "CANCELLED", "FAILED"])
    func onlyReadyOrdersCanBePickedUp(status: String) throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        switch status {
        case "BREWING": try h.deliver(Barista.brewing(orderId))
        case "CANCELLED": try h.deliver(Barista.cancelled(orderId))
        case "FAILED": try h.deliver(Barista.failed(orderId))
        default: break
        }
        let before = try h.counts()
        let response = h.post("/orders/\(orderId)/pickup")
        #expect(response.status == 409)
        #expect(response.error == "order \(orderId) is \(status); only a READY order can be picked up")
        #expect(try h.counts() == before)
    }

    @Test func pickingUpAnUnknownOrderIs404() throws {
        let h = try OrderServiceHarness()
        let response = h.post("/orders/ghost/pickup")
        #expect(response.status == 404)
        #expect(response.error == "unknown order ghost")
    }
}
