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
        if let ms = Self.parseDateTime(text) { return ms }
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

    /// `YYYY-MM-DD[THH:MM[:SS]]` (a space instead of `T` too), read as UTC; nil when malformed.
    static func parseDateTime(_ text: String) -> Int64? {
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " }).map(String.init)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard date.count == 3, let year = date[0], let month = date[1], let day = date[2],
              (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = 0
        if parts.count == 2 {
            let fields = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            let time = fields.compactMap { Int($0) }
            guard time.count == fields.count, time.count == 2 || time.count == 3 else { return nil }
            let hour = time[0], minute = time[1], second = time.count == 3 ? time[2] : 0
            guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
            seconds = hour * 3600 + minute * 60 + second
        }
        return Int64(daysFromCivil(year: year, month: month, day: day) * 86_400 + seconds) * 1000
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `YYYY-MM-DD HH:MM:SS.mmm` UTC for a millisecond timestamp (negative: "none").
    public static func formatTimestamp(_ ms: Int64) -> String {
        guard ms >= 0 else { return "none" }
        let days = Int(ms / 86_400_000)
        let inDay = Int(ms % 86_400_000)
        // civil_from_days (Howard Hinnant)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(inDay / 3_600_000, 2)):\(pad(inDay / 60_000 % 60, 2)):\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000, 3))"
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    var trimmedSpaces: String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
