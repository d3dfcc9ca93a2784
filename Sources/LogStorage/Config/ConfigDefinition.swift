/// One Kafka config: its name, type, default, validator and documentation (Kafka's
/// `ConfigDef.ConfigKey`), and the parsing that turns user text into the normalized text
/// stored and shown (Kafka's `parseType` then `convertToString`).
///
/// Error messages are Kafka's, byte for byte, because tools and users match on them:
/// `Invalid value abc for configuration segment.bytes: Not a number of type INT`.
/// A value type; `Sendable`.
public struct ConfigDefinition: Sendable {
    public let name: String
    public let type: ConfigType
    /// The built-in default in normalized form; nil = no default (Kafka's null).
    public let defaultValue: String?
    public let validator: ConfigValidator
    public let documentation: String
    /// Accepted but listed only when set (Kafka's internal configs).
    public let isInternal: Bool

    public init(_ name: String, _ type: ConfigType, _ defaultValue: String?, _ validator: ConfigValidator = .none,
                internal isInternal: Bool = false, _ documentation: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.validator = validator
        self.documentation = documentation
        self.isInternal = isInternal
    }

    /// Whether values are hidden in DescribeConfigs.
    public var isSensitive: Bool { type == .password }

    /// Parses `raw` as Kafka does (surrounding whitespace ignored), validates it and returns the
    /// normalized text (numbers in canonical form, lists joined by `,`, booleans lower-case).
    /// Throws `invalidConfig` with Kafka's message.
    public func normalize(_ raw: String) throws(LogStorageError) -> String {
        let trimmed = ConfigText.trim(raw)
        func notNumber() -> LogStorageError {
            .invalidConfig("Invalid value \(raw) for configuration \(name): Not a number of type \(type.kafkaName)")
        }
        var text = trimmed
        var integer: Int64?
        var double: Double?
        var list: [String] = []
        switch type {
        case .boolean:
            switch trimmed.lowercased() {
            case "true": text = "true"
            case "false": text = "false"
            default: throw .invalidConfig("Invalid value \(raw) for configuration \(name): Expected value to be either true or false")
            }
        case .int:
            guard let value = Int32(trimmed) else { throw notNumber() }
            integer = Int64(value)
        case .short:
            guard let value = Int16(trimmed) else { throw notNumber() }
            integer = Int64(value)
        case .long:
            guard let value = Int64(trimmed) else { throw notNumber() }
            integer = value
        case .double:
            guard let value = Double(trimmed), value.isFinite else { throw notNumber() }
            double = value
            text = ConfigText.javaDouble(value)
        case .list:
            list = trimmed.isEmpty ? [] : trimmed.split(separator: ",", omittingEmptySubsequences: false).map { ConfigText.trim(String($0)) }
            text = list.joined(separator: ",")
        case .string, .class, .password, .unknown:
            break
        }
        if let integer { text = String(integer) }
        if let problem = validator.problem(name: name, text: text, integer: integer, double: double, list: list) {
            throw .invalidConfig(problem)
        }
        return text
    }
}

/// Text helpers for config values (no Foundation in the storage engine).
public enum ConfigText {
    /// `text` without leading and trailing spaces and control characters (Java's `String.trim`:
    /// every character up to U+0020, so a CR LF pair counts too).
    public static func trim(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0.unicodeScalars.allSatisfy { $0.value <= 0x20 } }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }

    /// A double as Java's `Double.toString` writes it (`0.5`, `1.0`, `1.0E7`,
    /// `1.7976931348623157E308`), which is how Kafka shows DOUBLE configs: plain from 10^-3 up
    /// to 10^7, scientific otherwise, with the shortest digits that read back the same.
    public static func javaDouble(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0.0" }
        // Swift's description has the shortest round-trip digits: "12.5", "1e+16", "1.5e-05".
        var text = "\(abs(value))"
        var exponent = 0
        if let e = text.firstIndex(of: "e") {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var digits = parts.map(String.init).joined()
        var point = parts[0].count + exponent  // digits before the decimal point
        while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst(); point -= 1 }
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
            let split = digits.index(digits.startIndex, offsetBy: point)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let rest = digits.dropFirst()
        return sign + digits.prefix(1) + "." + (rest.isEmpty ? "0" : rest) + "E" + String(point - 1)
    }
}
