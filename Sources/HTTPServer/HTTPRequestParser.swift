/// Parses HTTP/1.x requests out of the bytes received so far on one connection.
///
/// Accepts origin-form targets (`/path?query`), `HTTP/1.0` and `HTTP/1.1`, CRLF line endings,
/// and bodies framed by `Content-Length` only (`Transfer-Encoding` gets 411). Limits: the
/// request line plus headers (through the blank line) at most `maxHeaderBytes` (else 431), the
/// body at most `maxBodyBytes` (else 413). Pure and stateless: a value type, `Sendable`.
struct HTTPRequestParser: Sendable {
    /// The most bytes the request line and headers may take, blank line included.
    var maxHeaderBytes: Int
    /// The largest accepted `Content-Length`.
    var maxBodyBytes: Int

    /// What the buffered bytes amount to.
    enum Outcome {
        /// Not a whole request yet; `expectsContinue` is true once the headers are in, the body
        /// is not, and the client sent `Expect: 100-continue`.
        case needMore(expectsContinue: Bool)
        /// A whole request, taking the first `consumed` bytes of the buffer.
        case request(HTTPRequest, consumed: Int)
        /// The request is unacceptable; answer with `status` and close the connection.
        case failure(status: Int, message: String)
    }

    /// Looks for one request at the start of `buffer`.
    func parse(_ buffer: ArraySlice<UInt8>) -> Outcome {
        guard let headerEnd = Self.findTerminator(in: buffer, limit: maxHeaderBytes) else {
            if buffer.count >= maxHeaderBytes { return .failure(status: 431, message: "request headers too large") }
            return .needMore(expectsContinue: false)
        }
        let headLength = headerEnd + 4 - buffer.startIndex
        guard headLength <= maxHeaderBytes else { return .failure(status: 431, message: "request headers too large") }
        let headBytes = buffer[buffer.startIndex..<headerEnd]
        guard headBytes.allSatisfy({ $0 == 9 || $0 == 10 || $0 == 13 || ($0 >= 0x20 && $0 != 0x7F) }),
              let head = String(validating: Array(headBytes), as: UTF8.self) else {
            return .failure(status: 400, message: "malformed request head")
        }
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return .failure(status: 400, message: "malformed request line") }
        let requestLine = lines.removeFirst()
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, Self.isToken(parts[0]), parts[1].hasPrefix("/"),
              !parts[1].contains(where: { $0 == "\t" || $0.isNewline }) else {
            return .failure(status: 400, message: "malformed request line")
        }
        let version = String(parts[2])
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            if version.hasPrefix("HTTP/") { return .failure(status: 505, message: "unsupported HTTP version") }
            return .failure(status: 400, message: "malformed request line")
        }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), Self.isToken(line[..<colon]) else {
                return .failure(status: 400, message: "malformed header line")
            }
            let value = line[line.index(after: colon)...].trimmingASCIISpaces()
            guard !value.contains(where: \.isNewline) else { return .failure(status: 400, message: "malformed header line") }
            headers.add(String(line[..<colon]), value)
        }
        if headers.contains("Transfer-Encoding") {
            return .failure(status: 411, message: "chunked request bodies are not supported; send Content-Length")
        }
        var bodyLength = 0
        let lengths = headers.values(for: "Content-Length")
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 18,
                  first.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let length = Int(first) else {
                return .failure(status: 400, message: "invalid Content-Length")
            }
            bodyLength = length
        }
        guard bodyLength <= maxBodyBytes else {
            return .failure(status: 413, message: "request body larger than \(maxBodyBytes) bytes")
        }
        let bodyStart = headerEnd + 4
        guard buffer.endIndex - bodyStart >= bodyLength else {
            let expects = headers["Expect"]?.lowercased() == "100-continue"
            return .needMore(expectsContinue: expects)
        }
        let request = HTTPRequest(
            method: String(parts[0]), target: String(parts[1]), version: version,
            headers: headers, body: Array(buffer[bodyStart..<(bodyStart + bodyLength)]))
        return .request(request, consumed: headLength + bodyLength)
    }

    /// The index where CR LF CR LF starts within the first `limit + 4` bytes of `haystack`.
    private static func findTerminator(in haystack: ArraySlice<UInt8>, limit: Int) -> Int? {
        guard haystack.count >= 4 else { return nil }
        let lastStart = min(haystack.endIndex - 4, haystack.startIndex + limit)
        var index = haystack.startIndex
        while index <= lastStart {
            if haystack[index] == 13 && haystack[index + 1] == 10 && haystack[index + 2] == 13 && haystack[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Whether `text` is a non-empty RFC 9110 token (method or header name).
    private static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
