import Testing
import EventContracts
@testable import CoffeeShopChecks

private typealias O = OrderServiceSnapshot.Order
private typealias B = BaristaServiceSnapshot.Order
private typealias N = NotificationServiceSnapshot.Notification

/// A consistent shop of four orders in every terminal state.
private func consistent() -> ShopState {
    let orders = [O(orderId: "a", status: "READY", placedAtMs: 1000, readyAtMs: 1030),
                  O(orderId: "b", status: "COMPLETED", placedAtMs: 1000, readyAtMs: 1100),
                  O(orderId: "c", status: "CANCELLED", placedAtMs: 1000),
                  O(orderId: "d", status: "FAILED", placedAtMs: 1000)]
    let barista = [B(orderId: "a", status: "READY", pickedUp: false), B(orderId: "b", status: "READY", pickedUp: true),
                   B(orderId: "c", status: "CANCELLED"), B(orderId: "d", status: "FAILED")]
    var notes: [N] = []
    for (order, kind) in [("a", "received"), ("a", "ready"), ("b", "received"), ("b", "ready"), ("c", "received"),
                          ("c", "cancelled"), ("d", "received"), ("d", "failed")] {
        notes.append(N(notificationId: "n\(notes.count)", eventId: "e\(notes.count)", kind: kind, orderId: order,
                       status: "delivered", deliveredAtMs: 1050))
    }
    return ShopState(orders: OrderServiceSnapshot(orders: orders, outboxPending: 0),
                     barista: BaristaServiceSnapshot(orders: barista, outboxPending: 0),
                     notifications: NotificationServiceSnapshot(notifications: notes, outboxPending: 0),
                     deadLetters: [DeadLetterRecord(partition: 0, offset: 0, value: Array("{oops".utf8), error: "malformed", originalTopic: "coffee.orders")])
}

private func failing(_ state: ShopState) -> [String] {
    ConsistencyChecker.check(state).filter { !$0.passed }.map(\.name)
}

@Suite struct ConsistencyCheckerTests {
    @Test func consistentShopPasses() {
        let results = ConsistencyChecker.check(consistent())
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0.passed }, "\(results)")
    }

    @Test func missingOrExtraTicketSet() {
        var s = consistent()
        s.barista.orders.removeLast()
        #expect(failing(s) == ["ticket sets"])
        s = consistent()
        s.barista.orders.append(B(orderId: "zz", status: "QUEUED"))
        #expect(failing(s) == ["ticket sets"])
        s = consistent()
        s.barista.orders.append(B(orderId: "a", status: "READY"))
        #expect(failing(s) == ["ticket sets"])
    }

    @Test func statusMismatchesAndUnseenPickup() {
        var s = consistent()
        s.orders.orders[0].status = "BREWING"
        #expect(failing(s).contains("statuses"))
        s = consistent()
        s.barista.orders[1].pickedUp = false
        #expect(failing(s) == ["statuses"])
        s = consistent()
        s.orders.orders[2].status = "PLACED"
        s.barista.orders[2].status = "QUEUED"
        s.notifications.notifications.removeAll { $0.orderId == "c" && $0.kind == "cancelled" }
        #expect(failing(s).isEmpty)
    }

    @Test func notificationsExactlyOnceAndDelivered() {
        var s = consistent()
        s.notifications.notifications.append(N(notificationId: "x", eventId: "e1", kind: "ready", orderId: "a", status: "delivered"))
        #expect(failing(s) == ["notifications"])
        s = consistent()
        s.notifications.notifications.removeAll { $0.orderId == "b" && $0.kind == "ready" }
        #expect(failing(s) == ["notifications"])
        s = consistent()
        s.notifications.notifications[0].status = "waiting"
        #expect(failing(s) == ["notifications"])
        s = consistent()
        s.notifications.notifications.append(N(notificationId: "y", eventId: "e99", kind: "received", orderId: "ghost", status: "delivered"))
        #expect(failing(s) == ["notifications"])
    }

    @Test func outboxesAndDeadLetters() {
        var s = consistent()
        s.barista.outboxPending = 3
        #expect(failing(s) == ["outboxes and dead letters"])
        s = consistent()
        let valid = CoffeeEvent.orderReady(EventEnvelope(payload: OrderReady(orderId: "a"))).encode()
        s.deadLetters.append(DeadLetterRecord(partition: 0, offset: 1, value: valid, error: "boom", originalTopic: "coffee.barista"))
        #expect(failing(s) == ["outboxes and dead letters"])
    }

    @Test func deadLetteredDrinksOfFailedOrCancelledOrdersAreExpected() {
        func drink(_ orderId: String) -> [UInt8] {
            CoffeeEvent.drinkRequested(EventEnvelope(
                payload: DrinkRequested(orderId: orderId, ticketId: "\(orderId)-1", drink: "tea", size: .small))).encode()
        }
        var s = consistent()
        for (offset, order) in ["d", "c"].enumerated() {
            s.deadLetters.append(DeadLetterRecord(partition: 0, offset: Int64(offset), value: drink(order),
                                                  error: "the espresso machine broke down on every attempt", originalTopic: "coffee.brew-queue"))
        }
        s.deadLetters.append(DeadLetterRecord(partition: 0, offset: 9, value: [0x7b], error: "bad json", originalTopic: "coffee.orders"))
        #expect(failing(s).isEmpty)
        let verdict = ConsistencyChecker.check(s).last
        #expect(verdict?.details == ["outboxes empty; 4 dead letter(s): 2 malformed, 2 failed drink(s) of failed or cancelled orders"])
        // A drink of an order that went READY, or one dead-lettered from another topic, is not expected.
        var ready = consistent()
        ready.deadLetters.append(DeadLetterRecord(partition: 0, offset: 1, value: drink("a"), error: "x", originalTopic: "coffee.brew-queue"))
        #expect(failing(ready) == ["outboxes and dead letters"])
        var elsewhere = consistent()
        elsewhere.deadLetters.append(DeadLetterRecord(partition: 0, offset: 1, value: drink("d"), error: "x", originalTopic: "coffee.orders"))
        #expect(failing(elsewhere) == ["outboxes and dead letters"])
    }

    @Test func latencies() throws {
        let s = consistent()
        let ready = try #require(LatencySummary.placedToReady(s))
        #expect(ready.count == 2)
        #expect(ready.p50 == 30)
        #expect(ready.max == 100)
        let notified = try #require(LatencySummary.placedToNotified(s))
        #expect(notified.count == 2)
        #expect(notified.p99 == 50)
        #expect(LatencySummary([]) == nil)
        let many = try #require(LatencySummary((1...100).map { Int64($0) }))
        #expect(many.p50 == 50)
        #expect(many.p99 == 99)
    }
}
