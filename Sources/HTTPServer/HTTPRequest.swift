/// One parsed HTTP/1.x request.
///
/// `path` is the percent-decoded path without the query; `rawTarget` is the request target as
/// sent. `query` holds the decoded query parameters (`+` is a space; for a repeated name the
/// last value wins; `queryItems` keeps all of them in order). A value type; `Sendable`.
public struct HTTPRequest: Sendable {
    /// The method token as sent (`GET`, `POST`, ...; case-sensitive per RFC 9110).
    public var method: String
    /// The request target exactly as sent (`/orders/7?verbose=1`).
    public var rawTarget: String
    /// The decoded path (`/orders/7`); always starts with `/`.
    public var path: String
    /// Decoded query parameters; the last value wins for a repeated name.
    public var query: [String: String]
    /// Decoded query parameters in order, repeats included.
    public var queryItems: [(name: String, value: String)]
    /// The protocol version, `HTTP/1.1` or `HTTP/1.0`.
    public var version: String
    /// The header fields (case-insensitive lookup).
    public var headers: HTTPHeaders
    /// The body (empty when there is no `Content-Length`).
    public var body: [UInt8]

    /// A request built by hand (tests, direct router calls); `target` may carry a query.
    public init(method: String, target: String, version: String = "HTTP/1.1", headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.rawTarget = target
        self.version = version
        self.headers = headers
        self.body = body
        let parts = HTTPRequest.splitTarget(target)
        self.path = parts.path
        self.queryItems = parts.items
        var query: [String: String] = [:]
        for item in parts.items { query[item.name] = item.value }
        self.query = query
    }

    /// The body as UTF-8 text (invalid bytes become U+FFFD).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Whether the connection stays open after the response: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    public var wantsKeepAlive: Bool {
        let tokens = headers.values(for: "Connection")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingASCIISpaces().lowercased() }
        if tokens.contains("close") { return false }
        if version == "HTTP/1.0" { return tokens.contains("keep-alive") }
        return true
    }

    /// Splits a target into its decoded path and query items. Undecodable escapes are kept as sent.
    static func splitTarget(_ target: String) -> (path: String, items: [(name: String, value: String)]) {
        let rawPath: Substring
        var rawQuery: Substring = ""
        if let mark = target.firstIndex(of: "?") {
            rawPath = target[..<mark]
            rawQuery = target[target.index(after: mark)...]
        } else {
            rawPath = target[...]
        }
        let path = PercentDecoding.decode(rawPath, plusIsSpace: false) ?? String(rawPath)
        var items: [(name: String, value: String)] = []
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = pair.firstIndex(of: "=") {
                name = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                name = pair
                value = ""
            }
            items.append((
                name: PercentDecoding.decode(name, plusIsSpace: true) ?? String(name),
                value: PercentDecoding.decode(value, plusIsSpace: true) ?? String(value)
            ))
        }
        return (path, items)
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingASCIISpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
