import Net
import Synchronization
import SystemIO
import Testing
@testable import HTTPServer

/// Server-Sent Events over real loopback TCP: framing, keep-alive pings, and the three ways a
/// stream ends (producer returns, client hangs up, server stops), plus the stream limit.
@Suite struct EventStreamTests {
    /// Counts producers that started and ended, so a test can wait for an end.
    final class ProducerLog: Sendable {
        let started = Mutex(0)
        let ended = Mutex(0)
        let changed = ConditionSignal()

        func start() { started.withLock { $0 += 1 }; changed.signal() }
        func end() { ended.withLock { $0 += 1 }; changed.signal() }

        /// Waits up to `millis` until `count` producers ended; true if they did.
        func waitForEnded(_ count: Int, millis: UInt64 = 3_000) -> Bool {
            waitUntil(millis: millis) { self.ended.withLock { $0 } >= count }
        }

        /// Waits up to `millis` until `count` producers started; true if they did.
        func waitForStarted(_ count: Int, millis: UInt64 = 3_000) -> Bool {
            waitUntil(millis: millis) { self.started.withLock { $0 } >= count }
        }

        private func waitUntil(millis: UInt64, _ done: () -> Bool) -> Bool {
            let clock = SystemTimeSource()
            let deadline = clock.monotonicNanos() + millis * 1_000_000
            while true {
                let seen = changed.generation
                if done() { return true }
                let now = clock.monotonicNanos()
                if now >= deadline { return false }
                changed.wait(after: seen, timeoutNanos: deadline - now)
            }
        }
    }

    /// Polls `condition` every 5 ms until it holds or 3 s pass.
    static func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            let pause = ConditionSignal()  // a 5 ms pause without the C library
            _ = pause.wait(after: pause.generation, timeoutNanos: 5_000_000)
        }
        return condition()
    }

    /// A server whose `/events` streams `tick N` every 20 ms until the stream ends and whose
    /// `/three` sends three events and returns.
    private func startStreamingServer(log: ProducerLog, limits: HTTPServer.Limits = HTTPServer.Limits()) throws -> HTTPServer {
        var router = HTTPRouter()
        router.get("/three") { _, _ in
            .eventStream(headers: HTTPHeaders([("X-Board", "1")])) { writer in
                writer.send(ServerSentEvent(event: "snapshot", id: "1", data: "{\"a\":1}"))
                writer.send(ServerSentEvent(data: "two\nlines"))
                writer.send(ServerSentEvent(event: "bye", data: ""))
            }
        }
        router.get("/events") { _, _ in
            .eventStream { writer in
                log.start()
                defer { log.end() }
                var n = 0
                while writer.wait(milliseconds: 20) {
                    n += 1
                    writer.send(ServerSentEvent(event: "tick", data: "\(n)"))
                }
            }
        }
        router.get("/quiet") { _, _ in
            .eventStream { writer in
                log.start()
                defer { log.end() }
                while writer.wait(milliseconds: 60_000) {}
            }
        }
        let server = try HTTPServer(listen: HostPort(host: "127.0.0.1", port: 0), router: router, logger: .silent, limits: limits)
        try server.start()
        return server
    }

    /// Opens `GET path` on `server` and reads the response head.
    private func openStream(_ path: String, on server: HTTPServer) throws -> TestClient {
        let client = try TestClient(port: server.port)
        try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try client.readText(until: "\r\n\r\n")
        return client
    }

    @Test func encodingSplitsLinesAndNeutralisesFieldBreaks() {
        let event = ServerSentEvent(event: "up\ndata: evil", id: "7\r", data: "a\r\nb\rc\nd")
        #expect(event.encoded == "event: up data: evil\nid: 7 \ndata: a\ndata: b\ndata: c\ndata: d\n\n")
        #expect(ServerSentEvent(data: "").encoded == "data: \n\n")
        #expect(ServerSentEvent.comment("ping") == ": ping\n\n")
    }

    @Test func streamHasEventStreamHeadNoLengthAndClosesAtTheEnd() throws {
        let server = try startStreamingServer(log: ProducerLog())
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /three HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = try client.readToEnd()
        let split = try #require(text.firstRange(of: "\r\n\r\n"))
        let head = text[..<split.lowerBound].lowercased()
        #expect(head.hasPrefix("http/1.1 200 ok\r\n"))
        #expect(head.contains("content-type: text/event-stream"))
        #expect(head.contains("cache-control: no-store"))
        #expect(head.contains("connection: close"))
        #expect(head.contains("x-board: 1"))
        #expect(!head.contains("content-length"))
        #expect(text[split.upperBound...]
            == "event: snapshot\nid: 1\ndata: {\"a\":1}\n\ndata: two\ndata: lines\n\nevent: bye\ndata: \n\n")
    }

    @Test func clientDisconnectEndsTheProducer() throws {
        let log = ProducerLog()
        let server = try startStreamingServer(log: log)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = try client.readText(until: "data: 2\n\n")
        #expect(text.contains("event: tick\ndata: 1\n\n"))
        client.connection.close()
        #expect(log.waitForEnded(1))
        // The server frees the stream's slot just after its producer returned.
        #expect(Self.eventually { server.openEventStreams == 0 })
    }

    @Test func quietProducerSeesClientHangUpWhileWaiting() throws {
        let log = ProducerLog()
        let server = try startStreamingServer(log: log)
        defer { server.stop() }
        let client = try openStream("/quiet", on: server)
        #expect(log.waitForStarted(1))
        client.connection.close()
        #expect(log.waitForEnded(1))
    }

    @Test func serverStopEndsAWaitingProducerPromptly() throws {
        let log = ProducerLog()
        let server = try startStreamingServer(log: log)
        let client = try openStream("/quiet", on: server)
        #expect(log.waitForStarted(1))
        let clock = SystemTimeSource()
        let before = clock.monotonicNanos()
        server.stop()
        #expect(log.waitForEnded(1, millis: 100))
        #expect(clock.monotonicNanos() - before < 3_000_000_000)
        #expect(client.isClosedByServer())
    }

    @Test func silentStreamGetsKeepAlivePings() throws {
        var limits = HTTPServer.Limits()
        limits.eventStreamPingMillis = 50
        let server = try startStreamingServer(log: ProducerLog(), limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /quiet HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = try client.readText(until: ": ping\n\n")
        #expect(text.hasSuffix(": ping\n\n"))
    }

    @Test func streamsBeyondTheLimitGet503() throws {
        var limits = HTTPServer.Limits()
        limits.maxEventStreams = 1
        let log = ProducerLog()
        let server = try startStreamingServer(log: log, limits: limits)
        defer { server.stop() }
        let first = try openStream("/quiet", on: server)
        #expect(log.waitForStarted(1))
        let second = try TestClient(port: server.port)
        try second.send("GET /quiet HTTP/1.1\r\nHost: x\r\n\r\n")
        let refused = try second.readResponse()
        #expect(refused.status == 503)
        #expect(refused.headers["Retry-After"] == "5")
        #expect(server.openEventStreams == 1)
        first.connection.close()
        #expect(log.waitForEnded(1))
        #expect(Self.eventually { server.openEventStreams == 0 })
        _ = try openStream("/quiet", on: server)
        #expect(log.waitForStarted(2))
    }
}
