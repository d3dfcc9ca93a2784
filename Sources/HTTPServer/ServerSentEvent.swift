/// One Server-Sent Event in its wire form (the `text/event-stream` format of the HTML
/// standard): optional `event:` and `id:` fields, then the data, one `data:` line per line of
/// text, then a blank line.
///
/// Field values cannot carry line breaks on the wire: a CR or LF in `event` or `id` is
/// replaced by a space (so a value cannot inject another field), and the data is split on
/// every line break (CRLF, CR or LF), which a client joins again with LF. A value type.
public struct ServerSentEvent: Sendable, Equatable {
    /// The event type (`event:`), or nil for the default `message`.
    public var event: String?
    /// The event id (`id:`), or nil.
    public var id: String?
    /// The data; may span lines.
    public var data: String

    /// An event with the given fields.
    public init(event: String? = nil, id: String? = nil, data: String) {
        self.event = event
        self.id = id
        self.data = data
    }

    /// The event as sent, ending with the blank line that dispatches it.
    public var encoded: String {
        var text = ""
        if let event { text += "event: \(Self.singleLine(event))\n" }
        if let id { text += "id: \(Self.singleLine(id))\n" }
        for line in Self.lines(of: data) { text += "data: \(line)\n" }
        return text + "\n"
    }

    /// A comment line (`: text`), which clients ignore; used as a keep-alive.
    public static func comment(_ text: String) -> String {
        ": \(singleLine(text))\n\n"
    }

    /// `text` with every CR and LF replaced by a space.
    static func singleLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : Character($0) })
    }

    /// `text` split on CRLF, CR and LF (an empty text is one empty line).
    static func lines(of text: String) -> [Substring] {
        // Swift treats "\r\n" as one Character, so splitting on newline characters handles all three.
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
    }
}
