import SystemIO

/// Reads the console's query and form parameters; anything malformed is a `ConsoleFailure`
/// with status 400 naming the parameter and what was expected.
public enum ConsoleParameters {
    /// The message browser's default and largest record count.
    public static let defaultCount = 20
    public static let maxCount = 200

    /// The integer `name` (absent or empty: `defaultValue`), which must lie in `range`.
    public static func integer(_ parameters: [String: String], _ name: String, default defaultValue: Int64,
                               range: ClosedRange<Int64>) throws(ConsoleFailure) -> Int64 {
        guard let text = parameters[name]?.trimmedSpaces, !text.isEmpty else { return defaultValue }
        guard text.utf8.count <= 20, let value = Int64(text) else {
            throw .badRequest("\(name) must be a whole number, got \(Self.quoted(text))")
        }
        guard range.contains(value) else {
            throw .badRequest("\(name) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    /// A time: milliseconds since the epoch, or a UTC date and time `YYYY-MM-DDTHH:MM[:SS]`
    /// (what an `<input type=datetime-local>` sends), or a date `YYYY-MM-DD`.
    public static func timestamp(_ text: String, name: String) throws(ConsoleFailure) -> Int64 {
        let text = text.trimmedSpaces
        if let ms = Int64(text), ms >= 0 { return ms }
        if let ms = Self.parseDateTime(text), ms >= 0 { return ms }
        throw .badRequest("\(name) must be milliseconds since the epoch or a UTC time like 2026-01-31T12:00:00, got \(Self.quoted(text))")
    }

    /// The message browser's request for `topic`: `partition` (default 0), `count` (default
    /// 20, 1–200), and the start: `from` = `earliest` | `latest` | `offset` | `timestamp`
    /// (default: `offset` when `offset` is given, `timestamp` when that is, else `earliest`).
    public static func browseQuery(topic: String, _ parameters: [String: String]) throws(ConsoleFailure) -> BrowseQuery {
        let partition = try integer(parameters, "partition", default: 0, range: 0...Int64(Int32.max))
        let count = try integer(parameters, "count", default: Int64(defaultCount), range: 1...Int64(maxCount))
        let offsetText = parameters["offset"]?.trimmedSpaces ?? ""
        let timestampText = parameters["timestamp"]?.trimmedSpaces ?? ""
        let from = parameters["from"]?.trimmedSpaces.lowercased() ?? ""
        let start: BrowseStart
        switch from.isEmpty ? (!offsetText.isEmpty ? "offset" : !timestampText.isEmpty ? "timestamp" : "earliest") : from {
        case "earliest", "beginning": start = .earliest
        case "latest", "end": start = .latest
        case "offset":
            guard !offsetText.isEmpty else { throw .badRequest("from=offset needs an offset") }
            start = .offset(try integer(parameters, "offset", default: 0, range: 0...Int64.max))
        case "timestamp":
            guard !timestampText.isEmpty else { throw .badRequest("from=timestamp needs a timestamp") }
            start = .timestamp(try timestamp(timestampText, name: "timestamp"))
        default:
            throw .badRequest("from must be earliest, latest, offset or timestamp, got \(Self.quoted(from))")
        }
        return BrowseQuery(topic: topic, partition: Int32(partition), start: start, count: Int(count))
    }

    /// The reset form: `to` = `earliest` | `latest` | `offset` (with `offset`) | `timestamp`
    /// (with `timestamp`).
    public static func resetTarget(_ parameters: [String: String]) throws(ConsoleFailure) -> ResetTarget {
        switch parameters["to"]?.trimmedSpaces.lowercased() ?? "" {
        case "earliest": return .earliest
        case "latest": return .latest
        case "offset":
            guard let text = parameters["offset"], !text.trimmedSpaces.isEmpty else { throw .badRequest("to=offset needs an offset") }
            return .offset(try integer(parameters, "offset", default: 0, range: 0...Int64.max))
        case "timestamp":
            guard let text = parameters["timestamp"], !text.trimmedSpaces.isEmpty else { throw .badRequest("to=timestamp needs a timestamp") }
            return .timestamp(try timestamp(text, name: "timestamp"))
        case let other:
            throw .badRequest("to must be earliest, latest, offset or timestamp, got \(Self.quoted(other))")
        }
    }

    /// The configs the create form offers, by Kafka name.
    public static let createConfigNames = ["cleanup.policy", "retention.ms", "retention.bytes", "segment.bytes", "max.message.bytes"]

    /// The create form: `name`, `partitions` (default 1, 1–10000) and the non-empty ones of
    /// `createConfigNames`.
    public static func createTopic(_ parameters: [String: String]) throws(ConsoleFailure) -> (name: String, partitions: Int32, configs: [String: String]) {
        let name = parameters["name"]?.trimmedSpaces ?? ""
        if let problem = topicNameProblem(name) { throw .badRequest(problem) }
        let partitions = try integer(parameters, "partitions", default: 1, range: 1...10_000)
        var configs: [String: String] = [:]
        for key in createConfigNames {
            if let value = parameters[key]?.trimmedSpaces, !value.isEmpty { configs[key] = value }
        }
        return (name, Int32(partitions), configs)
    }

    /// Why `name` cannot be a Kafka topic name, or nil when it can (1–249 characters of
    /// `a-z A-Z 0-9 . _ -`, not `.` or `..`).
    public static func topicNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "the topic name must not be empty" }
        if name.utf8.count > 249 { return "the topic name is longer than 249 characters" }
        if name == "." || name == ".." { return "the topic name must not be \(Self.quoted(name))" }
        let allowed = name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
        return allowed ? nil : "the topic name may contain only letters, digits, '.', '_' and '-', got \(Self.quoted(name))"
    }

    /// `text` in quotes for a message, cut at 100 characters.
    static func quoted(_ text: String) -> String {
        text.count > 100 ? "\"\(text.prefix(100))…\"" : "\"\(text)\""
    }

    /// `YYYY-MM-DD[THH:MM[:SS]]` (a space instead of `T` too, a trailing `Z` allowed), read as
    /// UTC; nil when malformed or not a real date.
    static func parseDateTime(_ text: String) -> Int64? {
        let text = text.hasSuffix("Z") || text.hasSuffix("z") ? String(text.dropLast()) : text
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == "t" || $0 == " " })
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let dateFields = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        let date = dateFields.compactMap { Int($0) }
        guard dateFields.count == 3, date.count == 3 else { return nil }
        var time = [0, 0, 0]
        if parts.count == 2 {
            let timeFields = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            let parsed = timeFields.compactMap { Int($0) }
            guard parsed.count == timeFields.count, parsed.count == 2 || parsed.count == 3 else { return nil }
            time = parsed + (parsed.count == 2 ? [0] : [])
        }
        return UTCTime.unixMillis(year: date[0], month: date[1], day: date[2], hour: time[0], minute: time[1], second: time[2])
    }

    /// ISO 8601 UTC with milliseconds for a millisecond timestamp (negative: "none").
    public static func formatTimestamp(_ ms: Int64) -> String {
        ms < 0 ? "none" : UTCTime.format(unixMillis: ms)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    var trimmedSpaces: String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
