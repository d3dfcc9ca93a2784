import Net
import SystemIO
import Testing
@testable import HTTPServer

/// The server over real loopback TCP with raw HTTP written by hand.
@Suite struct HTTPServerTests {
    @Test func getWithPathAndQueryParameters() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /members/m%2D7?verbose=1&name=Ada+L%C3%B6 HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.bodyText == "{\"id\": \"m-7\", \"verbose\": \"1\", \"name\": \"Ada Lö\"}")
    }

    @Test func postWithJSONBodyAndPathParameters() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        let body = "{\"drink\": \"flat white\"}"
        try client.send("POST /members/42/orders/o-1 HTTP/1.1\r\nHost: x\r\ncontent-TYPE: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let response = try client.readResponse()
        #expect(response.status == 201)
        #expect(response.bodyText == "{\"member\": \"42\", \"order\": \"o-1\", \"received\": {\"drink\": \"flat white\"}}")
    }

    @Test func bodyArrivingInPiecesIsAssembled() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /members/1/orders/2 HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n[1,")
        try client.send("2,3]")
        try client.send("  ")
        let response = try client.readResponse()
        #expect(response.status == 201)
        #expect(response.bodyText.hasSuffix("\"received\": [1,2,3]  }"))
    }

    @Test func keepAliveServesTwoRequestsOnOneConnection() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let first = try client.readResponse()
        #expect(first.status == 200)
        #expect(first.bodyText == "ok\n")
        #expect(first.headers["Connection"] == "keep-alive")
        try client.send("GET /echo/second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let second = try client.readResponse()
        #expect(second.bodyText == "second")
        #expect(second.headers["Connection"] == "close")
        #expect(client.isClosedByServer())
    }

    @Test func unknownPathIs404AndWrongMethodIs405() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /nope HTTP/1.1\r\n\r\n")
        let missing = try client.readResponse()
        #expect(missing.status == 404)
        #expect(missing.bodyText == "{\"error\": \"not found\"}")
        try client.send("DELETE /healthz HTTP/1.1\r\n\r\n")
        let wrong = try client.readResponse()
        #expect(wrong.status == 405)
        #expect(wrong.headers["allow"] == "GET")
    }

    @Test func malformedRequestLineIs400AndCloses() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("this is not http\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(response.headers["Connection"] == "close")
        #expect(response.bodyText.hasPrefix("{\"error\": "))
        #expect(client.isClosedByServer())
    }

    @Test func oversizedHeadersAre431() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        let filler = String(repeating: "a", count: 17 * 1024)
        try client.send("GET /healthz HTTP/1.1\r\nX-Filler: \(filler)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 431)
        #expect(client.isClosedByServer())
    }

    @Test func oversizedBodyIs413() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /members/1/orders/2 HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: \(1024 * 1024 + 1)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(client.isClosedByServer())
    }

    @Test func configurableBodyLimit() throws {
        var limits = HTTPServer.Limits()
        limits.maxBodyBytes = 4
        let server = try startTestServer(limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /members/1/orders/2 HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n[1,2]")
        #expect(try client.readResponse().status == 413)
    }

    @Test func chunkedBodiesAreRefusedWith411() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /members/1/orders/2 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n")
        #expect(try client.readResponse().status == 411)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        let requests = (1...5).map { "GET /echo/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
        try client.send(requests)
        for expected in 1...5 {
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == String(expected))
        }
    }

    @Test func idleConnectionsAreClosedAfterTheTimeout() throws {
        var limits = HTTPServer.Limits()
        limits.idleTimeoutMillis = 200
        let server = try startTestServer(limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /healthz HTTP/1.1\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        #expect(client.isClosedByServer())
    }

    @Test func stopRefusesNewConnectionsAndClosesOpenOnes() throws {
        let server = try startTestServer()
        let client = try TestClient(port: server.port)
        try client.send("GET /healthz HTTP/1.1\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        server.stop()
        #expect(client.isClosedByServer())
        #expect(throws: SystemError.self) { try TCPConnection.connect(to: HostPort(host: "127.0.0.1", port: server.port)) }
    }
}
