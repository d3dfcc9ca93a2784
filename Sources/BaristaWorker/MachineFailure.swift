/// Whether the espresso machine "breaks" on a drink, every time it is tried, decided from the
/// ticket id alone (the simulated failure that a retry cannot fix).
///
/// A pure function of the id (FNV-1a 64-bit hash mapped to [0, 1)), so a redelivered event,
/// another worker or a restarted one always decides the same for the same drink.
public enum MachineFailure {
    /// The reason a worker gives in `DrinkFailed` when the machine breaks.
    public static let reason = "the espresso machine broke down"

    /// True when the drink fails at `rate` (0 never, 1 always).
    public static func breaks(ticketId: String, rate: Double) -> Bool {
        guard rate > 0 else { return false }
        guard rate < 1 else { return true }
        return unitInterval(ticketId) < rate
    }

    /// The id's hash as a number in [0, 1).
    static func unitInterval(_ text: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        // Mix the high bits down: FNV's low bits vary little for ids that differ at the end.
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return Double(hash >> 11) / Double(UInt64(1) << 53)
    }
}
