/// A tolerant RFC 3339 timestamp parser: text → Unix milliseconds. Pure; thread-safe.
///
/// Accepts `YYYY-MM-DD`, a `T`, `t` or space, `HH:MM`, optional `:SS`, an optional fraction
/// of any length (`.` or `,`; truncated to milliseconds) and an optional zone: `Z`/`z`,
/// `±HH:MM`, `±HHMM` or `±HH` (no zone is read as UTC). Leading and trailing spaces are
/// ignored. A leap second (`:60`) counts as the next second. Returns nil for anything else,
/// including out-of-range fields (month 13, February 30, hour 24, offset beyond ±23:59).
public enum RFC3339 {
    /// `unixMillis` as RFC 3339 UTC text with milliseconds, e.g. `2025-03-14T08:05:42.918Z`.
    public static func format(unixMillis: Int64) -> String {
        let (days, msOfDay) = unixMillis.quotientAndRemainder(dividingBy: 86_400_000)
        var d = days, ms = msOfDay
        if ms < 0 { ms += 86_400_000; d -= 1 }
        // Civil-from-days (H. Hinnant).
        let z = d + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(ms / 3_600_000, 2)):"
            + "\(pad(ms / 60_000 % 60, 2)):\(pad(ms / 1000 % 60, 2)).\(pad(ms % 1000, 3))Z"
    }

    /// The Unix time in milliseconds that `text` denotes, or nil when it is not a timestamp.
    public static func unixMillis(_ text: String) -> Int64? {
        var scanner = Scanner(Array(text.utf8).trimmingSpaceBytes)
        guard let year = scanner.digits(4), scanner.take(UInt8(ascii: "-")),
              let month = scanner.digits(2), scanner.take(UInt8(ascii: "-")),
              let day = scanner.digits(2)
        else { return nil }
        guard scanner.takeAny([UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")]),
              let hour = scanner.digits(2), scanner.take(UInt8(ascii: ":")),
              let minute = scanner.digits(2)
        else { return nil }
        var second: Int64 = 0
        var millis: Int64 = 0
        if scanner.take(UInt8(ascii: ":")) {
            guard let s = scanner.digits(2) else { return nil }
            second = s
            if scanner.takeAny([UInt8(ascii: "."), UInt8(ascii: ",")]) {
                guard let fraction = scanner.fractionMillis() else { return nil }
                millis = fraction
            }
        }
        var offsetMinutes: Int64 = 0
        if scanner.takeAny([UInt8(ascii: "Z"), UInt8(ascii: "z")]) {
            offsetMinutes = 0
        } else if let sign = scanner.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            scanner.advance()
            guard let hours = scanner.digits(2), hours <= 23 else { return nil }
            var minutes: Int64 = 0
            if scanner.take(UInt8(ascii: ":")) {
                guard let m = scanner.digits(2) else { return nil }
                minutes = m
            } else if let m = scanner.digits(2) {
                minutes = m
            }
            guard minutes <= 59 else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard scanner.atEnd else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1000 + millis
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// A cursor over ASCII bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
        mutating func advance() { index += 1 }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        mutating func takeAny(_ choices: [UInt8]) -> Bool {
            guard let byte = peek, choices.contains(byte) else { return false }
            index += 1
            return true
        }

        /// Exactly `count` decimal digits as a number, or nil (and nothing consumed).
        mutating func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<(index + count)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }

        /// One or more digits of a fraction of a second, as whole milliseconds (truncated).
        mutating func fractionMillis() -> Int64? {
            var millis: Int64 = 0
            var seen = 0
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if seen < 3 { millis = millis * 10 + Int64(byte - UInt8(ascii: "0")) }
                seen += 1
                index += 1
            }
            guard seen > 0 else { return nil }
            for _ in seen..<max(seen, 3) { millis *= 10 }
            return millis
        }
    }
}

extension Array where Element == UInt8 {
    /// The bytes without leading and trailing ASCII spaces and tabs.
    fileprivate var trimmingSpaceBytes: [UInt8] {
        var slice = self[...]
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return Array(slice)
    }
}
