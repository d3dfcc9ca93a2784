import Testing
import Foundation
import EventContracts
import ServiceKit
@testable import OrderService

@Suite struct BaristaEventTests {
    @Test func brewingThenReadyMovesTheOrderForward() throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        let brewing = Barista.brewing(orderId, at: "2025-03-14T08:05:50Z")
        #expect(try h.deliver(brewing) == .handled(published: 0))
        #expect(try h.status(orderId) == .brewing)
        #expect(try h.deliver(Barista.ready(orderId, at: "2025-03-14T09:06:00.250123+01:00")) == .handled(published: 0))
        #expect(try h.status(orderId) == .ready)

        let order = h.get("/orders/\(orderId)")
        #expect(order.string("status") == "READY")
        // 08:06:00.250 UTC, from the event's occurredAt.
        #expect(order.int("readyAtMs") == 1_741_939_560_250)
        let history = order.array("history")
        #expect(history.compactMap { $0["status"] as? String } == ["PLACED", "BREWING", "READY"])
        #expect(history.compactMap { $0["event"] as? String } == ["OrderPlaced", "OrderBrewingStarted", "OrderReady"])
        #expect(history[1]["eventId"] as? String == brewing.eventId)
        #expect(history[1]["note"] as? String == "barista: b1")
        #expect(history[1]["at"] as? String == "2025-03-14T08:05:50.000Z")
        #expect(history[2]["at"] as? String == "2025-03-14T08:06:00.250Z")
        // Nothing is published in reaction to barista events.
        #expect(try h.published().count == 2)
    }

    @Test func readyMayArriveWithoutBrewingStarted() throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        try h.deliver(Barista.ready(orderId))
        #expect(try h.status(orderId) == .ready)
        // The late BrewingStarted is recorded as ignored.
        try h.deliver(Barista.brewing(orderId))
        #expect(try h.status(orderId) == .ready)
        let last = try #require(h.get("/orders/\(orderId)").array("history").last)
        #expect(last["event"] as? String == "OrderBrewingStarted")
        #expect(last["status"] as? String == "READY")
        #expect(last["note"] as? String == "ignored: order is READY; barista: b1")
    }

    @Test func cancelledAndFailedAreTerminal() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let cancelled = try h.placeOrder(memberId: member)
        try h.deliver(Barista.cancelled(cancelled))
        let failed = try h.placeOrder(memberId: member)
        try h.deliver(Barista.brewing(failed))
        try h.deliver(Barista.failed(failed))
        for event in [Barista.brewing(cancelled), Barista.ready(cancelled), Barista.failed(cancelled),
                      Barista.ready(failed), Barista.cancelled(failed)] {
            try h.deliver(event)
        }
        #expect(try h.status(cancelled) == .cancelled)
        #expect(try h.status(failed) == .failed)
        let failedHistory = h.get("/orders/\(failed)").array("history")
        #expect(failedHistory[2]["note"] as? String == "failed: no ice cream")
        #expect(failedHistory.count == 5)
        #expect(h.get("/orders/\(failed)").json["readyAtMs"] is NSNull)
    }

    @Test func cancellationRejectedOnlyAddsANote() throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        try h.deliver(Barista.brewing(orderId))
        #expect(h.post("/orders/\(orderId)/cancel").status == 202)
        try h.deliver(Barista.rejected(orderId))
        let order = h.get("/orders/\(orderId)")
        #expect(order.string("status") == "BREWING")
        #expect(order.bool("cancellationRequested") == true)
        let last = try #require(order.array("history").last)
        #expect(last["event"] as? String == "CancellationRejected")
        #expect(last["note"] as? String == "cancellation rejected: already brewing")
        // The order carries on.
        try h.deliver(Barista.ready(orderId))
        #expect(try h.status(orderId) == .ready)
        #expect(h.post("/orders/\(orderId)/pickup").status == 200)
    }

    @Test func lateEventsAfterPickUpAreIgnored() throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        try h.deliver(Barista.ready(orderId))
        #expect(h.post("/orders/\(orderId)/pickup").status == 200)
        for event in [Barista.ready(orderId), Barista.brewing(orderId), Barista.cancelled(orderId), Barista.failed(orderId)] {
            #expect(try h.deliver(event) == .handled(published: 0))
            #expect(try h.status(orderId) == .completed)
        }
        let notes = h.get("/orders/\(orderId)").array("history").compactMap { $0["note"] as? String }
        #expect(notes.filter { $0.hasPrefix("ignored: order is COMPLETED") }.count == 4)
    }

    @Test func aRedeliveredEventIsADuplicate() throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        let ready = Barista.ready(orderId)
        #expect(try h.deliver(ready) == .handled(published: 0))
        let before = try h.counts()
        #expect(try h.deliver(ready) == .duplicate)
        #expect(try h.counts() == before)
    }

    @Test func anUnknownOrderIsAPermanentErrorAndWritesNothing() throws {
        let h = try OrderServiceHarness()
        let before = try h.counts()
        let event = Barista.ready("ghost-order")
        #expect {
            try h.deliver(event)
        } throws: { error in
            (error as? PermanentHandlerError)?.message.hasPrefix("unknown order ghost-order (OrderReady event") == true
        }
        #expect(try h.counts() == before)
    }

    @Test func eventsThatAreNotTheBaristasAreIgnored() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let orderId = try h.placeOrder(memberId: member)
        let before = try h.counts()
        let others: [CoffeeEvent] = [
            .orderPlaced(EventEnvelope(payload: OrderPlaced(orderId: "x", memberId: member, items: [], placedAt: Barista.occurredAt))),
            .memberRegistered(EventEnvelope(payload: MemberRegistered(memberId: "m", name: "n", email: "e@x"))),
            .orderPickedUp(EventEnvelope(payload: OrderPickedUp(orderId: orderId))),
            .orderCancellationRequested(EventEnvelope(payload: OrderCancellationRequested(orderId: orderId))),
        ]
        for event in others {
            let consumed = ConsumedEvent(event: event, topic: "coffee.barista", partition: 0, offset: 0, timestamp: 0)
            #expect(try h.service.handle(consumed, db: h.db, context: h.context).isEmpty)
        }
        #expect(try h.counts() == before)
        #expect(try h.status(orderId) == .placed)
    }

    @Test func anUnparsableOccurredAtFallsBackToNow() throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        h.clock.advance(7_000)
        try h.deliver(Barista.ready(orderId, at: "yesterday"))
        #expect(h.get("/orders/\(orderId)").int("readyAtMs") == Int(h.clock.now))
    }

    @Test func handlerCountsTransitionsInMetrics() throws {
        let h = try OrderServiceHarness()
        let orderId = try h.placeOrder(memberId: try h.registerMember())
        try h.deliver(Barista.ready(orderId))
        try h.deliver(Barista.brewing(orderId))
        #expect(h.context.metrics.value(OrderMetrics.transitions, labels: ["status": "READY"]) == 1)
        #expect(h.context.metrics.value(OrderMetrics.ignoredEvents, labels: ["type": "OrderBrewingStarted"]) == 1)
        #expect(h.context.metrics.value(OrderMetrics.ordersPlaced) == 1)
        #expect(h.context.metrics.render().contains("orders_placed_total 1"))
    }
}
