/// Comparisons whose running time does not depend on where byte strings differ.
public enum ConstantTime {
    /// Whether `a` and `b` are equal, looking at every byte whatever the contents (only the
    /// lengths, which are public in every use here, may end the comparison early).
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        var index = 0
        while index < a.count {
            difference |= a[index] ^ b[index]
            index += 1
        }
        return difference == 0
    }
}
