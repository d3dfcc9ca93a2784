import HTTPServer

/// A JSON value built by hand for responses and request hashing, rendered compactly with
/// object keys in the order given (so output is deterministic). Value type.
enum JSONValue: Sendable, Equatable {
    /// A string.
    case string(String)
    /// An integer.
    case int(Int64)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// An array.
    case array([JSONValue])
    /// An object; keys render in this order.
    case object([(String, JSONValue)])

    /// `.int` from an `Int`.
    static func integer(_ value: Int) -> JSONValue { .int(Int64(value)) }

    /// `.string(value)`, or `.null` when `value` is nil.
    static func optional(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    /// `.int(value)`, or `.null` when `value` is nil.
    static func optional(_ value: Int64?) -> JSONValue { value.map { .int($0) } ?? .null }

    /// The compact JSON text.
    var text: String {
        var out = ""
        render(into: &out)
        return out
    }

    private func render(into out: inout String) {
        switch self {
        case .string(let value): out += JSONText.quoted(value)
        case .int(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.render(into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { out += "," }
                out += JSONText.quoted(field.0)
                out += ":"
                field.1.render(into: &out)
            }
            out += "}"
        }
    }

    static func == (a: JSONValue, b: JSONValue) -> Bool { a.text == b.text }
}
