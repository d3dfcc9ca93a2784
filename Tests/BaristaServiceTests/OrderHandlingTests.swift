import Testing
import SQLite
import EventContracts
import ServiceKit
@testable import BaristaService

@Suite struct OrderHandlingTests {
    @Test func orderPlacedCreatesOneTicketPerDrinkUnitOnce() throws {
        let h = try BaristaHarness()
        let placed = Events.placed("o1", [
            OrderItem(drink: "latte", size: .large, quantity: 2),
            OrderItem(drink: "espresso", size: .small, quantity: 1),
        ], correlationId: "flow-1")
        #expect(try h.deliver(placed) == .handled(published: 3))

        let set = try #require(try h.ticketSet("o1"))
        #expect(set.status == .queued)
        #expect(set.correlationId == "flow-1")
        #expect(set.memberId == "member-1")
        #expect(set.receivedAtMs == h.now)
        #expect(set.tickets.map(\.ticketId) == ["o1-1", "o1-2", "o1-3"])
        #expect(set.tickets.map(\.drink) == ["latte", "latte", "espresso"])
        #expect(set.tickets.map(\.size) == ["large", "large", "small"])
        #expect(set.tickets.allSatisfy { $0.status == .queued && $0.barista == nil && $0.startedAtMs == nil })

        // The same event again: the chassis' inbox skips it.
        #expect(try h.deliver(placed) == .duplicate)
        // Another OrderPlaced for the same order (new event id, other items): handled, no effect.
        #expect(try h.deliver(Events.placed("o1", "mocha", quantity: 5)) == .handled(published: 0))
        #expect(try h.ticketSet("o1")?.tickets.count == 3)
        #expect(try h.ticketCount(.queued) == 3)
        #expect(try h.db.scalar("SELECT COUNT(*) FROM barista_orders").intValue == 1)
        // One DrinkRequested per ticket on the brewing queue, keyed by the order, in ticket order.
        let rows = try h.outbox()
        #expect(rows.map(\.type) == ["DrinkRequested", "DrinkRequested", "DrinkRequested"])
        #expect(rows.allSatisfy { $0.topic == "coffee.brew-queue" && $0.key == "o1" && $0.correlationId == "flow-1" })
        #expect(rows.compactMap(\.ticketId) == ["o1-1", "o1-2", "o1-3"])
        guard case .drinkRequested(let first) = rows[0].event else { Issue.record("not a DrinkRequested"); return }
        #expect(first.payload == DrinkRequested(orderId: "o1", ticketId: "o1-1", drink: "latte", size: .large))
    }

    @Test func drinkTheShopCannotMakeFailsTheOrderWithAReason() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o2", [
            OrderItem(drink: "latte", size: .medium, quantity: 1),
            OrderItem(drink: "affogato", size: .small, quantity: 1),
        ], correlationId: "flow-2"))

        let set = try #require(try h.ticketSet("o2"))
        #expect(set.status == .failed)
        #expect(set.failureReason == "cannot make affogato")
        #expect(set.tickets.isEmpty)
        let rows = try h.outbox()
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.type == "OrderFailed")
        #expect(row.topic == "coffee.barista")
        #expect(row.key == "o2")
        #expect(row.event.aggregateId == "o2")
        #expect(row.correlationId == "flow-2")
        #expect(row.headers["correlationId"] == "flow-2")
        #expect(row.headers["type"] == "OrderFailed")
        #expect(row.reason == "cannot make affogato")

        // A repeat OrderPlaced does not fail it a second time, and nothing goes to the queue.
        try h.deliver(Events.placed("o2", "affogato"))
        #expect(try h.outbox().map(\.type) == ["OrderFailed"])
    }

    @Test func malformedOrdersFailNamingTheProblem() throws {
        let h = try BaristaHarness(settings: BaristaSettings(cannotMake: []))
        try h.deliver(Events.placed("unknown", "babyccino"))
        try h.deliver(Events.placed("zero", "latte", quantity: 0))
        try h.deliver(Events.placed("empty", []))
        try h.deliver(Events.placed("affogato-ok", "affogato"))
        #expect(try h.ticketSet("unknown")?.failureReason == "unknown drink 'babyccino'")
        #expect(try h.ticketSet("zero")?.failureReason == "invalid quantity 0 of latte (1...10)")
        #expect(try h.ticketSet("empty")?.failureReason == "order has no drinks")
        #expect(try h.status("affogato-ok") == .queued)
        #expect(try h.outbox().map(\.type) == ["OrderFailed", "OrderFailed", "OrderFailed", "DrinkRequested"])
        #expect(try h.outbox().map(\.key) == ["unknown", "zero", "empty", "affogato-ok"])
    }

    @Test func cancellationBeforeBrewingCancelsTheOrder() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("first", "mocha"))
        try h.deliver(Events.placed("second", "latte", quantity: 2, correlationId: "flow-second"))
        try h.deliver(Events.started("first", ticket: 1))  // a worker took "first"; "second" waits
        #expect(try h.status("second") == .queued)

        #expect(try h.deliver(Events.cancel("second", correlationId: "flow-second")) == .handled(published: 1))
        let set = try #require(try h.ticketSet("second"))
        #expect(set.status == .cancelled)
        #expect(set.cancelledAtMs == h.now)
        #expect(set.tickets.allSatisfy { $0.status == .cancelled })
        let rows = try h.outbox(for: "second")
        #expect(rows.map(\.type) == ["DrinkRequested", "DrinkRequested", "OrderCancelled"])
        #expect(rows.last?.correlationId == "flow-second")
        #expect(rows.last?.topic == "coffee.barista")

        // A second request for a cancelled order: nothing.
        #expect(try h.deliver(Events.cancel("second")) == .handled(published: 0))
        // A worker brews a cancelled drink anyway (the queue cannot withdraw it): ignored.
        #expect(try h.deliver(Events.started("second", ticket: 1)) == .handled(published: 0))
        #expect(try h.deliver(Events.brewed("second", ticket: 1)) == .handled(published: 0))
        #expect(try h.deliver(Events.failed("second", ticket: 2)) == .handled(published: 0))
        #expect(try h.ticketSet("second")?.tickets.allSatisfy { $0.status == .cancelled } == true)
        #expect(try h.status("second") == .cancelled)
        #expect(try h.outbox(for: "second").map(\.type) == ["DrinkRequested", "DrinkRequested", "OrderCancelled"])
    }

    @Test func cancellationAfterBrewingStartedOrReadyIsRejected() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o3", "latte", quantity: 2, correlationId: "flow-3"))
        try h.deliver(Events.started("o3", ticket: 1))
        #expect(try h.status("o3") == .brewing)
        try h.deliver(Events.cancel("o3", correlationId: "flow-3"))
        #expect(try h.status("o3") == .brewing)

        try h.deliver(Events.brewed("o3", ticket: 1))
        try h.deliver(Events.brewed("o3", ticket: 2))
        #expect(try h.status("o3") == .ready)
        try h.deliver(Events.cancel("o3", correlationId: "flow-3"))

        let rows = try h.outbox(for: "o3").filter { $0.topic == "coffee.barista" }
        #expect(rows.map(\.type) == ["OrderBrewingStarted", "CancellationRejected", "OrderReady", "CancellationRejected"])
        #expect(rows.compactMap(\.reason) == ["already brewing", "already ready"])
        #expect(rows.allSatisfy { $0.correlationId == "flow-3" && $0.key == "o3" })
    }

    @Test func cancellationOfAFailedOrderDoesNothing() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("f", "affogato"))
        #expect(try h.deliver(Events.cancel("f")) == .handled(published: 0))
        #expect(try h.status("f") == .failed)
    }

    @Test func pickupMarksTheOrderWithoutAnEvent() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o4", "tea"))
        try h.brewAll("o4", tickets: 1)
        #expect(try h.status("o4") == .ready)
        let before = try h.outbox().count
        #expect(try h.deliver(Events.pickedUp("o4")) == .handled(published: 0))
        #expect(try h.ticketSet("o4")?.pickedUp == true)
        #expect(try h.outbox().count == before)
        let pickedAt = try h.db.scalar("SELECT picked_up_at_ms FROM barista_orders WHERE order_id = 'o4'")
        #expect(pickedAt == .integer(h.now))
    }

    @Test func cancellationOrPickupOfAnUnknownOrderIsPermanent() throws {
        let h = try BaristaHarness()
        let cancel = Events.cancel("ghost")
        let error = #expect(throws: PermanentHandlerError.self) { try h.deliver(cancel) }
        #expect(error?.message.contains("ghost") == true)
        #expect(throws: PermanentHandlerError.self) { try h.deliver(Events.pickedUp("ghost")) }
        // Rolled back whole: not even the inbox remembers the events.
        #expect(try Inbox.contains(eventId: cancel.eventId, in: h.db) == false)
        #expect(try h.outbox().isEmpty)
        #expect(try h.db.scalar("SELECT COUNT(*) FROM barista_orders").intValue == 0)
    }

    @Test func otherEventTypesAreSkipped() throws {
        let h = try BaristaHarness()
        let member = CoffeeEvent.memberRegistered(EventEnvelope(
            payload: MemberRegistered(memberId: "m", name: "Ada", email: "ada@example.com")))
        #expect(try h.deliver(member) == .handled(published: 0))
        #expect(h.service.consumedTopics == [.orders, .brewResults])
        #expect(h.service.name == "barista-service")
    }
}
