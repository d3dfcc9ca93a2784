import Testing
@testable import HTTPServer

/// Parsing, routing and response helpers without sockets.
@Suite struct HTTPUnitTests {
    @Test func headersAreCaseInsensitive() {
        var headers = HTTPHeaders([("Content-Type", "a"), ("X-Many", "1"), ("x-many", "2")])
        #expect(headers["content-type"] == "a")
        #expect(headers.values(for: "X-MANY") == ["1", "2"])
        headers.set("X-MANY", "3")
        #expect(headers.values(for: "x-many") == ["3"])
    }

    @Test func queryParametersAreDecoded() {
        let request = HTTPRequest(method: "GET", target: "/a%20b?x=1&y=hello+world&z=%E2%82%AC&flag&x=2")
        #expect(request.path == "/a b")
        #expect(request.query["x"] == "2")
        #expect(request.query["y"] == "hello world")
        #expect(request.query["z"] == "€")
        #expect(request.query["flag"] == "")
        #expect(request.queryItems.count == 5)
    }

    @Test func badRequestEscapesItsMessage() {
        let response = HTTPResponse.badRequest("bad \"x\"\n")
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"error\": \"bad \\\"x\\\"\\n\"}")
        #expect(response.headers["Content-Type"] == "application/json")
    }

    @Test func parserAcceptsPartialInputAndRejectsGarbage() {
        let parser = HTTPRequestParser(maxHeaderBytes: 1024, maxBodyBytes: 10)
        let whole = Array("POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET".utf8)
        guard case .needMore = parser.parse(whole[0..<20]) else { Issue.record("expected needMore"); return }
        guard case .request(let request, let consumed) = parser.parse(whole[...]) else { Issue.record("expected request"); return }
        #expect(request.body == Array("abc".utf8))
        #expect(consumed == whole.count - 3)
        for bad in ["GET /x\r\n\r\n", "GET x HTTP/1.1\r\n\r\n", "GET /x HTTP/1.1\r\nBad Header: 1\r\n\r\n",
                    "GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "GET /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"] {
            guard case .failure(400, _) = parser.parse(Array(bad.utf8)[...]) else { Issue.record("expected 400 for \(bad)"); continue }
        }
        guard case .failure(505, _) = parser.parse(Array("GET / HTTP/2.0\r\n\r\n".utf8)[...]) else { Issue.record("expected 505"); return }
    }

    @Test func expectContinueIsReported() {
        let parser = HTTPRequestParser(maxHeaderBytes: 1024, maxBodyBytes: 10)
        let head = Array("POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8)
        guard case .needMore(expectsContinue: true) = parser.parse(head[...]) else { Issue.record("expected continue"); return }
    }

    @Test func routerMatchesParametersAndReports405() {
        var router = HTTPRouter()
        router.get("/orders/:id") { _, params in .text(params["id"] ?? "") }
        router.put("/orders/:id") { _, _ in .noContent }
        let found = router.handle(HTTPRequest(method: "GET", target: "/orders/a%2Fb/"))
        #expect(String(decoding: found.body, as: UTF8.self) == "a/b")
        let wrong = router.handle(HTTPRequest(method: "POST", target: "/orders/1"))
        #expect(wrong.status == 405)
        #expect(wrong.headers["Allow"] == "GET, PUT")
        #expect(router.handle(HTTPRequest(method: "GET", target: "/orders")).status == 404)
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() {
        #expect(!HTTPRequest(method: "GET", target: "/", version: "HTTP/1.0").wantsKeepAlive)
        #expect(HTTPRequest(method: "GET", target: "/", version: "HTTP/1.0", headers: HTTPHeaders([("Connection", "Keep-Alive")])).wantsKeepAlive)
        #expect(!HTTPRequest(method: "GET", target: "/", headers: HTTPHeaders([("Connection", "close")])).wantsKeepAlive)
    }
}
