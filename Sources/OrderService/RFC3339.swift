import ServiceKit

/// RFC 3339 timestamps ↔ Unix milliseconds, without Foundation's date machinery.
///
/// Parsing accepts `YYYY-MM-DDTHH:MM:SS`, an optional fraction of any number of digits (kept
/// to milliseconds, truncated), and `Z`/`z` or a `±HH:MM` offset; `t` may replace `T` and a
/// space is accepted too. Leap seconds (`:60`) count as `:59.999`. Formatting is always UTC
/// with exactly three fraction digits (`2025-03-14T08:05:42.918Z`). Pure functions; thread-safe.
enum RFC3339 {
    /// The Unix milliseconds of `text`, or nil when it is not an RFC 3339 date-time.
    static func unixMillis(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0

        func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<(index + count)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ allowed: Set<UInt8>) -> Bool {
            guard index < bytes.count, allowed.contains(bytes[index]) else { return false }
            index += 1
            return true
        }

        guard let year = digits(4), expect([0x2D]), let month = digits(2), expect([0x2D]),
              let day = digits(2), expect([0x54, 0x74, 0x20]),
              let hour = digits(2), expect([0x3A]), let minute = digits(2), expect([0x3A]),
              let second = digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }

        var millis: Int64 = 0
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            var count = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                // Only the first three digits matter; the rest is below a millisecond.
                if count < 3 { millis = millis * 10 + Int64(bytes[index] - 0x30) }
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { millis *= 10 }
        }

        var offsetMinutes: Int64 = 0
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case 0x5A, 0x7A:
            index += 1
        case 0x2B, 0x2D:
            let sign: Int64 = bytes[index] == 0x2B ? 1 : -1
            index += 1
            guard let offsetHour = digits(2), expect([0x3A]), let offsetMinute = digits(2),
                  offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }

        let clampedSecond = min(second, 59)
        if second == 60 { millis = 999 }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + clampedSecond - offsetMinutes * 60
        return seconds * 1_000 + millis
    }

    /// `unixMillis` as RFC 3339 UTC with milliseconds, e.g. `2025-03-14T08:05:42.918Z`.
    static func format(unixMillis: Int64) -> String {
        DeadLetter.rfc3339(unixMillis: unixMillis)
    }

    private static func isLeapYear(_ year: Int64) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days-from-civil).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
