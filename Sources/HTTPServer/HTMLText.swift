/// Escaping of text inserted into HTML, so data (names, ids, keys, values) can never become
/// markup: `&`, `<`, `>`, `"` and `'` become character references, and control characters
/// other than tab, newline and carriage return become U+FFFD so they cannot confuse the parser.
/// Safe in element content and in quoted attribute values alike. The one escaper of the
/// services' pages (the coffee board) and kaffeed's console.
public enum HTMLText {
    /// `text` with the HTML-significant characters escaped.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
