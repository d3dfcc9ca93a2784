/// Segment file names: the base offset as 20 zero-padded decimal digits plus an extension,
/// e.g. `00000000000000001234.log`, as in Kafka, so names sort in offset order.
enum SegmentFileName {
    static let logSuffix = ".log"
    static let indexSuffix = ".index"
    static let timeIndexSuffix = ".timeindex"
    static let txnIndexSuffix = ".txnindex"
    /// Every suffix of a segment's files.
    static let allSuffixes = [logSuffix, indexSuffix, timeIndexSuffix, txnIndexSuffix]

    /// `1234` → `00000000000000001234`.
    static func stem(_ baseOffset: Int64) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The base offset of a file named `<20 digits><suffix>`, or nil for any other name.
    static func baseOffset(of name: String, suffix: String) -> Int64? {
        let bytes = name.utf8
        guard bytes.count == 20 + suffix.utf8.count, name.hasSuffix(suffix) else { return nil }
        var value: Int64 = 0
        for byte in bytes.prefix(20) {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 0x30))
            guard !overflow && !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}
