import Foundation
import Testing
import EventContracts
import NotificationService
import SQLite

@Suite struct NotificationFileSinkTests {
    /// The file's lines parsed as JSON objects (every line must parse).
    func lines(_ path: String) throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        #expect(text.isEmpty || text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any])
        }
    }

    /// Polls `condition` every 10 ms until it holds or `seconds` pass.
    func eventually(seconds: Double = 10, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try condition()
    }

    @Test func writesEachDeliveredNotificationOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/notifications.jsonl"
        let h = try NotificationHarness()
        let sink = NotificationFileSink(path: path)
        try h.consume(Events.member("m1"))
        try h.consume(Events.placed("o1", member: "m1"))
        try h.consume(Events.ready("o1"))
        try h.consume(Events.ready("o2"))  // waiting: not written
        #expect(try sink.writePending(database: h.db) == 2)
        #expect(try sink.writePending(database: h.db) == 0)
        var written = try lines(path)
        #expect(written.map { $0["kind"] as? String } == ["received", "ready"])
        #expect(written.allSatisfy { $0["notificationId"] is Int && $0["eventId"] is String && $0["message"] is String })

        try h.consume(Events.placed("o2", member: "m1"))
        #expect(try sink.writePending(database: h.db) == 2)
        sink.close()
        written = try lines(path)
        let ids = written.compactMap { $0["notificationId"] as? Int }
        #expect(ids.count == 4 && Set(ids).count == 4)
        let (_, stats) = try h.get("/admin/stats")
        #expect(stats["sinkUnwritten"] as? Int == 0)
    }

    @Test func restartAfterACrashLosesNoLineAndRepairsATornTail() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/notifications.jsonl"
        let dbPath = dir.path + "/notify.sqlite"
        let settings = NotificationSettings(sinkFilePath: path, sinkIntervalMillis: 60_000)

        var ids: Set<Int> = []
        do {
            let h = try NotificationHarness(settings: settings, db: try Database(path: dbPath))
            try h.consume(Events.member("m1"))
            for n in 1...3 {
                try h.consume(Events.placed("o\(n)", member: "m1"))
                try h.consume(Events.ready("o\(n)"))
            }
            let sink = NotificationFileSink(path: path)
            #expect(try sink.writePending(database: h.db) == 6)
            sink.close()
            // A crash after the append and fsync but before the mark: the last two lines are
            // in the file but not marked.
            try h.db.run("UPDATE notifications SET sink_written = 0 WHERE notification_id > 4")
            // More deliveries while the writer is down, and a torn write at the very end.
            try h.consume(Events.placed("o4", member: "m1"))
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("{\"notificationId\":7,\"eventId\":\"to".utf8))
            try handle.close()
            ids = Set(try h.notifications().compactMap { $0["notificationId"] as? Int })
        }
        #expect(ids.count == 7)

        // The restarted service repairs the tail and writes what was not marked.
        let h = try NotificationHarness(settings: settings, db: try Database(path: dbPath))
        try h.service.startWorkers(context: h.context)
        defer { h.service.stopWorkers() }
        let done = try await eventually {
            let (_, stats) = try h.get("/admin/stats")
            return stats["sinkUnwritten"] as? Int == 0
        }
        #expect(done)
        h.service.stopWorkers()
        let written = try lines(path).compactMap { $0["notificationId"] as? Int }
        #expect(Set(written) == ids)
        #expect(written.count == 9)  // ids 5 and 6 twice: readers dedupe by notificationId
        #expect(written.filter { $0 == 5 || $0 == 6 }.count == 4)
        #expect(h.log.messages(at: "WARN").contains { $0.contains("partial last line") })
    }

    @Test func theWorkerWakesOnCommitsAndStopsPromptly() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/sink.jsonl"
        // A one-minute interval: only the eventsCommitted signal can make the writer run in time.
        let h = try NotificationHarness(settings: NotificationSettings(sinkFilePath: path, sinkIntervalMillis: 60_000))
        try h.service.startWorkers(context: h.context)
        try h.consume(Events.member("m1"))
        try h.consume(Events.placed("o1", member: "m1"))
        #expect(try await eventually { try lines(path).count == 1 })
        try h.consume(Events.ready("o1"))
        #expect(try await eventually { try lines(path).count == 2 })
        // The counter moves just after the lines are marked written.
        #expect(try await eventually { h.context.metrics.value(NotificationMetrics.sinkLines) == 2 })

        let started = ContinuousClock.now
        h.service.stopWorkers()
        #expect(ContinuousClock.now - started < .seconds(5))
        // Stopped: a delivery now is written only by the next start.
        try h.consume(Events.placed("o2", member: "m1"))
        try await Task.sleep(for: .milliseconds(50))
        #expect(try lines(path).count == 2)
        try h.service.startWorkers(context: h.context)
        #expect(try await eventually { try lines(path).count == 3 })
        h.service.stopWorkers()
    }

    @Test func anUnwritablePathFailsAtStart() throws {
        let h = try NotificationHarness(settings: NotificationSettings(sinkFilePath: "/nonexistent-\(UUID())/sink.jsonl"))
        #expect(throws: (any Error).self) { try h.service.startWorkers(context: h.context) }
        h.service.stopWorkers()  // nothing to stop; must not hang
    }
}
