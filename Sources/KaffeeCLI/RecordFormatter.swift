import KafkaClient

/// Turns consumed records into output lines: the plain value, a format string, or JSON.
///
/// Format string directives (as kcat's): `%t` topic, `%p` partition, `%o` offset, `%T`
/// timestamp, `%k` key, `%v` value, `%h` headers (`k=v,...`), `%%`, `\\n`, `\\t`.
/// JSON lines: `{"topic","partition","offset","timestamp","key","value","headers"}` — key and
/// value as strings when they are valid UTF-8, else as `{"base64": "..."}`; null stays null.
enum RecordFormatter {
    case plain
    case format(String)
    case json

    func render(_ record: ConsumerRecord) -> [UInt8] {
        switch self {
        case .plain:
            return (record.value ?? []) + [0x0A]
        case .json:
            var fields = [
                "\"topic\":\(Self.quote(record.topic))", "\"partition\":\(record.partition)", "\"offset\":\(record.offset)",
                "\"timestamp\":\(record.timestamp)", "\"key\":\(Self.jsonBytes(record.key))", "\"value\":\(Self.jsonBytes(record.value))",
            ]
            let headers = record.headers.map { "\(Self.quote($0.key)):\(Self.jsonBytes($0.value))" }.joined(separator: ",")
            fields.append("\"headers\":{\(headers)}")
            return Array(("{" + fields.joined(separator: ",") + "}\n").utf8)
        case .format(let text):
            var out: [UInt8] = []
            var iterator = Array(text.utf8).makeIterator()
            while let byte = iterator.next() {
                if byte == UInt8(ascii: "%"), let directive = iterator.next() {
                    switch directive {
                    case UInt8(ascii: "t"): out += Array(record.topic.utf8)
                    case UInt8(ascii: "p"): out += Array(String(record.partition).utf8)
                    case UInt8(ascii: "o"): out += Array(String(record.offset).utf8)
                    case UInt8(ascii: "T"): out += Array(String(record.timestamp).utf8)
                    case UInt8(ascii: "k"): out += record.key ?? []
                    case UInt8(ascii: "v"): out += record.value ?? []
                    case UInt8(ascii: "h"): out += Array(record.headers.map { "\($0.key)=\(String(decoding: $0.value ?? [], as: UTF8.self))" }.joined(separator: ",").utf8)
                    case UInt8(ascii: "%"): out.append(UInt8(ascii: "%"))
                    default: out += [UInt8(ascii: "%"), directive]
                    }
                } else if byte == UInt8(ascii: "\\"), let escaped = iterator.next() {
                    switch escaped {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    default: out += [byte, escaped]
                    }
                } else {
                    out.append(byte)
                }
            }
            return out
        }
    }

    static func jsonBytes(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "null" }
        if let text = String(validating: bytes, as: UTF8.self) { return quote(text) }
        return "{\"base64\":\"\(Base64.encode(bytes))\"}"
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Standard base64 with padding.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
