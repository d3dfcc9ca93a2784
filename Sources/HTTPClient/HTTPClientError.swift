/// Why an HTTP exchange failed. Value type.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server could not be reached (refused, unknown host, reset before a reply).
    case notReachable(String)
    /// No complete reply within the timeout.
    case timedOut(String)
    /// The reply is not valid HTTP/1.1 (or too large).
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .notReachable(let detail): "not reachable: \(detail)"
        case .timedOut(let detail): "timed out: \(detail)"
        case .malformedResponse(let detail): "malformed HTTP response: \(detail)"
        }
    }
}
