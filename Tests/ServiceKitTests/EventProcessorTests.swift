import Testing
import SQLite
import EventContracts
import SystemIO
@testable import ServiceKit

/// A service whose handler writes one row per event into `effects` and whose behaviour per
/// event id is scripted: fail N times, fail permanently, or fail with a database error.
private final class ScriptedService: CoffeeService, @unchecked Sendable {
    enum Script { case failTimes(Int), permanent, database }
    let name = "test-service"
    let migrations = [Migration(version: 100, name: "effects", sql: "CREATE TABLE effects (event_id TEXT, note TEXT);")]
    let consumedTopics: [CoffeeTopic] = [.members]
    let scripts: Locked<[String: Script]>
    let calls = Locked<[String: Int]>([:])

    init(_ scripts: [String: Script] = [:]) { self.scripts = Locked(scripts) }

    struct Transient: Error, CustomStringConvertible { var description: String { "transient failure" } }

    func handle(_ event: ConsumedEvent, db: Database, context: ServiceContext) throws -> [CoffeeEvent] {
        let id = event.event.eventId
        let call = calls.withLock { $0[id, default: 0] += 1; return $0[id, default: 0] }
        // Written before failing, so the tests see that a failure rolls it back.
        try db.run("INSERT INTO effects (event_id, note) VALUES (?, ?)", .text(id), .text("call \(call)"))
        switch scripts.withLock({ $0[id] }) {
        case .failTimes(let n) where call <= n: throw Transient()
        case .permanent: throw PermanentHandlerError("cannot ever handle \(id)")
        case .database: throw SQLiteError(code: 10, message: "disk I/O error", operation: "test")
        default: break
        }
        return [.orderReady(EventEnvelope(payload: OrderReady(orderId: "order-of-\(id)"), correlationId: id))]
    }
}

private func member(_ id: String) -> [UInt8] {
    CoffeeEvent.memberRegistered(EventEnvelope(
        payload: MemberRegistered(memberId: "m-\(id)", name: "Ada", email: "ada@example.com"),
        eventId: id, occurredAt: "2025-03-14T08:05:42.918Z")).encode()
}

private func record(_ offset: Int64, _ value: [UInt8]?) -> IncomingRecord {
    IncomingRecord(topic: "coffee.members", partition: 1, offset: offset, key: Array("k\(offset)".utf8), value: value,
                   headers: [MessageHeader(name: "type", text: "MemberRegistered")])
}

private struct Fixture {
    let service: ScriptedService
    let db: Database
    let processor: EventProcessor
    let sleeps: Locked<[Duration]>

    init(_ scripts: [String: ScriptedService.Script] = [:], attempts: Int = 3, stopAfterSleeps: Int = .max) throws {
        service = ScriptedService(scripts)
        db = try Database.inMemory()
        try db.migrate(try ServiceKitMigrations.including(service.migrations))
        let config = try ServiceConfig(serviceName: "test-service", environment: { _ in nil })
        let context = ServiceContext(config: config, database: db, metrics: Metrics(), logger: .silent, environment: { _ in nil })
        let sleeps = Locked<[Duration]>([])
        self.sleeps = sleeps
        processor = EventProcessor(
            service: service, context: context,
            retry: RetryPolicy(attempts: attempts, baseBackoff: .milliseconds(10), maxBackoff: .milliseconds(40)),
            sleep: { d in sleeps.withLock { $0.append(d); return $0.count < stopAfterSleeps } },
            nowMillis: { 1_700_000_000_000 })
    }

    func effects() throws -> [String] { try db.query("SELECT event_id FROM effects ORDER BY rowid").map { try $0.text("event_id") } }
    func outbox() throws -> [OutboxRow] { try Outbox.pending(limit: 100, in: db) }
}

@Suite struct EventProcessorTests {
    @Test func handlesOnceAndSkipsRedelivery() throws {
        let f = try Fixture()
        let first = f.processor.process([record(0, member("e1")), record(1, member("e2"))])
        #expect(first == ProcessingResult(dispositions: [.handled(published: 1), .handled(published: 1)], databaseError: nil))
        let again = f.processor.process([record(0, member("e1")), record(5, member("e2"))])
        #expect(again.dispositions == [.duplicate, .duplicate])
        #expect(try f.effects() == ["e1", "e2"])
        let outbox = try f.outbox()
        #expect(outbox.map(\.topic) == ["coffee.barista", "coffee.barista"])
        #expect(outbox.map(\.key) == [Array("order-of-e1".utf8), Array("order-of-e2".utf8)])
        #expect(try Inbox.count(in: f.db) == 2)
    }

    @Test func undecodableRecordsAreDeadLetteredAndTheRestContinues() throws {
        let f = try Fixture()
        let garbage: [UInt8] = Array("{not json".utf8)
        let unknownType = Array(#"{"eventId":"x","type":"Teleported","schemaVersion":1,"occurredAt":"2025-01-01T00:00:00Z","aggregateId":"a","payload":{}}"#.utf8)
        let result = f.processor.process([record(0, garbage), record(1, nil), record(2, unknownType), record(3, member("ok"))])
        #expect(result.databaseError == nil)
        #expect(result.dispositions.count == 4)
        #expect(result.dispositions[3] == .handled(published: 1))
        let dlq = try f.outbox().filter { $0.topic == "coffee.dlq" }
        #expect(dlq.map(\.eventId) == ["dlq:coffee.members:1:0", "dlq:coffee.members:1:1", "dlq:coffee.members:1:2"])
        #expect(dlq[0].value == garbage)
        #expect(dlq[0].key == Array("k0".utf8))
        let headers = Dictionary(dlq[2].headers.map { ($0.name, $0.text ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(headers["type"] == "MemberRegistered")
        #expect(headers["dlq.originalTopic"] == "coffee.members")
        #expect(headers["dlq.originalPartition"] == "1")
        #expect(headers["dlq.originalOffset"] == "2")
        #expect(headers["dlq.consumer"] == "test-service")
        #expect(headers["dlq.attempts"] == "1")
        #expect(headers["dlq.error"]?.contains("Teleported") == true)
        #expect(headers["dlq.failedAt"] == "2023-11-14T22:13:20.000Z")
        // Redelivery of the same garbage does not write a second dead letter.
        _ = f.processor.process([record(0, garbage)])
        #expect(try f.outbox().filter { $0.topic == "coffee.dlq" }.count == 3)
        #expect(f.sleeps.withLock { $0 }.isEmpty)
    }

    @Test func poisonEventIsRetriedThenDeadLetteredAndItsWritesRolledBack() throws {
        let f = try Fixture(["bad": .failTimes(100)], attempts: 3)
        let result = f.processor.process([record(0, member("a")), record(1, member("bad")), record(2, member("b"))])
        #expect(result.databaseError == nil)
        #expect(result.dispositions.count == 3)
        #expect(result.dispositions[0] == .handled(published: 1))
        #expect(result.dispositions[1] == .deadLettered(error: "transient failure"))
        #expect(result.dispositions[2] == .handled(published: 1))
        #expect(f.service.calls.withLock { $0["bad"] } == 3)
        #expect(f.sleeps.withLock { $0 } == [.milliseconds(10), .milliseconds(20)])
        #expect(try f.effects() == ["a", "b"])  // every failed try of "bad" was rolled back
        let dlq = try #require(try f.outbox().first { $0.topic == "coffee.dlq" })
        #expect(dlq.headers.first { $0.name == "dlq.attempts" }?.text == "3")
        // The poison event's id is in the inbox: a redelivered copy is skipped, not dead-lettered again.
        #expect(f.processor.process([record(9, member("bad"))]).dispositions == [.duplicate])
    }

    @Test func transientFailureRecovers() throws {
        let f = try Fixture(["flaky": .failTimes(2)], attempts: 5)
        let result = f.processor.process([record(0, member("flaky"))])
        #expect(result.dispositions == [.handled(published: 1)])
        #expect(try f.effects() == ["flaky"])
        #expect(try f.outbox().allSatisfy { $0.topic != "coffee.dlq" })
    }

    @Test func permanentErrorIsDeadLetteredWithoutRetries() throws {
        let f = try Fixture(["never": .permanent], attempts: 5)
        let result = f.processor.process([record(0, member("never")), record(1, member("fine"))])
        #expect(result.dispositions == [.deadLettered(error: "cannot ever handle never"), .handled(published: 1)])
        #expect(f.service.calls.withLock { $0["never"] } == 1)
        #expect(f.sleeps.withLock { $0 }.isEmpty)
    }

    @Test func databaseErrorStopsWithoutCommittingTheFailingRun() throws {
        let f = try Fixture(["db": .database])
        let result = f.processor.process([record(0, member("a")), record(1, member("db")), record(2, member("b"))])
        #expect(result.dispositions.isEmpty)  // "a" shared the failed transaction, so it is not committed either
        #expect(result.databaseError?.code == 10)
        #expect(try f.effects().isEmpty)
        #expect(try Inbox.count(in: f.db) == 0)
        #expect(try f.outbox().isEmpty)
        // Once the database works again, the same records go through exactly once.
        f.service.scripts.withLock { $0["db"] = nil }
        #expect(f.processor.process([record(0, member("a")), record(1, member("db")), record(2, member("b"))]).dispositions.count == 3)
        #expect(try f.effects() == ["a", "db", "b"])
    }

    @Test func stopDuringRetriesLeavesTheRecordUnprocessed() throws {
        let f = try Fixture(["bad": .failTimes(100)], attempts: 5, stopAfterSleeps: 1)
        let result = f.processor.process([record(0, member("a")), record(1, member("bad")), record(2, member("b"))])
        #expect(result.dispositions == [.handled(published: 1)])
        #expect(result.databaseError == nil)
        #expect(try f.outbox().allSatisfy { $0.topic != "coffee.dlq" })
        #expect(try !Inbox.contains(eventId: "bad", in: f.db))
    }
}
