import Testing
import SQLite
import EventContracts
import ServiceKit
import SystemIO
@testable import BaristaService

/// The scheduler thread with the real clock: woken by `eventsCommitted`, by due tickets, and
/// stopped by `stopWorkers`. Every blocking wait runs on its own thread.
@Suite struct WorkerTests {
    private func liveHarness(_ settings: BaristaSettings) throws -> BaristaHarness {
        try BaristaHarness(settings: settings, serviceClock: BaristaService.systemClock)
    }

    @Test func brewsEveryOrderWhenWokenByCommittedEvents() async throws {
        let h = try liveHarness(BaristaSettings(baristaCount: 3, speedFactor: 0))
        let relayWakeups = h.context.outboxWakeup.generation
        try h.service.startWorkers(context: h.context)
        for i in 0..<40 { try h.deliver(Events.placed("w\(i)", "latte", quantity: 1 + i % 3)) }
        h.context.eventsCommitted.signal()

        let allReady = try await onThread {
            poll(seconds: 20) { (try? h.db.scalar("SELECT COUNT(*) FROM barista_orders WHERE status = 'READY'").intValue) == 40 }
        }
        #expect(allReady)
        #expect(h.context.outboxWakeup.generation > relayWakeups)
        try await onThread { h.service.stopWorkers() }

        let rows = try h.outbox()
        #expect(rows.count == 80)
        #expect(rows.filter { $0.type == "OrderReady" }.count == 40)
        let tickets = (0..<40).reduce(0) { $0 + 1 + $1 % 3 }
        #expect(h.context.metrics.value("barista_tickets_brewed_total") == Double(tickets))
        #expect(h.context.metrics.value("barista_queue_depth") == 0)
        #expect(h.context.metrics.render().contains("# TYPE barista_tickets_brewed_total counter"))
    }

    @Test func wakesAtTheNextFinishTimeWithoutASignal() async throws {
        // espresso 1000 ms × 0.02 = 20 ms; one barista, so each order waits for the previous one.
        let h = try liveHarness(BaristaSettings(baristaCount: 1, speedFactor: 0.02))
        for i in 0..<5 { try h.deliver(Events.placed("t\(i)", "espresso")) }
        try h.service.startWorkers(context: h.context)  // the first step runs without a signal

        let allReady = try await onThread {
            poll(seconds: 20) { (try? h.db.scalar("SELECT COUNT(*) FROM barista_orders WHERE status = 'READY'").intValue) == 5 }
        }
        #expect(allReady)
        try await onThread { h.service.stopWorkers() }
        let sets = try (0..<5).map { try #require(try h.ticketSet("t\($0)")) }
        for (earlier, later) in zip(sets, sets.dropFirst()) {
            #expect(later.tickets[0].startedAtMs ?? 0 >= earlier.tickets[0].finishAtMs ?? .max)
            #expect(earlier.tickets[0].finishAtMs == (earlier.tickets[0].startedAtMs ?? 0) + 20)
        }
    }

    @Test func stopIsIdempotentAndStartAfterStopDoesNothing() async throws {
        let h = try liveHarness(BaristaSettings(speedFactor: 0))
        try await onThread { h.service.stopWorkers() }  // never started: returns at once
        try h.service.startWorkers(context: h.context)
        try h.service.startWorkers(context: h.context)  // second start: no second thread
        try await onThread {
            h.service.stopWorkers()
            h.service.stopWorkers()
        }
        try h.service.startWorkers(context: h.context)
        try h.deliver(Events.placed("late", "tea"))
        h.context.eventsCommitted.signal()
        let brewed = try await onThread { poll(seconds: 0.3) { (try? h.status("late")) == .ready } }
        #expect(!brewed)
    }
}
