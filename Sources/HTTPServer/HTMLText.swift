/// Escaping of text inserted into HTML, so data (order ids, names, drinks) can never become
/// markup: `&`, `<`, `>`, `"` and `'` become character references. Safe in element content
/// and in quoted attribute values alike.
enum HTMLText {
    /// `text` with the five HTML-significant characters escaped.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
