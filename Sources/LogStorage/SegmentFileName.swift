/// Segment file names: the base offset as 20 zero-padded decimal digits plus an extension,
/// e.g. `00000000000000001234.log`, as in Kafka, so names sort in offset order.
enum SegmentFileName {
    static let logSuffix = ".log"
    static let indexSuffix = ".index"
    static let timeIndexSuffix = ".timeindex"

    /// `1234` → `00000000000000001234`.
    static func stem(_ baseOffset: Int64) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The base offset of a file named `<20 digits><suffix>`, or nil for any other name.
    static func baseOffset(of name: String, suffix: String) -> Int64? {
        guard name.hasSuffix(suffix) else { return nil }
        let stem = name.dropLast(suffix.count)
        guard stem.count == 20, stem.allSatisfy({ $0 >= "0" && $0 <= "9" }) else { return nil }
        return Int64(stem)
    }
}
