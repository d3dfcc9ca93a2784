/// The body of a streaming `text/event-stream` response (Server-Sent Events): a producer that
/// writes events through an `HTTPEventStreamWriter` until it returns or the writer closes.
///
/// The server sends the head (`200`, `Content-Type: text/event-stream`, `Cache-Control:
/// no-store`, `Connection: close`, no `Content-Length`, plus `headers`), runs `produce` on the
/// connection's own thread, and closes the connection when it returns. The producer must wait
/// only through `HTTPEventStreamWriter.wait(milliseconds:)` (or with short bounded waits that
/// check `isOpen`): that is how it learns that the client went away or the server is
/// stopping, and how keep-alive comments get sent. A value type; `Sendable`.
public struct HTTPEventStream: Sendable {
    /// Extra header fields for the response head (the framing ones above are always set).
    public var headers: HTTPHeaders
    /// Writes the events; runs on the connection's thread.
    public var produce: @Sendable (HTTPEventStreamWriter) -> Void

    /// A stream with `headers` and `produce`.
    public init(headers: HTTPHeaders = HTTPHeaders(), produce: @escaping @Sendable (HTTPEventStreamWriter) -> Void) {
        self.headers = headers
        self.produce = produce
    }

    /// The response head as sent: the framing fields first, then `headers` (CR/LF-bearing and
    /// framing fields dropped, so a handler can neither split the response nor add a length).
    func head() -> [UInt8] {
        var head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
        let reserved: Set<String> = ["content-type", "cache-control", "content-length", "connection", "transfer-encoding"]
        for field in headers where !reserved.contains(field.name.lowercased()) {
            if field.name.contains(where: \.isNewline) || field.value.contains(where: \.isNewline) { continue }
            head += "\(field.name): \(field.value)\r\n"
        }
        head += "Connection: close\r\n\r\n"
        return Array(head.utf8)
    }
}
