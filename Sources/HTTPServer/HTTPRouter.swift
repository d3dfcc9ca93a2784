/// Maps `method + path pattern` to handlers.
///
/// Patterns are `/`-separated; a segment `:name` matches any one non-empty segment and binds it
/// (percent-decoded) under `name`. Empty segments are ignored, so `/a/` matches `/a`. Routes are
/// tried in the order added; the first match wins. An unknown path gives 404; a known path
/// with another method gives 405 with an `Allow` header. Build it before starting the server;
/// after that it is an immutable `Sendable` value, safe to use from every connection thread.
public struct HTTPRouter: Sendable {
    /// Handles a request; the dictionary holds the bound `:param` segments.
    public typealias Handler = @Sendable (HTTPRequest, [String: String]) -> HTTPResponse

    private enum Segment: Sendable {
        case literal(String)
        case parameter(String)
    }

    private struct Route: Sendable {
        let method: String
        let segments: [Segment]
        let handler: Handler
    }

    private var routes: [Route] = []
    /// Answers requests no route's path matches (instead of 404), when set.
    public var fallback: Handler?

    /// An empty router (every request gets 404).
    public init() {}

    /// Adds a route for `method` (exact, case-sensitive) and `pattern`.
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        let segments = pattern.split(separator: "/").map { part -> Segment in
            part.hasPrefix(":") ? .parameter(String(part.dropFirst())) : .literal(String(part))
        }
        routes.append(Route(method: method, segments: segments, handler: handler))
    }

    /// Adds a `GET` route.
    public mutating func get(_ pattern: String, _ handler: @escaping Handler) { add("GET", pattern, handler) }
    /// Adds a `POST` route.
    public mutating func post(_ pattern: String, _ handler: @escaping Handler) { add("POST", pattern, handler) }
    /// Adds a `PUT` route.
    public mutating func put(_ pattern: String, _ handler: @escaping Handler) { add("PUT", pattern, handler) }
    /// Adds a `DELETE` route.
    public mutating func delete(_ pattern: String, _ handler: @escaping Handler) { add("DELETE", pattern, handler) }

    /// Routes `request` to its handler, or answers 404/405.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let rawPath = request.rawTarget.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = rawPath.split(separator: "/").map { PercentDecoding.decode($0, plusIsSpace: false) ?? String($0) }
        var allowed: [String] = []
        for route in routes {
            guard let parameters = Self.match(route.segments, parts) else { continue }
            if route.method == request.method { return route.handler(request, parameters) }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        guard !allowed.isEmpty else { return fallback?(request, [:]) ?? .notFound }
        var response = HTTPResponse.error("method \(request.method) not allowed", status: 405)
        response.headers.set("Allow", allowed.joined(separator: ", "))
        return response
    }

    private static func match(_ segments: [Segment], _ parts: [String]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text): if text != part { return nil }
            case .parameter(let name): parameters[name] = part
            }
        }
        return parameters
    }
}
