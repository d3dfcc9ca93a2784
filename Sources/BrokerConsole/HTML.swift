import HTTPServer

/// The one place text becomes HTML: every name, key, value, header, id and message a page
/// shows goes through `HTML.escape` (or `HTML.attribute`), and every URL built from data goes
/// through `HTML.pathComponent` / `HTML.queryComponent` first.
public enum HTML {
    /// `text` safe as HTML element content and as a quoted attribute value: `& < > " '` become
    /// character references. Control characters other than tab, newline and carriage return are
    /// shown as U+FFFD so they cannot confuse the parser.
    public static func escape(_ text: String) -> String { HTMLText.escaped(text) }

    /// A path segment percent-encoded (RFC 3986 unreserved characters kept), so a topic or
    /// group id with `/`, `?`, `#`, spaces or markup stays one segment of a link.
    public static func pathComponent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return out
    }

    /// A query value percent-encoded (the same set as a path segment).
    public static func queryComponent(_ text: String) -> String { pathComponent(text) }

    /// `href` for a link whose path segments come from data: each segment encoded, then the
    /// whole escaped for the attribute.
    public static func link(_ segments: [String], query: [(String, String)] = []) -> String {
        var path = "/" + segments.map(pathComponent).joined(separator: "/")
        if !query.isEmpty {
            path += "?" + query.map { queryComponent($0.0) + "=" + queryComponent($0.1) }.joined(separator: "&")
        }
        return escape(path)
    }
}
