/// The lexical pieces of the Prometheus text exposition format (version 0.0.4): escaping of
/// label values and help text, label sets, and number formatting. Pure functions.
public enum PrometheusText {
    /// The content type of a scrape answer in this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Escapes `\`, `"` and newline in a label value.
    public static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else {
            return value
        }
        var out = ""
        for c in value {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// Escapes `\` and newline in help text.
    public static func escapeHelp(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// `{a="1",b="x"}` in the given order, or empty for no labels.
    public static func labels(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        var out = "{"
        for (index, (name, value)) in labels.enumerated() {
            if index > 0 { out += "," }
            out += name
            out += "=\""
            out += escapeLabelValue(value)
            out += "\""
        }
        return out + "}"
    }

    /// Integral values without a fraction, `+Inf`/`-Inf`/`NaN` as Prometheus spells them,
    /// others in Swift's shortest round-tripping form (`0.0001`, `2.5e-05`).
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Whether `name` is a valid metric or label name (`[a-zA-Z_:][a-zA-Z0-9_:]*`; colons are
    /// for metric names only, which this does not check).
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return false }
        return name.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":")
        }
    }
}
