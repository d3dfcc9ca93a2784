/// A strict JSON reader (RFC 8259) for hot paths that would otherwise pay for `JSONDecoder`:
/// it parses a whole document into `Value`s and accepts only what is unambiguous — valid UTF-8,
/// no duplicate keys in any object, no control characters in strings, no lone surrogates,
/// nesting at most 64 deep, nothing after the value but whitespace. Everything else gives nil,
/// so a caller can fall back to `JSONDecoder` for the exact error (or for duplicate keys,
/// which `JSONDecoder` resolves its own way). Stateless.
public enum StrictJSON {
    /// The document in `bytes`, or nil when it is not one this reader accepts.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        var reader = Reader(bytes)
        return reader.document()
    }

    /// The document in `bytes`, or nil when it is not one this reader accepts.
    public static func parse(_ bytes: [UInt8]) -> Value? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    /// A parsed JSON value. Numbers other than plain integers that fit an `Int` are `.otherNumber`
    /// (valid JSON; read them with `JSONDecoder` if they matter).
    public indirect enum Value: Sendable {
        case object(Object)
        case array([Value])
        case string(String)
        case int(Int)
        case otherNumber
        case bool(Bool)
        case null
    }

    /// An object's members in document order (no duplicate keys).
    public struct Object: Sendable {
        /// The members, in document order.
        public var members: [(key: String, value: Value)] = []

        /// The value of member `key`, nil when absent.
        public subscript(key: String) -> Value? {
            for member in members where member.key == key { return member.value }
            return nil
        }

        /// The string member `key`; nil when absent or not a string.
        public func string(_ key: String) -> String? {
            if case .string(let text)? = self[key] { return text }
            return nil
        }

        /// The integer member `key`; nil when absent or not a plain integer.
        public func int(_ key: String) -> Int? {
            if case .int(let value)? = self[key] { return value }
            return nil
        }

        /// For an optional field: `.some(nil)` when absent or null (what `decodeIfPresent`
        /// gives), `.some(text)` for a string, nil (not decodable here) for anything else.
        public func optionalString(_ key: String) -> String?? {
            switch self[key] {
            case nil, .null?: return .some(nil)
            case .string(let text)?: return .some(.some(text))
            default: return nil
            }
        }

        /// For an optional integer field: `.some(nil)` when absent or null, `.some(value)` for a
        /// plain integer, nil for anything else.
        public func optionalInt(_ key: String) -> Int?? {
            switch self[key] {
            case nil, .null?: return .some(nil)
            case .int(let value)?: return .some(.some(value))
            default: return nil
            }
        }
    }

    /// A strict RFC 8259 reader; every method returns nil on anything it does not accept.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Nesting depth, bounded so hostile input cannot exhaust the stack.
        var depth = 0
        static let maxDepth = 64

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }


        /// One value surrounded by optional whitespace, and nothing else.
        mutating func document() -> Value? {
            skipWhitespace()
            guard let value = value() else { return nil }
            skipWhitespace()
            return index == bytes.count ? value : nil
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0a, 0x0d, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func value() -> Value? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "["): return array()
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        private mutating func literal(_ text: StaticString, _ value: Value) -> Value? {
            let count = text.utf8CodeUnitCount
            guard bytes.count - index >= count else { return nil }
            for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return nil }
            index += count
            return value
        }

        private mutating func object() -> Value? {
            var fields = Object()
            let complete = elements(closing: UInt8(ascii: "}")) { reader in
                guard reader.index < reader.bytes.count, reader.bytes[reader.index] == UInt8(ascii: "\""),
                      let key = reader.string(),
                      fields[key] == nil  // a duplicate key: leave it to JSONDecoder
                else { return false }
                reader.skipWhitespace()
                guard reader.index < reader.bytes.count, reader.bytes[reader.index] == UInt8(ascii: ":") else { return false }
                reader.index += 1
                reader.skipWhitespace()
                guard let member = reader.value() else { return false }
                fields.members.append((key, member))
                return true
            }
            return complete ? .object(fields) : nil
        }

        private mutating func array() -> Value? {
            var values: [Value] = []
            let complete = elements(closing: UInt8(ascii: "]")) { reader in
                guard let value = reader.value() else { return false }
                values.append(value)
                return true
            }
            return complete ? .array(values) : nil
        }

        /// The members of an object or the elements of an array, from its opening bracket to
        /// `close`: `element` reads one (false when it cannot), commas between, whitespace
        /// anywhere. False for anything else, or nesting deeper than `maxDepth`.
        private mutating func elements(closing close: UInt8, _ element: (inout Reader) -> Bool) -> Bool {
            guard depth < Self.maxDepth else { return false }
            depth += 1
            defer { depth -= 1 }
            index += 1  // the opening bracket
            skipWhitespace()
            if index < bytes.count, bytes[index] == close {
                index += 1
                return true
            }
            while true {
                skipWhitespace()
                guard element(&self) else { return false }
                skipWhitespace()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == close {
                    index += 1
                    return true
                } else {
                    return false
                }
            }
        }

        /// A string starting at the opening quote: escapes resolved, UTF-8 validated.
        mutating func string() -> String? {
            index += 1  // opening quote
            let start = index
            // Common case: no escapes — validate and take the bytes as they are.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            var unescaped = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(validating: unescaped, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escape)
                    case UInt8(ascii: "b"): unescaped.append(0x08)
                    case UInt8(ascii: "f"): unescaped.append(0x0c)
                    case UInt8(ascii: "n"): unescaped.append(0x0a)
                    case UInt8(ascii: "r"): unescaped.append(0x0d)
                    case UInt8(ascii: "t"): unescaped.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        unescaped.append(contentsOf: String(Character(scalar)).utf8)
                    default:
                        return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    unescaped.append(byte)
                    index += 1
                }
            }
            return nil
        }

        /// After `\u`: four hex digits, and for a high surrogate the `\uXXXX` of its low half.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let first = hex4() else { return nil }
            switch first {
            case 0xd800...0xdbff:
                guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                      bytes[index + 1] == UInt8(ascii: "u") else { return nil }
                index += 2
                guard let second = hex4(), (0xdc00...0xdfff).contains(second) else { return nil }
                return Unicode.Scalar(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))
            case 0xdc00...0xdfff:
                return nil
            default:
                return Unicode.Scalar(first)
            }
        }

        private mutating func hex4() -> UInt32? {
            guard bytes.count - index >= 4 else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// A JSON number; `.int` when it is a plain integer (no fraction, no exponent, no `-0`)
        /// that fits an `Int`.
        private mutating func number() -> Value? {
            var negative = false
            if bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            var magnitude: UInt64 = 0
            var overflow = false
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if index < bytes.count, isDigit(bytes[index]) { return nil }  // leading zero
            } else {
                while index < bytes.count, isDigit(bytes[index]) {
                    let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                    overflow = overflow || o1 || o2
                    magnitude = sum
                    index += 1
                }
            }
            var integral = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                integral = false
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { return nil }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                integral = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { return nil }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            guard integral, !overflow, !(negative && magnitude == 0) else {
                return .otherNumber
            }
            if negative {
                guard magnitude <= UInt64(Int.max) else { return .otherNumber }
                return .int(-Int(magnitude))
            }
            guard magnitude <= UInt64(Int.max) else { return .otherNumber }
            return .int(Int(magnitude))
        }

        private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }
}
