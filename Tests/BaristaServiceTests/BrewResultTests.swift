import Testing
import SQLite
import EventContracts
import ServiceKit
@testable import BaristaService

/// The order desk following the barista workers' results (`BrewResultDesk`).
@Suite struct BrewResultTests {
    private func baristaEvents(_ h: BaristaHarness, _ orderId: String) throws -> [String] {
        try h.outbox(for: orderId).filter { $0.topic == "coffee.barista" }.map(\.type)
    }

    @Test func firstStartedDrinkMakesTheOrderBrewingOnceNamingTheWorker() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o", "latte", quantity: 2, correlationId: "flow"))
        #expect(try h.deliver(Events.started("o", ticket: 1, worker: "anna")) == .handled(published: 1))
        #expect(try h.deliver(Events.started("o", ticket: 2, worker: "ben")) == .handled(published: 0))
        let set = try #require(try h.ticketSet("o"))
        #expect(set.status == .brewing)
        #expect(set.brewingStartedAtMs == h.now)
        #expect(set.tickets.map(\.status) == [.brewing, .brewing])
        #expect(set.tickets.map(\.barista) == ["anna", "ben"])
        let started = try #require(try h.outbox(for: "o").last)
        #expect(started.type == "OrderBrewingStarted")
        #expect(started.barista == "anna")
        #expect(started.correlationId == "flow")
        #expect(started.topic == "coffee.barista")
    }

    @Test func aRedeliveredDrinkTakesTheNewWorkerAndEmitsNothing() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o", "tea"))
        try h.deliver(Events.started("o", ticket: 1, worker: "dead"))
        // The first worker died; the drink came back to another one (delivery 2).
        #expect(try h.deliver(Events.started("o", ticket: 1, worker: "alive", attempt: 2)) == .handled(published: 0))
        #expect(try h.db.scalar("SELECT attempts FROM tickets WHERE ticket_id = 'o-1'") == .integer(2))
        #expect(try h.ticketSet("o")?.tickets.first?.barista == "alive")
        try h.deliver(Events.brewed("o", ticket: 1, worker: "alive", attempt: 2))
        #expect(try h.status("o") == .ready)
        #expect(try baristaEvents(h, "o") == ["OrderBrewingStarted", "OrderReady"])
    }

    @Test func theLastBrewedDrinkMakesTheOrderReadyAndRepeatsChangeNothing() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o", "mocha", quantity: 3))
        try h.deliver(Events.started("o", ticket: 1))
        try h.deliver(Events.brewed("o", ticket: 1))
        try h.deliver(Events.brewed("o", ticket: 2))
        #expect(try h.status("o") == .brewing)
        #expect(try h.db.scalar("SELECT tickets_done FROM barista_orders WHERE order_id = 'o'") == .integer(2))
        // A worker that died after publishing but before acknowledging publishes again (new event id).
        #expect(try h.deliver(Events.brewed("o", ticket: 2)) == .handled(published: 0))
        #expect(try h.db.scalar("SELECT tickets_done FROM barista_orders WHERE order_id = 'o'") == .integer(2))
        h.clock.advance(millis: 700)
        #expect(try h.deliver(Events.brewed("o", ticket: 3)) == .handled(published: 1))
        let set = try #require(try h.ticketSet("o"))
        #expect(set.status == .ready)
        #expect(set.readyAtMs == h.now)
        #expect(set.tickets.allSatisfy { $0.status == .done && $0.finishAtMs != nil })
        #expect(try baristaEvents(h, "o") == ["OrderBrewingStarted", "OrderReady"])
        // Late results for a ready order: nothing.
        #expect(try h.deliver(Events.started("o", ticket: 1, attempt: 2)) == .handled(published: 0))
        #expect(try h.deliver(Events.failed("o", ticket: 3)) == .handled(published: 0))
        #expect(try h.status("o") == .ready)
    }

    @Test func aBrewedDrinkWhoseStartWasNotSeenStillPassesThroughBrewing() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o", "espresso"))
        #expect(try h.deliver(Events.brewed("o", ticket: 1, worker: "w9")) == .handled(published: 2))
        #expect(try baristaEvents(h, "o") == ["OrderBrewingStarted", "OrderReady"])
        #expect(try h.ticketSet("o")?.brewingStartedAtMs == h.now)
    }

    @Test func aFailedDrinkFailsItsOrderOnce() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o", [OrderItem(drink: "latte", size: .small, quantity: 1),
                                          OrderItem(drink: "tea", size: .large, quantity: 1)], correlationId: "flow"))
        try h.deliver(Events.started("o", ticket: 1))
        #expect(try h.deliver(Events.failed("o", ticket: 1, worker: "w2", attempts: 3)) == .handled(published: 1))
        let set = try #require(try h.ticketSet("o"))
        #expect(set.status == .failed)
        #expect(set.failureReason == "latte failed after 3 attempts: the espresso machine broke down")
        #expect(set.tickets.map(\.status) == [.failed, .queued])
        let failed = try #require(try h.outbox(for: "o").last)
        #expect(failed.type == "OrderFailed")
        #expect(failed.reason == set.failureReason)
        #expect(failed.correlationId == "flow")
        // The other drink still gets brewed; the order stays FAILED and says nothing more.
        #expect(try h.deliver(Events.brewed("o", ticket: 2)) == .handled(published: 0))
        #expect(try h.ticketSet("o")?.tickets.map(\.status) == [.failed, .done])
        #expect(try h.deliver(Events.failed("o", ticket: 1)) == .handled(published: 0))
        #expect(try h.status("o") == .failed)
        #expect(try baristaEvents(h, "o") == ["OrderBrewingStarted", "OrderFailed"])
        // A cancellation after the failure: nothing.
        #expect(try h.deliver(Events.cancel("o")) == .handled(published: 0))
    }

    @Test func aFailedDrinkOfAQueuedOrderSaysOneAttempt() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o", "tea"))
        try h.deliver(Events.failed("o", ticket: 1, attempts: 1, reason: "no water"))
        #expect(try h.ticketSet("o")?.failureReason == "tea failed after 1 attempt: no water")
        #expect(try baristaEvents(h, "o") == ["OrderFailed"])
    }

    @Test func resultsForUnknownTicketsArePermanentErrors() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("o", "tea"))
        for event in [Events.started("ghost", ticket: 1), Events.brewed("o", ticket: 2), Events.failed("x", ticket: 1)] {
            let error = #expect(throws: PermanentHandlerError.self) { try h.deliver(event) }
            #expect(error?.message.contains("unknown ticket") == true)
            #expect(try Inbox.contains(eventId: event.eventId, in: h.db) == false)
        }
        #expect(try h.status("o") == .queued)
    }

    @Test func statsCountDrinksPerWorker() throws {
        let h = try BaristaHarness()
        try h.deliver(Events.placed("a", "tea", quantity: 3))
        try h.deliver(Events.brewed("a", ticket: 1, worker: "w1"))
        try h.deliver(Events.brewed("a", ticket: 2, worker: "w2"))
        try h.deliver(Events.brewed("a", ticket: 3, worker: "w1"))
        let stats = try BaristaStats.load(from: h.db)
        #expect(stats.drinksByWorker == ["w1": 2, "w2": 1])
        #expect(stats.json.contains("\"drinksByWorker\":{\"w1\":2,\"w2\":1}"))
    }
}
