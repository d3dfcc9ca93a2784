import Net
import SystemIO
import Testing
@testable import HTTPServer

/// The connection cap, the send timeout for clients that stop reading, and the router's
/// fallback, over real loopback TCP.
@Suite struct HTTPServerLimitsTests {
    /// Polls `condition` every 20 ms until it holds or `seconds` pass.
    private func eventually(within seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            let pause = ConditionSignal()  // a 20 ms pause without the C library
            _ = pause.wait(after: pause.generation, timeoutNanos: 20_000_000)
        }
        return condition()
    }

    @Test func connectionsBeyondTheCapGet503AndFreedSlotsAreReused() throws {
        var limits = HTTPServer.Limits()
        limits.maxConnections = 2
        let server = try startTestServer(limits: limits)
        defer { server.stop() }
        var first: TestClient? = try TestClient(port: server.port)
        let second = try TestClient(port: server.port)
        for client in [first, second].compactMap({ $0 }) {
            try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
        let third = try TestClient(port: server.port)
        let refused = try third.readResponse()
        #expect(refused.status == 503)
        #expect(refused.bodyText.contains("too many connections"))
        #expect(third.isClosedByServer())
        first = nil  // closes its socket: its slot frees once the server sees the close
        _ = first
        #expect(eventually {
            guard let client = try? TestClient(port: server.port),
                  (try? client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")) != nil,
                  let response = try? client.readResponse() else { return false }
            return response.status == 200
        })
    }

    @Test func aClientThatStopsReadingIsDroppedAfterTheSendTimeout() throws {
        var limits = HTTPServer.Limits()
        limits.maxConnections = 1
        limits.sendTimeoutMillis = 200
        var router = HTTPRouter()
        router.get("/big") { _, _ in HTTPResponse(status: 200, body: [UInt8](repeating: 0x61, count: 64 << 20)) }
        router.get("/healthz") { _, _ in .text("ok\n") }
        let server = try HTTPServer(listen: HostPort(host: "127.0.0.1", port: 0), router: router, logger: .silent, limits: limits)
        try server.start()
        defer { server.stop() }
        // Asks for 64 MiB and never reads: the server's write blocks once the socket buffers fill.
        let slow = try TestClient(port: server.port)
        try slow.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        // The only slot is taken until the send timeout drops the slow reader; then /healthz works.
        #expect(eventually {
            guard let client = try? TestClient(port: server.port),
                  (try? client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")) != nil,
                  let response = try? client.readResponse() else { return false }
            return response.status == 200
        })
        _ = slow
    }

    @Test func theFallbackAnswersPathsNoRouteMatchesButNotWrongMethods() {
        var router = HTTPRouter()
        router.get("/a") { _, _ in .text("a") }
        router.fallback = { request, _ in .text("fallback \(request.method)") }
        let get = { (target: String, method: String) in
            router.handle(HTTPRequest(method: method, target: target, version: "HTTP/1.1", headers: HTTPHeaders(), body: []))
        }
        #expect(get("/a", "GET").body == Array("a".utf8))
        #expect(get("/b/c", "GET").body == Array("fallback GET".utf8))
        #expect(get("/a", "POST").status == 405)
    }
}

/// Slowloris: a request trickling in a byte at a time gets 408 once its time is up.
@Suite struct HTTPRequestTimeoutTests {
    @Test func aTricklingRequestGets408WithinTheRequestTimeout() throws {
        var limits = HTTPServer.Limits()
        limits.requestTimeoutMillis = 400
        let server = try startTestServer(limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        let started = ContinuousClock.now
        var answered: WireResponse?
        // A header byte every 50 ms: each read succeeds, but the request never completes.
        for byte in Array("GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8) {
            guard (try? client.send([byte])) != nil else { break }
            let pause = ConditionSignal()
            _ = pause.wait(after: pause.generation, timeoutNanos: 50_000_000)
            if ContinuousClock.now - started > .milliseconds(600) { break }
        }
        answered = try client.readResponse()
        #expect(answered?.status == 408)
        #expect(client.isClosedByServer())
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func aStalledHalfRequestGets408() throws {
        var limits = HTTPServer.Limits()
        limits.requestTimeoutMillis = 300
        let server = try startTestServer(limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
        #expect(try client.readResponse().status == 408)
    }

    @Test func keepAliveConnectionsBetweenRequestsAreNotTimedOutAsRequests() throws {
        var limits = HTTPServer.Limits()
        limits.requestTimeoutMillis = 200
        let server = try startTestServer(limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        let pause = ConditionSignal()  // idle between requests longer than the request timeout: allowed
        _ = pause.wait(after: pause.generation, timeoutNanos: 400_000_000)
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }
}
