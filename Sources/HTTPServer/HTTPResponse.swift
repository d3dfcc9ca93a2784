/// An HTTP response: status, headers and a complete body — or, with `eventStream` set, a
/// Server-Sent Events stream written incrementally (see `HTTPEventStream`).
///
/// The server adds `Content-Length` and `Connection` itself (any values set here for those two
/// are replaced). A value type; `Sendable`.
public struct HTTPResponse: Sendable {
    /// The status code (200, 404, ...).
    public var status: Int
    /// Header fields other than `Content-Length`/`Connection`.
    public var headers: HTTPHeaders
    /// The full body.
    public var body: [UInt8]
    /// When set, the response is this event stream instead (`status` and `body` are unused).
    public var eventStream: HTTPEventStream?

    /// A response with the given parts.
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response; `text` must already be JSON. `Content-Type: application/json`.
    public static func json(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(text.utf8))
    }

    /// A plain-text response (`text/plain; charset=utf-8` unless `contentType` says otherwise;
    /// Prometheus metrics use `text/plain; version=0.0.4; charset=utf-8`).
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", contentType)]), body: Array(text.utf8))
    }

    /// `{"error": "<message>"}` with `status` (the message is JSON-escaped).
    public static func error(_ message: String, status: Int) -> HTTPResponse {
        .json("{\"error\": \(JSONText.quoted(message))}", status: status)
    }

    /// A `text/event-stream` response whose events `produce` writes until it returns or the
    /// stream ends (client gone, server stopping); see `HTTPEventStream`. The server bounds how
    /// many run at once (`HTTPServer.Limits.maxEventStreams`; beyond it: 503).
    public static func eventStream(headers: HTTPHeaders = HTTPHeaders(),
                                   _ produce: @escaping @Sendable (HTTPEventStreamWriter) -> Void) -> HTTPResponse {
        var response = HTTPResponse(status: 200)
        response.eventStream = HTTPEventStream(headers: headers, produce: produce)
        return response
    }

    /// 400 with `{"error": "<message>"}`.
    public static func badRequest(_ message: String) -> HTTPResponse {
        .error(message, status: 400)
    }

    /// 404 with `{"error": "not found"}`.
    public static var notFound: HTTPResponse { .error("not found", status: 404) }

    /// 204 with no body.
    public static var noContent: HTTPResponse { HTTPResponse(status: 204) }

    /// The standard reason phrase for `status` (`"Unknown"` for codes not listed).
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Unknown"
        }
    }

    /// The wire form: status line, headers (plus `Content-Length` and `Connection`), blank line,
    /// body. Header names/values containing CR or LF are dropped (no response splitting).
    func serialized(keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(status))\r\n"
        for field in headers {
            let lower = field.name.lowercased()
            if lower == "content-length" || lower == "connection" { continue }
            if field.name.contains(where: \.isNewline) || field.value.contains(where: \.isNewline) { continue }
            head += "\(field.name): \(field.value)\r\n"
        }
        let bodyAllowed = !(100..<200).contains(status) && status != 204 && status != 304
        if bodyAllowed { head += "Content-Length: \(body.count)\r\n" }
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        if bodyAllowed { bytes.append(contentsOf: body) }
        return bytes
    }
}
