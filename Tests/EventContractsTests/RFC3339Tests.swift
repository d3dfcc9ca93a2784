import Testing
import EventContracts

@Suite struct RFC3339Tests {
    @Test func parsesCommonForms() {
        #expect(RFC3339.unixMillis("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.unixMillis("2025-03-14T08:05:42.918Z") == 1_741_939_542_918)
        #expect(RFC3339.unixMillis("2025-03-14T09:05:42.918+01:00") == 1_741_939_542_918)
        #expect(RFC3339.unixMillis("2025-03-14T03:05:42.918-0500") == 1_741_939_542_918)
        #expect(RFC3339.unixMillis("2025-03-14 08:05:42.918123456z") == 1_741_939_542_918)
        #expect(RFC3339.unixMillis("2025-03-14T08:05:42,9Z") == 1_741_939_542_900)
        #expect(RFC3339.unixMillis("2025-03-14T08:05:42") == 1_741_939_542_000)
        #expect(RFC3339.unixMillis("2025-03-14T08:05Z") == 1_741_939_500_000)
        #expect(RFC3339.unixMillis(" 2024-02-29T23:59:60Z ") == 1_709_251_200_000)
        #expect(RFC3339.unixMillis("1969-12-31T23:59:59.999Z") == -1)
    }

    @Test func rejectsMalformedText() {
        for text in ["", "yesterday", "2025-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2025-03-14T24:00:00Z",
                     "2025-03-14T08:05:42.Z", "2025-03-14T08:05:42Zjunk", "2025-03-14", "2025-3-14T08:05:42Z",
                     "2025-03-14T08:05:42+24:00", "2025-03-14T08:05:61Z"] {
            #expect(RFC3339.unixMillis(text) == nil, "\(text)")
        }
    }
}

@Suite struct RFC3339FormatTests {
    @Test func formatsAndParsesBack() {
        #expect(RFC3339.format(unixMillis: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(unixMillis: 1_700_000_000_123) == "2023-11-14T22:13:20.123Z")
        #expect(RFC3339.format(unixMillis: -1) == "1969-12-31T23:59:59.999Z")
        for ms: Int64 in [0, 1, 951_782_400_000, 1_700_000_000_123, 4_102_444_799_999] {
            #expect(RFC3339.unixMillis(RFC3339.format(unixMillis: ms)) == ms)
        }
    }
}
