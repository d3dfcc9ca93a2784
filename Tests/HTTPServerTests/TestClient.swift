import Net
import SystemIO
@testable import HTTPServer

/// A response as read off the wire by `TestClient`.
struct WireResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Failures of the test client.
struct TestClientError: Error, CustomStringConvertible {
    var description: String
}

/// A raw-bytes HTTP client over `TCPConnection` for the loopback tests (5 s read timeout).
final class TestClient {
    let connection: TCPConnection
    private var pending: [UInt8] = []

    init(port: UInt16) throws {
        connection = try TCPConnection.connect(to: HostPort(host: "127.0.0.1", port: port))
        connection.setReceiveTimeout(milliseconds: 5_000)
    }

    deinit { connection.close() }

    func send(_ text: String) throws { try connection.writeAll(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws { try connection.writeAll(bytes) }

    /// Reads more bytes; false when the server closed the connection.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = try chunk.withUnsafeMutableBytes { try connection.read(into: $0) }
        if count == 0 { return false }
        pending.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Reads one whole response (framed by Content-Length).
    func readResponse() throws -> WireResponse {
        while true {
            if let end = headerEnd() {
                let head = String(decoding: pending[0..<end], as: UTF8.self)
                var lines = head.split(separator: "\r\n")
                guard !lines.isEmpty else { throw TestClientError(description: "empty head") }
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
                    throw TestClientError(description: "bad status line \(head)")
                }
                var headers = HTTPHeaders()
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingASCIISpaces())
                }
                let length = Int(headers["Content-Length"] ?? "0") ?? 0
                while pending.count < end + 4 + length {
                    guard try fill() else { throw TestClientError(description: "closed mid-body") }
                }
                let body = Array(pending[(end + 4)..<(end + 4 + length)])
                pending.removeFirst(end + 4 + length)
                return WireResponse(status: status, headers: headers, body: body)
            }
            guard try fill() else { throw TestClientError(description: "closed before a response") }
        }
    }

    /// Reads until the text received so far contains `marker`; returns (and consumes) all of it.
    func readText(until marker: String) throws -> String {
        while !String(decoding: pending, as: UTF8.self).contains(marker) {
            guard try fill() else { throw TestClientError(description: "closed before \(marker.debugDescription)") }
        }
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Reads until the server closes the connection; returns everything received.
    func readToEnd() throws -> String {
        while try fill() {}
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Whether the server has closed the connection (reads EOF or a reset, not a timeout).
    func isClosedByServer() -> Bool {
        do {
            while try fill() {}
            return true
        } catch {
            return (error as? SystemError)?.code != 11  // EAGAIN: still open, nothing sent
        }
    }

    private func headerEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for index in 0...(pending.count - 4)
        where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
            return index
        }
        return nil
    }
}

/// Starts a server on a free loopback port with the routes used by the tests.
func startTestServer(limits: HTTPServer.Limits = HTTPServer.Limits()) throws -> HTTPServer {
    var router = HTTPRouter()
    router.get("/healthz") { _, _ in .text("ok\n") }
    router.get("/members/:id") { request, params in
        let verbose = request.query["verbose"] ?? "-"
        let name = request.query["name"] ?? "-"
        return .json("{\"id\": \(JSONText.quoted(params["id"] ?? "")), \"verbose\": \(JSONText.quoted(verbose)), \"name\": \(JSONText.quoted(name))}")
    }
    router.post("/members/:id/orders/:order") { request, params in
        guard request.headers["content-type"] == "application/json" else { return .badRequest("expected JSON") }
        let id = params["id"] ?? ""
        let order = params["order"] ?? ""
        return .json("{\"member\": \(JSONText.quoted(id)), \"order\": \(JSONText.quoted(order)), \"received\": \(request.bodyText)}", status: 201)
    }
    router.get("/echo/:n") { _, params in .text(params["n"] ?? "") }
    let server = try HTTPServer(listen: HostPort(host: "127.0.0.1", port: 0), router: router, logger: .silent, limits: limits)
    try server.start()
    return server
}
