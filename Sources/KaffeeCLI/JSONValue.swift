/// A JSON value for `--json` output, rendered compactly with object keys in the order given
/// (so output is deterministic and diffable). Strings are escaped as `RecordFormatter.quote`
/// does (UTF-8 kept, control characters as `\uXXXX`).
enum JSONValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int64) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }

    /// A string, or null for nil.
    static func optional(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    /// A number (any integer type), or null for nil.
    static func number<I: BinaryInteger>(_ value: I?) -> JSONValue { value.map { .int(Int64($0)) } ?? .null }

    /// The compact JSON text.
    var rendered: String {
        switch self {
        case .string(let text): RecordFormatter.quote(text)
        case .int(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .array(let items): "[" + items.map(\.rendered).joined(separator: ",") + "]"
        case .object(let members): "{" + members.map { RecordFormatter.quote($0.0) + ":" + $0.1.rendered }.joined(separator: ",") + "}"
        }
    }

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered == rhs.rendered }
}
