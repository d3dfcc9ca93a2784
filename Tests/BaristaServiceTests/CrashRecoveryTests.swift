import Testing
import SQLite
import EventContracts
import ServiceKit
import SystemIO
@testable import BaristaService

@Suite struct CrashRecoveryTests {
    @Test func aRestartMidOrderLosesNothingAndEmitsNothingTwice() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/barista.sqlite"
        let clock = ManualTimeSource()
        let placed = Events.placed("o1", "latte", quantity: 2)
        let started = Events.started("o1", ticket: 1)

        do {
            let before = try BaristaHarness(path: path, clock: clock)
            try before.deliver(placed)
            try before.deliver(started)
            #expect(try before.outbox().map(\.type) == ["DrinkRequested", "DrinkRequested", "OrderBrewingStarted"])
            // The process dies here: the service and its connection are gone.
        }

        let after = try BaristaHarness(path: path, clock: clock)
        // The redelivered events (offsets not committed before the crash) change nothing.
        #expect(try after.deliver(placed) == .duplicate)
        #expect(try after.deliver(started) == .duplicate)
        // The worker that was brewing died too: the drink comes back, to another worker.
        #expect(try after.deliver(Events.started("o1", ticket: 1, worker: "w2", attempt: 2)) == .handled(published: 0))
        try after.deliver(Events.brewed("o1", ticket: 1, worker: "w2", attempt: 2))
        try after.deliver(Events.brewed("o1", ticket: 2, worker: "w3"))
        #expect(try after.status("o1") == .ready)
        #expect(try after.outbox().map(\.type)
            == ["DrinkRequested", "DrinkRequested", "OrderBrewingStarted", "OrderReady"])
    }

    @Test func migratingAnOlderDatabaseKeepsItsTickets() throws {
        let db = try Database.inMemory()
        let old = BaristaMigrations.all.filter { $0.version < BaristaMigrations.brewingQueue.version }
        try db.migrate(ServiceKitMigrations.including(old))
        try db.run("INSERT INTO barista_orders (order_id, member_id, status, ticket_count, tickets_done, received_at_ms) "
            + "VALUES ('o', 'm', 'BREWING', 2, 1, 5)")
        try db.run("INSERT INTO tickets (ticket_id, order_id, ticket_no, drink, size, status, barista, started_at_ms, finish_at_ms) "
            + "VALUES ('o-1', 'o', 1, 'tea', 'small', 'done', 'barista-1', 5, 6), ('o-2', 'o', 2, 'tea', 'small', 'brewing', 'barista-2', 6, 9)")
        #expect(try db.migrate(ServiceKitMigrations.including(BaristaMigrations.all)) == 1)

        let set = try #require(try TicketSet.load(orderId: "o", from: db))
        #expect(set.tickets.map(\.status) == [.done, .brewing])
        #expect(set.tickets.map(\.barista) == ["barista-1", "barista-2"])
        #expect(set.tickets.last?.finishAtMs == 9)
        // The new status is allowed, ticket ids are unique.
        try db.run("UPDATE tickets SET status = 'failed' WHERE ticket_id = 'o-2'")
        #expect(throws: SQLiteError.self) {
            try db.run("INSERT INTO tickets (ticket_id, order_id, ticket_no, drink, size, status) VALUES ('o-1', 'o', 3, 'tea', 'small', 'queued')")
        }
    }
}
