import Net
import SystemIO
import Testing
import HTTPServer
@testable import HTTPClient

private func startServer() throws -> HTTPServer {
    var router = HTTPRouter()
    router.get("/hello/:name") { request, params in
        .json("{\"hello\":\"\(params["name"] ?? "")\",\"q\":\"\(request.query["q"] ?? "")\"}")
    }
    router.post("/echo") { request, _ in
        HTTPResponse(status: 201, headers: HTTPHeaders([("X-Seen", request.headers["Idempotency-Key"] ?? "-")]), body: request.body)
    }
    router.get("/big") { _, _ in .text(String(repeating: "x", count: 300_000)) }
    router.get("/empty") { _, _ in .noContent }
    let server = try HTTPServer(listen: HostPort(host: "127.0.0.1", port: 0), router: router, logger: .silent)
    try server.start()
    return server
}

/// A server that answers every request with `reply` verbatim, then closes.
private func rawServer(_ reply: String) throws -> (TCPListener, UInt16) {
    let listener = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
    try SystemThread.spawn(name: "raw") {
        guard let conn = try? listener.accept() else { return }
        var scratch = [UInt8](repeating: 0, count: 4096)
        _ = try? scratch.withUnsafeMutableBytes { (raw) throws(SystemError) -> Int in try conn.read(into: raw) }
        try? conn.writeAll(Array(reply.utf8))
        conn.close()
    }
    return (listener, listener.port)
}

@Suite struct HTTPClientTests {
    @Test func getPostAndKeepAlive() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = HTTPClient(server: HostPort(host: "127.0.0.1", port: server.port))
        let first = try client.get("/hello/ada?q=1")
        #expect(first.status == 200)
        #expect(first.text == "{\"hello\":\"ada\",\"q\":\"1\"}")
        let posted = try client.postJSON("/echo", "{\"a\":1}", headers: [("Idempotency-Key", "k-1")])
        #expect(posted.status == 201)
        #expect(posted.text == "{\"a\":1}")
        #expect(posted.header("x-seen") == "k-1")
        #expect(try client.get("/big").body.count == 300_000)
        #expect(try client.get("/empty").status == 204)
        #expect(try client.get("/nope").status == 404)
    }

    @Test func reconnectsAfterTheServerClosedAKeptAliveConnection() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = HTTPClient(server: HostPort(host: "127.0.0.1", port: server.port))
        #expect(try client.get("/hello/a").status == 200)
        server.stop()
        let again = try startServer()
        defer { again.stop() }
        let other = HTTPClient(server: HostPort(host: "127.0.0.1", port: again.port))
        #expect(try other.get("/hello/b").status == 200)
        #expect(throws: HTTPClientError.self) { try client.get("/hello/a") }
    }

    @Test func chunkedReply() throws {
        let (listener, port) = try rawServer(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
        defer { listener.close() }
        let response = try HTTPClient(server: HostPort(host: "127.0.0.1", port: port)).get("/")
        #expect(response.text == "hello world")
    }

    @Test func malformedRepliesAreErrorsNotCrashes() throws {
        for reply in ["garbage\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
                      "HTTP/1.1 200 OK\r\nbadheader\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"] {
            let (listener, port) = try rawServer(reply)
            defer { listener.close() }
            #expect(throws: HTTPClientError.self) { try HTTPClient(server: HostPort(host: "127.0.0.1", port: port)).get("/") }
        }
    }

    @Test func unreachableAndTimeout() throws {
        let listener = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
        let port = listener.port
        // Accepted by the kernel but never answered: times out.
        let silent = HTTPClient(server: HostPort(host: "127.0.0.1", port: port), timeoutMillis: 200)
        #expect(throws: HTTPClientError.timedOut("no reply from 127.0.0.1:\(port) within 200 ms")) { try silent.get("/") }
        listener.close()
        #expect {
            try HTTPClient(server: HostPort(host: "127.0.0.1", port: port)).get("/")
        } throws: { error in
            if case .notReachable = error as? HTTPClientError { return true }
            return false
        }
    }
}
