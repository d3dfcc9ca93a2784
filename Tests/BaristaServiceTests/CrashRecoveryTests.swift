import Testing
import SQLite
import EventContracts
import ServiceKit
import SystemIO
@testable import BaristaService

@Suite struct CrashRecoveryTests {
    @Test func aCrashMidBrewLosesNothingAndEmitsNothingTwice() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/barista.sqlite"
        let clock = ManualTimeSource()
        let t0 = clock.wallMillis()
        let settings = BaristaSettings(baristaCount: 2)
        let placed = Events.placed("o1", "latte", quantity: 2)  // 2 × 2500 ms

        do {
            let before = try BaristaHarness(settings: settings, path: path, clock: clock)
            try before.deliver(placed)
            try before.deliver(Events.placed("o2", "espresso"))
            try before.deliver(Events.placed("o3", "tea"))
            try before.step()
            clock.advance(millis: 1_000)
            try before.step()
            #expect(try before.ticketCount(.brewing) == 2)
            #expect(try before.outbox().map(\.type) == ["OrderBrewingStarted"])
            // The process dies here: the service, its scheduler and the connection are gone.
        }

        let after = try BaristaHarness(settings: settings, path: path, clock: clock)
        // The redelivered OrderPlaced (offset not committed before the crash) changes nothing.
        #expect(try after.deliver(placed) == .duplicate)
        #expect(try after.ticketSet("o1")?.tickets.map(\.status) == [.brewing, .brewing])
        // The brewing tickets still occupy both baristas until their finish time.
        #expect(try after.step().startedTickets == 0)
        clock.advance(millis: 1_500)
        let step = try after.step()
        #expect(step.readyOrders == ["o1"])
        #expect(step.brewingStartedOrders == ["o2", "o3"])
        #expect(try after.ticketSet("o1")?.readyAtMs == t0 + 2_500)
        clock.advance(millis: 1_200)
        try after.step()

        for id in ["o1", "o2", "o3"] {
            #expect(try after.status(id) == .ready)
            #expect(try after.outbox(for: id).map(\.type) == ["OrderBrewingStarted", "OrderReady"])
        }
        #expect(try after.outbox().count == 6)
        #expect(try after.ticketCount(.done) == 4)
    }

    @Test func restartingWithFewerBaristasNeverExceedsTheNewCount() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/barista.sqlite"
        let clock = ManualTimeSource()

        do {
            let before = try BaristaHarness(settings: BaristaSettings(baristaCount: 3), path: path, clock: clock)
            try before.deliver(Events.placed("big", "mocha", quantity: 5))  // 3000 ms each
            try before.step()
            #expect(try before.ticketCount(.brewing) == 3)
        }

        let after = try BaristaHarness(settings: BaristaSettings(baristaCount: 1), path: path, clock: clock)
        var maxBrewing = 0
        for _ in 0..<20 {
            let step = try after.step()
            maxBrewing = max(maxBrewing, step.brewingTickets)
            #expect(step.startedTickets == 0 || step.brewingTickets <= 1)
            clock.advance(millis: 1_000)
        }
        #expect(maxBrewing == 3)  // the three started before the restart, none added
        #expect(try after.status("big") == .ready)
        #expect(try after.outbox().map(\.type) == ["OrderBrewingStarted", "OrderReady"])
        let baristas = try #require(try after.ticketSet("big")).tickets.compactMap(\.barista)
        #expect(baristas.suffix(2) == ["barista-1", "barista-1"])
    }
}
