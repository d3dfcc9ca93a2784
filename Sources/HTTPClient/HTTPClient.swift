public import Net
internal import SystemIO

/// A minimal blocking HTTP/1.1 client for one server: keep-alive on one connection,
/// `Content-Length` and chunked bodies, a receive timeout, one transparent reconnect when a
/// kept-alive connection turns out to be closed before any reply byte arrived.
///
/// Thread-safety: not thread-safe — use one client per thread (callers that share one must
/// serialise calls). Replies larger than `maxResponseBytes` are refused.
public final class HTTPClient {
    /// The server.
    public let server: HostPort
    /// How long to wait for each reply.
    public let timeoutMillis: Int
    /// The largest reply accepted (head plus body).
    public let maxResponseBytes: Int
    private var connection: TCPConnection?
    private var buffer: [UInt8] = []

    /// A client for `server`; nothing connects until the first request.
    public init(server: HostPort, timeoutMillis: Int = 10_000, maxResponseBytes: Int = 256 << 20) {
        self.server = server
        self.timeoutMillis = timeoutMillis
        self.maxResponseBytes = maxResponseBytes
    }

    deinit { connection?.close() }

    /// Sends one request and returns the reply. `path` includes any query string.
    public func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) throws(HTTPClientError) -> HTTPClientResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(server)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let wire = Array(head.utf8) + (body ?? [])
        let reused = connection != nil
        do {
            return try exchange(wire)
        } catch .notReachable where reused {
            // The kept-alive connection was closed by the server before replying: try once anew.
            return try exchange(wire)
        }
    }

    /// `GET path`.
    public func get(_ path: String) throws(HTTPClientError) -> HTTPClientResponse {
        try request("GET", path)
    }

    /// `POST path` with a JSON body.
    public func postJSON(_ path: String, _ json: String, headers: [(String, String)] = []) throws(HTTPClientError) -> HTTPClientResponse {
        try request("POST", path, headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
    }

    /// Closes the connection (the next request opens a new one).
    public func close() {
        connection?.close()
        connection = nil
        buffer.removeAll()
    }

    private func exchange(_ wire: [UInt8]) throws(HTTPClientError) -> HTTPClientResponse {
        let conn: TCPConnection
        if let existing = connection {
            conn = existing
        } else {
            do {
                conn = try TCPConnection.connect(to: server)
            } catch {
                throw .notReachable("\(server): \(error)")
            }
            conn.setReceiveTimeout(milliseconds: timeoutMillis)
            connection = conn
            buffer.removeAll()
        }
        do {
            try conn.writeAll(wire)
        } catch {
            close()
            throw .notReachable("\(server): \(error)")
        }
        do {
            let response = try readResponse(from: conn)
            if response.header("Connection")?.lowercased() == "close" { close() }
            return response
        } catch {
            close()
            throw error
        }
    }

    private func fill(_ conn: TCPConnection) throws(HTTPClientError) {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let read: Result<Int, SystemError> = chunk.withUnsafeMutableBytes { raw in
            Result { () throws(SystemError) -> Int in try conn.read(into: raw) }
        }
        let n: Int
        switch read {
        case .success(let count): n = count
        case .failure(let error):
            if error.isTimeout { throw .timedOut("no reply from \(server) within \(timeoutMillis) ms") }
            throw .notReachable("\(server): \(error)")
        }
        guard n > 0 else { throw .notReachable("\(server) closed the connection") }
        buffer.append(contentsOf: chunk[0..<n])
        guard buffer.count <= maxResponseBytes else { throw .malformedResponse("reply larger than \(maxResponseBytes) bytes") }
    }

    private func readResponse(from conn: TCPConnection) throws(HTTPClientError) -> HTTPClientResponse {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headEnd == nil { try fill(conn) }
        }
        guard let end = headEnd else { throw .malformedResponse("no header end") }
        let headText = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { throw .malformedResponse("empty head") }
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...599).contains(status) else {
            throw .malformedResponse("bad status line \(statusLine.debugDescription)")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedResponse("bad header line \(line.debugDescription)") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        buffer.removeFirst(end + 4)
        let response = HTTPClientResponse(status: status, headers: headers, body: [])
        if let te = response.header("Transfer-Encoding"), te.lowercased().contains("chunked") {
            return HTTPClientResponse(status: status, headers: headers, body: try readChunked(conn))
        }
        let length: Int
        if let text = response.header("Content-Length") {
            guard let n = Int(text), n >= 0, n <= maxResponseBytes else { throw .malformedResponse("bad Content-Length \(text)") }
            length = n
        } else {
            length = (status == 204 || status == 304 || status < 200) ? 0 : -1
        }
        if length < 0 {
            // Body until close.
            while true {
                do { try fill(conn) } catch .notReachable { break }
            }
            let body = buffer
            close()
            return HTTPClientResponse(status: status, headers: headers, body: body)
        }
        while buffer.count < length { try fill(conn) }
        let body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return HTTPClientResponse(status: status, headers: headers, body: body)
    }

    private func readChunked(_ conn: TCPConnection) throws(HTTPClientError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            var lineEnd = Self.find([13, 10], in: buffer)
            while lineEnd == nil { try fill(conn); lineEnd = Self.find([13, 10], in: buffer) }
            guard let le = lineEnd else { throw .malformedResponse("chunk size") }
            let sizeText = String(decoding: buffer[0..<le], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingSpaces, radix: 16), size >= 0, size <= maxResponseBytes - body.count else {
                throw .malformedResponse("bad chunk size \(sizeText.debugDescription)")
            }
            buffer.removeFirst(le + 2)
            if size == 0 {
                // Trailers end with an empty line.
                while true {
                    var end = Self.find([13, 10], in: buffer)
                    while end == nil { try fill(conn); end = Self.find([13, 10], in: buffer) }
                    guard let e = end else { break }
                    buffer.removeFirst(e + 2)
                    if e == 0 { break }
                }
                return body
            }
            while buffer.count < size + 2 { try fill(conn) }
            body.append(contentsOf: buffer[0..<size])
            buffer.removeFirst(size + 2)
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
