import Testing
import SQLite
import EventContracts
import ServiceKit
@testable import BaristaService

@Suite struct SchedulerTests {
    @Test func atMostNTicketsBrewAtOnceAndFinishOnTime() throws {
        let h = try BaristaHarness(settings: BaristaSettings(baristaCount: 2))
        for i in 1...5 { try h.deliver(Events.placed("o\(i)", "espresso")) }  // 1000 ms each
        let t0 = h.now

        var step = try h.step()
        #expect(step.startedTickets == 2)
        #expect(step.brewingStartedOrders == ["o1", "o2"])
        #expect(step.brewingTickets == 2)
        #expect(step.nextFinishAtMs == t0 + 1_000)
        #expect(step.hasMoreWork == false)
        #expect(try h.ticketCount(.brewing) == 2)

        h.clock.advance(millis: 999)
        step = try h.step()
        #expect(step.finishedTickets == 0 && step.startedTickets == 0 && step.emittedEvents == 0)
        #expect(try h.status("o1") == .brewing)

        h.clock.advance(millis: 1)
        step = try h.step()
        #expect(step.readyOrders == ["o1", "o2"])
        #expect(step.brewingStartedOrders == ["o3", "o4"])
        #expect(try h.ticketCount(.brewing) == 2)
        #expect(step.nextFinishAtMs == t0 + 2_000)

        h.clock.advance(millis: 1_000)
        step = try h.step()
        #expect(step.readyOrders == ["o3", "o4"])
        #expect(step.brewingStartedOrders == ["o5"])
        #expect(step.brewingTickets == 1)
        #expect(step.queuedTicketsRemaining == 0)

        h.clock.advance(millis: 1_000)
        step = try h.step()
        #expect(step.readyOrders == ["o5"])
        #expect(step.nextFinishAtMs == nil)
        let set = try #require(try h.ticketSet("o5"))
        #expect(set.brewingStartedAtMs == t0 + 2_000)
        #expect(set.readyAtMs == t0 + 3_000)
        #expect(set.tickets.first?.startedAtMs == t0 + 2_000)
        #expect(set.tickets.first?.finishAtMs == t0 + 3_000)
        #expect(set.tickets.first?.status == .done)
    }

    @Test func ticketsAreTakenFirstInFirstOut() throws {
        let h = try BaristaHarness(settings: BaristaSettings(baristaCount: 2))
        try h.deliver(Events.placed("a", "tea", quantity: 3))  // 1200 ms each
        try h.deliver(Events.placed("b", "tea"))
        try h.step()
        #expect(try h.ticketSet("a")?.tickets.map(\.status) == [.brewing, .brewing, .queued])
        #expect(try h.status("b") == .queued)
        h.clock.advance(millis: 1_200)
        try h.step()
        let a = try #require(try h.ticketSet("a"))
        let b = try #require(try h.ticketSet("b"))
        #expect(a.tickets.map(\.status) == [.done, .done, .brewing])
        #expect(b.status == .brewing)
        #expect(a.tickets.map(\.barista) == ["barista-1", "barista-2", "barista-1"])
        #expect(b.tickets.map(\.barista) == ["barista-2"])
    }

    @Test func brewTimeIsPreparationTimesSpeedFactor() throws {
        let h = try BaristaHarness(settings: BaristaSettings(speedFactor: 0.5))
        try h.deliver(Events.placed("big", "latte", size: .large))  // 2500 × 5/4 = 3125 ms × 0.5
        try h.deliver(Events.placed("small", "espresso", size: .small))  // 1000 × 4/5 = 800 ms × 0.5
        let t0 = h.now
        try h.step()
        #expect(try h.ticketSet("big")?.tickets.first?.finishAtMs == t0 + 1_563)
        #expect(try h.ticketSet("small")?.tickets.first?.finishAtMs == t0 + 400)
        #expect(BaristaSettings(speedFactor: 2).brewMillis(of: "mocha", size: .medium) == 6_000)
        #expect(BaristaSettings().brewMillis(of: "babyccino", size: .medium) == nil)

        h.clock.advance(millis: 1_562)
        #expect(try h.step().readyOrders == ["small"])
        h.clock.advance(millis: 1)
        #expect(try h.step().readyOrders == ["big"])
    }

    @Test func eachOrderStartsBrewingOnceAndIsReadyOnce() throws {
        let h = try BaristaHarness(settings: BaristaSettings(baristaCount: 1))
        try h.deliver(Events.placed("multi", [
            OrderItem(drink: "espresso", size: .medium, quantity: 2),
            OrderItem(drink: "americano", size: .medium, quantity: 1),
        ], correlationId: "flow-multi"))
        try h.deliver(Events.placed("next", "tea", correlationId: "flow-next"))
        for _ in 0...10 {  // 1000 + 1000 + 1500 + 1200 ms, stepping every 500 ms
            try h.step()
            h.clock.advance(millis: 500)
        }
        #expect(try h.status("multi") == .ready)
        #expect(try h.status("next") == .ready)

        let rows = try h.outbox()
        #expect(rows.map(\.type) == ["OrderBrewingStarted", "OrderReady", "OrderBrewingStarted", "OrderReady"])
        #expect(rows.map(\.key) == ["multi", "multi", "next", "next"])
        #expect(rows.map(\.correlationId) == ["flow-multi", "flow-multi", "flow-next", "flow-next"])
        #expect(rows.allSatisfy { $0.topic == "coffee.barista" && $0.headers["correlationId"] == $0.correlationId })
        #expect(rows.compactMap(\.barista) == ["barista-1", "barista-1"])
        let set = try #require(try h.ticketSet("multi"))
        #expect(set.tickets.allSatisfy { $0.status == .done })
        // One barista: the tickets follow one another.
        #expect(set.tickets[1].startedAtMs ?? 0 >= set.tickets[0].finishAtMs ?? .max)
        #expect(set.tickets[2].startedAtMs ?? 0 >= set.tickets[1].finishAtMs ?? .max)
    }

    @Test func speedZeroCompletesAnOrderWithinTwoSteps() throws {
        let h = try BaristaHarness(settings: BaristaSettings(baristaCount: 3, speedFactor: 0))
        try h.deliver(Events.placed("instant", [
            OrderItem(drink: "mocha", size: .large, quantity: 4),
            OrderItem(drink: "tea", size: .small, quantity: 1),
        ]))
        var steps = 0
        while try h.status("instant") != .ready, steps < 2 {
            try h.step()
            steps += 1
        }
        #expect(try h.status("instant") == .ready)
        #expect(steps <= 2)
        #expect(try h.outbox().map(\.type) == ["OrderBrewingStarted", "OrderReady"])
        let set = try #require(try h.ticketSet("instant"))
        #expect(set.tickets.allSatisfy { $0.status == .done && $0.startedAtMs == $0.finishAtMs })
        // The instant tickets are spread over the baristas.
        #expect(Set(set.tickets.compactMap(\.barista)) == ["barista-1", "barista-2", "barista-3"])
    }

    @Test func aLargeBacklogDrainsInBoundedSteps() throws {
        let h = try BaristaHarness(settings: BaristaSettings(baristaCount: 4, speedFactor: 0, maxTicketsPerStep: 500))
        for i in 0..<600 { try h.deliver(Events.placed("bulk-\(i)", "latte", quantity: 2)) }

        var step = try h.step()
        #expect(step.startedTickets == 500 && step.finishedTickets == 500)
        #expect(step.readyOrders.count == 250)
        #expect(step.hasMoreWork)
        #expect(step.queuedTicketsRemaining == nil)
        step = try h.step()
        #expect(step.startedTickets == 500 && step.hasMoreWork)
        step = try h.step()
        #expect(step.startedTickets == 200)
        #expect(step.hasMoreWork == false)
        #expect(step.queuedTicketsRemaining == 0)
        #expect(try h.ticketCount(.done) == 1_200)

        let rows = try h.outbox()
        #expect(rows.count == 1_200)
        for i in [0, 299, 599] {
            #expect(try h.outbox(for: "bulk-\(i)").map(\.type) == ["OrderBrewingStarted", "OrderReady"])
        }
        var idle = SchedulerStepResult()
        idle.queuedTicketsRemaining = 0
        #expect(try h.step() == idle)
    }

    @Test func cancellationRacingTheSchedulerIsRejectedOnceATicketStarted() throws {
        let h = try BaristaHarness(settings: BaristaSettings(baristaCount: 1))
        try h.deliver(Events.placed("race", "cappuccino", quantity: 2))
        try h.step()  // the first ticket starts, the second still waits
        #expect(try h.ticketSet("race")?.tickets.map(\.status) == [.brewing, .queued])

        try h.deliver(Events.cancel("race"))
        #expect(try h.status("race") == .brewing)
        #expect(try h.ticketSet("race")?.tickets.map(\.status) == [.brewing, .queued])

        h.clock.advance(millis: 2_500)
        try h.step()
        h.clock.advance(millis: 2_500)
        try h.step()
        #expect(try h.status("race") == .ready)
        #expect(try h.outbox(for: "race").map(\.type)
            == ["OrderBrewingStarted", "CancellationRejected", "OrderReady"])
    }

    @Test func aFailedStepWritesNothingAndTheNextOneDoesItAll() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/barista.sqlite"
        let h = try BaristaHarness(settings: BaristaSettings(speedFactor: 0), path: path)
        try h.deliver(Events.placed("o", "tea", quantity: 2))

        // Another connection holds the write lock: the step fails whole.
        let blocker = try Database(path: path)
        try blocker.execute("BEGIN IMMEDIATE")
        let busy = try Database(path: path, busyTimeout: .milliseconds(20))
        let scheduler = h.service.scheduler(database: busy)
        #expect(throws: SQLiteError.self) { try scheduler.runSchedulerStep(now: h.now) }
        try blocker.execute("ROLLBACK")
        #expect(try h.status("o") == .queued)
        #expect(try h.outbox().isEmpty)

        let step = try scheduler.runSchedulerStep(now: h.now)
        #expect(step.readyOrders == ["o"])
        #expect(try h.outbox().map(\.type) == ["OrderBrewingStarted", "OrderReady"])
    }

    @Test func queuedTicketCountFollowsTheQueue() throws {
        let h = try BaristaHarness(settings: BaristaSettings(baristaCount: 1))
        for i in 0..<3 { try h.deliver(Events.placed("q\(i)", "tea")) }
        let scheduler = h.service.scheduler(database: h.db)
        #expect(try scheduler.queuedTicketCount() == 3)
        try h.step()
        #expect(try scheduler.queuedTicketCount() == 2)
    }
}
