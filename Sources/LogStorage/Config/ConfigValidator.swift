/// The check a config value must pass after parsing (Kafka's `ConfigDef.Validator`s), with
/// Kafka's messages. A value type.
public enum ConfigValidator: Sendable, Equatable {
    case none
    /// An integer (INT, SHORT, LONG) at least this.
    case atLeast(Int64)
    /// An integer within the bounds (inclusive).
    case between(Int64, Int64)
    /// A DOUBLE within the bounds (inclusive).
    case betweenDouble(Double, Double)
    /// A DOUBLE at least this.
    case atLeastDouble(Double)
    /// A STRING equal to one of these (case-sensitive), listed in Kafka's order.
    case oneOf([String])
    /// A LIST whose every element is one of these.
    case listOf([String])
    /// `compression.gzip.level`: 1...9 or -1.
    case gzipLevel
    /// `*.replication.throttled.replicas`: `*` or `partition:broker` pairs.
    case throttledReplicas
    /// `share.auto.offset.reset`: `earliest`, `latest` or `by_duration:<ISO-8601 duration>`.
    case shareAutoOffsetReset

    /// Kafka's message for a parsed value that fails the check, or nil when it passes.
    /// `text` is the normalized value, `number` its integer or double value.
    func problem(name: String, text: String, integer: Int64?, double: Double?, list: [String]) -> String? {
        switch self {
        case .none:
            return nil
        case .atLeast(let min):
            guard let integer, integer < min else { return nil }
            return "Invalid value \(text) for configuration \(name): Value must be at least \(min)"
        case .between(let min, let max):
            guard let integer else { return nil }
            if integer < min { return "Invalid value \(text) for configuration \(name): Value must be at least \(min)" }
            if integer > max { return "Invalid value \(text) for configuration \(name): Value must be no more than \(max)" }
            return nil
        case .betweenDouble(let min, let max):
            guard let double else { return nil }
            if double < min { return "Invalid value \(text) for configuration \(name): Value must be at least \(Self.format(min))" }
            if double > max { return "Invalid value \(text) for configuration \(name): Value must be no more than \(Self.format(max))" }
            return nil
        case .atLeastDouble(let min):
            guard let double, double < min else { return nil }
            return "Invalid value \(text) for configuration \(name): Value must be at least \(Self.format(min))"
        case .oneOf(let allowed):
            guard !allowed.contains(text) else { return nil }
            return "Invalid value \(text) for configuration \(name): String must be one of: \(allowed.joined(separator: ", "))"
        case .listOf(let allowed):
            for element in list where !allowed.contains(element) {
                return "Invalid value \(element) for configuration \(name): String must be one of: \(allowed.joined(separator: ", "))"
            }
            return nil
        case .gzipLevel:
            guard let integer, integer != -1, !(1...9).contains(integer) else { return nil }
            return "Invalid value \(text) for configuration \(name): Value must be between 1 and 9 or equal to -1"
        case .throttledReplicas:
            // Kafka: every element a pair (or empty), or the elements joined are exactly `*`.
            if list.joined() == "*" { return nil }
            for element in list where !Self.isReplicaPair(element) {
                return "Invalid value [\(list.joined(separator: ", "))] for configuration \(name): \(name) must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],..."
            }
            return nil
        case .shareAutoOffsetReset:
            if text == "earliest" || text == "latest" { return nil }
            if text.hasPrefix("by_duration:"), ISODuration.milliseconds(String(text.dropFirst("by_duration:".count))) != nil { return nil }
            return "Invalid value \(text) for configuration \(name): Invalid value `\(text)` for configuration \(name). The value must be either 'earliest', 'latest' or of the format 'by_duration:<PnDTnHnMn.nS>'."
        }
    }

    private static func isReplicaPair(_ text: String) -> Bool {
        if text.isEmpty { return true }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }

    /// Bounds print as Kafka prints them: `1`, not `1.0`, for whole numbers.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

extension Character {
    var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}

/// ISO-8601 durations of the form Java's `Duration.parse` accepts (`PnDTnHnMn.nS`, optional
/// sign), as `share.auto.offset.reset=by_duration:` uses them.
public enum ISODuration {
    /// The duration in milliseconds, or nil when `text` is not such a duration or is negative.
    public static func milliseconds(_ text: String) -> Int64? {
        var rest = Substring(text.uppercased())
        guard rest.hasPrefix("P") else { return nil }
        rest = rest.dropFirst()
        var total = 0.0
        var inTime = false
        var number = ""
        var sawUnit = false
        for character in rest {
            if character == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            if character.isASCIIDigit || character == "." || (character == "-" && number.isEmpty) {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            number = ""
            sawUnit = true
            switch (character, inTime) {
            case ("D", false): total += value * 86_400_000
            case ("H", true): total += value * 3_600_000
            case ("M", true): total += value * 60_000
            case ("S", true): total += value * 1000
            default: return nil
            }
        }
        guard number.isEmpty, sawUnit, total >= 0, total < Double(Int64.max) else { return nil }
        return Int64(total)
    }
}
