import Foundation
import Synchronization
import Testing
import EventContracts
import KafkaRecords
import ServiceKit
import SystemIO
@testable import BaristaWorker

/// Records what a worker publishes; can be told to fail.
final class RecordingPublisher: DrinkResultPublisher, @unchecked Sendable {
    struct Published: Equatable {
        var event: CoffeeEvent
        var waited: Bool
    }
    struct Failure: Error {}

    private let lock = NSLock()
    private var _published: [Published] = []
    private var _deadLetters: [(QueuedDrink, String, Int)] = []
    /// Event types whose publish throws.
    var failing: Set<String> = []
    var failDeadLetters = false

    var published: [Published] { lock.withLock { _published } }
    var types: [String] { published.map(\.event.type) }
    var deadLetters: [(drink: QueuedDrink, error: String, attempts: Int)] { lock.withLock { _deadLetters.map { ($0.0, $0.1, $0.2) } } }

    func publish(_ event: CoffeeEvent, waitForAck: Bool) throws {
        if failing.contains(event.type) { throw Failure() }
        lock.withLock { _published.append(Published(event: event, waited: waitForAck)) }
    }

    func deadLetter(_ drink: QueuedDrink, error: String, attempts: Int, worker: String, atMillis: Int64) throws {
        if failDeadLetters { throw Failure() }
        lock.withLock { _deadLetters.append((drink, error, attempts)) }
    }
}

/// A queue handing out prepared drinks and recording acknowledgements.
final class ScriptedQueue: DrinkQueue, @unchecked Sendable {
    private let lock = NSLock()
    private var drinks: [QueuedDrink]
    private var _acks: [(Int64, DrinkAcknowledgement)] = []
    var onEmpty: () -> Void = {}
    init(_ drinks: [QueuedDrink]) { self.drinks = drinks }
    var mode: String { "scripted" }
    var acks: [(offset: Int64, ack: DrinkAcknowledgement)] { lock.withLock { _acks.map { ($0.0, $0.1) } } }

    func take(timeoutMs: Int) throws -> QueuedDrink? {
        let next: QueuedDrink? = lock.withLock { drinks.isEmpty ? nil : drinks.removeFirst() }
        if next == nil { onEmpty() }
        return next
    }
    func acknowledge(_ drink: QueuedDrink, _ acknowledgement: DrinkAcknowledgement) throws {
        lock.withLock { _acks.append((drink.offset, acknowledgement)) }
    }
    func close() {}
}

private func request(_ orderId: String = "o1", ticket: Int = 1, drink: String = "tea", size: DrinkSize = .small) -> [UInt8] {
    CoffeeEvent.drinkRequested(EventEnvelope(
        payload: DrinkRequested(orderId: orderId, ticketId: "\(orderId)-\(ticket)", drink: drink, size: size),
        correlationId: "flow-\(orderId)")).encode()
}

private func queued(_ value: [UInt8]?, offset: Int64 = 7, delivery: Int = 1) -> QueuedDrink {
    QueuedDrink(topic: "coffee.brew-queue", partition: 1, offset: offset, key: Array("o1".utf8), value: value,
                headers: [RecordHeader(key: "type", value: Array("DrinkRequested".utf8))], deliveryCount: delivery)
}

private func worker(_ publisher: RecordingPublisher, failRate: Double = 0, brewMs: Int64 = 0, maxAttempts: Int = 3) -> BaristaWorker {
    BaristaWorker(settings: BaristaWorkerSettings(name: "w1", fixedBrewMillis: brewMs, failRate: failRate, maxAttempts: maxAttempts),
                  publisher: publisher, metrics: Metrics(), logger: .silent, clock: { 1_700_000_000_000 })
}

@Suite struct BaristaWorkerTests {
    @Test func aBrewedDrinkIsPublishedAndAcknowledgedOnlyThen() throws {
        let publisher = RecordingPublisher()
        let ack = worker(publisher).brew(queued(request(), delivery: 2))
        #expect(ack == .accept)
        #expect(publisher.types == ["DrinkStarted", "DrinkBrewed"])
        #expect(publisher.published.map(\.waited) == [false, true])
        guard case .drinkBrewed(let brewed) = publisher.published.last?.event else { Issue.record("no DrinkBrewed"); return }
        #expect(brewed.payload == DrinkBrewed(orderId: "o1", ticketId: "o1-1", worker: "w1", attempt: 2))
        #expect(brewed.correlationId == "flow-o1")
        #expect(brewed.aggregateId == "o1")
        #expect(brewed.occurredAt == "2023-11-14T22:13:20.000Z")
        guard case .drinkStarted(let started) = publisher.published.first?.event else { Issue.record("no DrinkStarted"); return }
        #expect(started.payload.attempt == 2)
        #expect(publisher.deadLetters.isEmpty)
    }

    @Test func aFailingDrinkIsReleasedUntilTheLastAttemptThenDeadLetteredAndRejected() throws {
        let publisher = RecordingPublisher()
        let w = worker(publisher, failRate: 1, maxAttempts: 3)
        #expect(w.brew(queued(request(), delivery: 1)) == .release)
        #expect(w.brew(queued(request(), delivery: 2)) == .release)
        #expect(publisher.types == ["DrinkStarted", "DrinkStarted"])
        #expect(publisher.deadLetters.isEmpty)
        #expect(w.brew(queued(request(), delivery: 3)) == .reject)
        #expect(publisher.types == ["DrinkStarted", "DrinkStarted", "DrinkStarted", "DrinkFailed"])
        #expect(publisher.published.last?.waited == true)
        guard case .drinkFailed(let failed) = publisher.published.last?.event else { Issue.record("no DrinkFailed"); return }
        #expect(failed.payload == DrinkFailed(orderId: "o1", ticketId: "o1-1", worker: "w1", attempts: 3, reason: MachineFailure.reason))
        let letter = try #require(publisher.deadLetters.first)
        #expect(letter.attempts == 3)
        #expect(letter.drink.offset == 7)
        #expect(letter.error.contains("broke down"))
        // Delivered again past the limit (a kill after the reject was lost): given up again.
        #expect(w.brew(queued(request(), delivery: 5)) == .reject)
    }

    @Test func malformedRecordsAreDeadLetteredAndRejected() throws {
        let publisher = RecordingPublisher()
        let w = worker(publisher)
        let other = CoffeeEvent.orderReady(EventEnvelope(payload: OrderReady(orderId: "o1"))).encode()
        #expect(w.brew(queued(Array("{not json".utf8))) == .reject)
        #expect(w.brew(queued(nil)) == .reject)
        #expect(w.brew(queued(other)) == .reject)
        #expect(publisher.published.isEmpty)
        #expect(publisher.deadLetters.map(\.error) == [
            "brewing queue record is not a valid event", "brewing queue record is an empty value",
            "brewing queue record is a OrderReady, not a DrinkRequested",
        ])
    }

    @Test func anUnpublishedOutcomeReleasesTheDrink() throws {
        let brewedFails = RecordingPublisher()
        brewedFails.failing = ["DrinkBrewed"]
        #expect(worker(brewedFails).brew(queued(request())) == .release)

        let startedFails = RecordingPublisher()
        startedFails.failing = ["DrinkStarted"]
        #expect(worker(startedFails).brew(queued(request())) == .accept)  // only a progress report was lost

        let deadLetterFails = RecordingPublisher()
        deadLetterFails.failDeadLetters = true
        #expect(worker(deadLetterFails, failRate: 1, maxAttempts: 1).brew(queued(request())) == .release)
        #expect(!deadLetterFails.types.contains("DrinkFailed"))
        #expect(worker(deadLetterFails).brew(queued(Array("x".utf8))) == .release)

        let failedFails = RecordingPublisher()
        failedFails.failing = ["DrinkFailed"]
        #expect(worker(failedFails, failRate: 1, maxAttempts: 1).brew(queued(request())) == .release)
    }

    @Test func stoppingMidBrewReleasesTheDrinkAtOnce() throws {
        let publisher = RecordingPublisher()
        let w = worker(publisher, brewMs: 600_000)
        let result = Mutex<DrinkAcknowledgement?>(nil)
        let done = DispatchSemaphore(value: 0)
        try SystemThread.spawn(name: "brew") {
            let ack = w.brew(queued(request()))
            result.withLock { $0 = ack }
            done.signal()
        }
        // Stop once the drink is brewing (its DrinkStarted is out), then time the release.
        let deadline = Date().addingTimeInterval(30)
        while publisher.published.isEmpty && Date() < deadline { usleep(1_000) }
        #expect(publisher.types == ["DrinkStarted"])
        let stoppedAt = Date()
        w.stop()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(Date().timeIntervalSince(stoppedAt) < 10)
        #expect(result.withLock { $0 } == .release)
        #expect(publisher.types == ["DrinkStarted"])
    }

    @Test func runTakesBrewsAndAcknowledgesEachDrinkUntilStopped() throws {
        let publisher = RecordingPublisher()
        let w = worker(publisher, failRate: 0)
        let queue = ScriptedQueue([queued(request("a"), offset: 1), queued(Array("bad".utf8), offset: 2), queued(request("b"), offset: 3)])
        queue.onEmpty = { w.stop() }
        var healthy: [String?] = []
        w.run(queue: queue) { healthy.append($0) }
        #expect(queue.acks.map(\.offset) == [1, 2, 3])
        #expect(queue.acks.map(\.ack) == [.accept, .reject, .accept])
        #expect(publisher.types == ["DrinkStarted", "DrinkBrewed", "DrinkStarted", "DrinkBrewed"])
        #expect(healthy.allSatisfy { $0 == nil })
    }
}

@Suite struct BaristaWorkerSettingsTests {
    @Test func defaults() throws {
        let settings = try BaristaWorkerSettings.fromEnvironment({ _ in nil }, defaultName: "host-42")
        #expect(settings == BaristaWorkerSettings(name: "host-42"))
        #expect(settings.groupId == "barista-workers")
        #expect(settings.queueMode == .auto)
        #expect(settings.maxAttempts == 3)
        #expect(settings.lockDurationMs == nil)
        #expect(settings.brewMillis(of: "espresso", size: .medium) == 1_000)
        #expect(settings.brewMillis(of: "babyccino", size: .medium) == 0)
    }

    @Test func readsEveryVariable() throws {
        let env = ["BARISTA_WORKER_NAME": "w7", "BARISTA_GROUP": "g", "BARISTA_QUEUE_MODE": "group", "BARISTA_SPEED_FACTOR": "0.5",
                   "BARISTA_FAIL_RATE": "0.25", "BARISTA_MAX_ATTEMPTS": "5", "BARISTA_LOCK_MS": "2000"]
        let settings = try BaristaWorkerSettings.fromEnvironment({ env[$0] }, defaultName: "x")
        #expect(settings.name == "w7")
        #expect(settings.groupId == "g")
        #expect(settings.queueMode == .group)
        #expect(settings.brewMillis(of: "espresso", size: .medium) == 500)
        #expect(settings.failRate == 0.25)
        #expect(settings.maxAttempts == 5)
        #expect(settings.lockDurationMs == 2_000)
        let fixed = try BaristaWorkerSettings.fromEnvironment({ $0 == "BARISTA_BREW_MS" ? "100" : nil }, defaultName: "x")
        #expect(fixed.brewMillis(of: "mocha", size: .large) == 100)
        #expect(fixed.brewMillis(of: "babyccino", size: .large) == 100)
    }

    @Test func malformedValuesNameTheVariable() {
        let cases: [(String, String)] = [
            ("BARISTA_QUEUE_MODE", "fifo"), ("BARISTA_SPEED_FACTOR", "-1"), ("BARISTA_SPEED_FACTOR", "inf"),
            ("BARISTA_FAIL_RATE", "1.5"), ("BARISTA_FAIL_RATE", "nan"), ("BARISTA_MAX_ATTEMPTS", "0"),
            ("BARISTA_MAX_ATTEMPTS", "11"), ("BARISTA_LOCK_MS", "10"), ("BARISTA_BREW_MS", "-5"),
        ]
        for (variable, value) in cases {
            let error = #expect(throws: BaristaWorkerSettingsError.self) {
                _ = try BaristaWorkerSettings.fromEnvironment({ $0 == variable ? value : nil }, defaultName: "x")
            }
            #expect(error?.variable == variable)
            #expect(error?.description.contains(variable) == true)
        }
    }

    @Test func machineFailureIsDecidedByTheTicketIdAlone() {
        let ids = (0..<2_000).map { "order-\($0)-1" }
        let half = ids.filter { MachineFailure.breaks(ticketId: $0, rate: 0.5) }
        #expect(half.count > 850 && half.count < 1_150)
        #expect(ids.filter { MachineFailure.breaks(ticketId: $0, rate: 0.5) } == half)
        #expect(!MachineFailure.breaks(ticketId: "x", rate: 0))
        #expect(MachineFailure.breaks(ticketId: "x", rate: 1))
        #expect(BaristaWorkerSettings(name: "n", speedFactor: 1e300).brewMillis(of: "tea", size: .large) == 3_600_000)
    }
}
