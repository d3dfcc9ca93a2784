/// One SQLite value: a statement parameter or a result column.
///
/// The five SQLite storage classes. Value type, `Sendable`. Text is UTF-8 and may contain any
/// Unicode (and NUL characters); a blob may be empty or contain zero bytes and stays a blob
/// (an empty blob is not `NULL`). Literals work where a value is expected:
/// `db.run("INSERT INTO t VALUES (?, ?, ?, ?)", 42, 2.5, "latte", .null)`; `true`/`false`
/// become the integers 1/0, as SQLite stores booleans. There is deliberately no `nil`
/// literal: `row["x"] == nil` must keep meaning "no such column", not "is NULL".
public enum SQLiteValue: Sendable, Equatable, Hashable {
    /// SQL `NULL`.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// An IEEE 754 double.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Bytes, stored as they are.
    case blob([UInt8])

    /// `.integer(Int64(value))`.
    public init(_ value: Int) { self = .integer(Int64(value)) }
    /// `.integer(value)`.
    public init(_ value: Int64) { self = .integer(value) }
    /// `.real(value)`.
    public init(_ value: Double) { self = .real(value) }
    /// `.text(value)`.
    public init(_ value: String) { self = .text(value) }
    /// `.blob(value)`.
    public init(_ value: [UInt8]) { self = .blob(value) }
    /// `.integer(1)` for `true`, `.integer(0)` for `false`.
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }

    /// True for `.null`.
    public var isNull: Bool { self == .null }

    /// The integer, or nil when this is not `.integer`.
    public var int64Value: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The integer as `Int`, or nil when this is not `.integer` (or does not fit an `Int`).
    public var intValue: Int? { int64Value.flatMap { Int(exactly: $0) } }

    /// The number as a `Double`: `.real` as is, `.integer` converted; nil otherwise.
    public var doubleValue: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The text, or nil when this is not `.text`.
    public var textValue: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The bytes, or nil when this is not `.blob`.
    public var blobValue: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }

    /// `.integer` 0 is false, any other integer true; nil for other values.
    public var boolValue: Bool? { int64Value.map { $0 != 0 } }

    /// The SQL name of the storage class: `NULL`, `INTEGER`, `REAL`, `TEXT` or `BLOB`.
    public var typeName: String {
        switch self {
        case .null: "NULL"
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        }
    }
}

extension SQLiteValue: ExpressibleByIntegerLiteral {
    /// An integer literal is `.integer`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension SQLiteValue: ExpressibleByFloatLiteral {
    /// A float literal is `.real`.
    public init(floatLiteral value: Double) { self = .real(value) }
}

extension SQLiteValue: ExpressibleByStringLiteral {
    /// A string literal is `.text`.
    public init(stringLiteral value: String) { self = .text(value) }
}

extension SQLiteValue: ExpressibleByBooleanLiteral {
    /// `true` is `.integer(1)`, `false` is `.integer(0)`.
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}

extension SQLiteValue: CustomStringConvertible {
    /// SQL-literal-like text for logs: `NULL`, `42`, `2.5`, `'latte'`, `x'00ff'`.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return "'" + value.replacing("'", with: "''") + "'"
        case .blob(let bytes):
            let digits: [Character] = Array("0123456789abcdef")
            var hex = "x'"
            for byte in bytes {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0f)])
            }
            return hex + "'"
        }
    }
}
