/// How the message browser shows a key, value or header value: pretty JSON when the bytes are
/// a JSON object or array, text when they are UTF-8, hex otherwise. The text is not escaped
/// yet (pages escape it when they place it).
public enum RenderedBytes: Sendable, Equatable {
    /// The bytes were null (absent key or value, tombstone).
    case null
    /// A JSON object or array, re-indented with two spaces.
    case json(String)
    /// Valid UTF-8 that is not a JSON object or array.
    case text(String)
    /// Not UTF-8: the bytes as lowercase hex pairs separated by spaces.
    case hex(String)

    /// The most shown of a value: longer values are cut here (and marked as cut).
    public static let displayLimit = 64 * 1024

    /// The rendering of `bytes` (nil for null). Values over `displayLimit` are rendered from
    /// their first `displayLimit` bytes (so a long JSON value shows as cut text).
    public init(_ bytes: [UInt8]?) {
        guard let bytes else { self = .null; return }
        let shown = bytes.count > Self.displayLimit ? Array(bytes[..<Self.displayLimit]) : bytes
        if let text = String(validating: shown, as: UTF8.self) {
            if bytes.count == shown.count, let pretty = JSONPretty.format(shown) {
                self = .json(pretty)
            } else {
                self = .text(text)
            }
        } else {
            self = .hex(Self.hex(shown))
        }
    }

    /// A short name of the kind, used as a CSS class and a label (`json`, `text`, `hex`, `null`).
    public var kind: String {
        switch self {
        case .null: "null"
        case .json: "json"
        case .text: "text"
        case .hex: "hex"
        }
    }

    /// The text to show (unescaped).
    public var display: String {
        switch self {
        case .null: "null"
        case .json(let text), .text(let text), .hex(let text): text
        }
    }

    /// `bytes` as lowercase hex pairs separated by single spaces.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, byte) in bytes.enumerated() {
            if index > 0 { out.append(" ") }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(out)
    }
}

/// Validates JSON (RFC 8259) and re-indents it, in one recursive-descent pass over the bytes.
/// Only objects and arrays count (a bare number or string is shown as text); nesting deeper
/// than `maxDepth` is refused rather than risking the stack.
enum JSONPretty {
    static let maxDepth = 64

    /// The indented text, or nil when `bytes` are not one JSON object or array (surrounding
    /// whitespace allowed).
    static func format(_ bytes: [UInt8]) -> String? {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        guard let first = parser.peek, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        guard parser.value(depth: 0) else { return nil }
        parser.skipSpace()
        guard parser.index == bytes.count else { return nil }
        return String(decoding: parser.out, as: UTF8.self)
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var out: [UInt8] = []

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func newline(_ depth: Int) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: depth * 2))
        }

        mutating func value(depth: Int) -> Bool {
            guard depth < JSONPretty.maxDepth else { return false }
            skipSpace()
            guard let byte = peek else { return false }
            switch byte {
            case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), depth: depth, keyed: true)
            case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), depth: depth, keyed: false)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func container(close: UInt8, depth: Int, keyed: Bool) -> Bool {
            out.append(bytes[index])
            index += 1
            skipSpace()
            if peek == close {
                index += 1
                out.append(close)
                return true
            }
            while true {
                newline(depth + 1)
                skipSpace()
                if keyed {
                    guard peek == UInt8(ascii: "\""), string() else { return false }
                    skipSpace()
                    guard peek == UInt8(ascii: ":") else { return false }
                    index += 1
                    out.append(contentsOf: Array(": ".utf8))
                }
                guard value(depth: depth + 1) else { return false }
                skipSpace()
                guard let next = peek else { return false }
                index += 1
                if next == close {
                    newline(depth)
                    out.append(close)
                    return true
                }
                guard next == UInt8(ascii: ",") else { return false }
                out.append(next)
            }
        }

        mutating func string() -> Bool {
            let start = index
            index += 1
            while let byte = peek {
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    out.append(contentsOf: bytes[start..<index])
                    return true
                case UInt8(ascii: "\\"):
                    guard let escaped = peek else { return false }
                    index += 1
                    if escaped == UInt8(ascii: "u") {
                        guard index + 4 <= bytes.count, bytes[index..<index + 4].allSatisfy(Self.isHexDigit) else { return false }
                        index += 4
                    } else if !Array("\"\\/bfnrt".utf8).contains(escaped) {
                        return false
                    }
                case 0..<0x20:
                    return false
                default:
                    continue
                }
            }
            return false
        }

        mutating func literal(_ word: String) -> Bool {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else { return false }
            index += expected.count
            out.append(contentsOf: expected)
            return true
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func number() -> Bool {
            let start = index
            if peek == UInt8(ascii: "-") { index += 1 }
            guard let first = peek, Self.isDigit(first) else { return false }
            index += 1
            if first != UInt8(ascii: "0") { digits() }
            if peek == UInt8(ascii: ".") {
                index += 1
                guard digits() else { return false }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
                guard digits() else { return false }
            }
            out.append(contentsOf: bytes[start..<index])
            return true
        }

        /// Consumes digits; whether there was at least one.
        @discardableResult
        mutating func digits() -> Bool {
            let start = index
            while let byte = peek, Self.isDigit(byte) { index += 1 }
            return index > start
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        static func isHexDigit(_ byte: UInt8) -> Bool {
            isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
        }
    }
}
