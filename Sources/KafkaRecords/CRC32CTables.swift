/// Lookup tables for the software CRC-32C (slicing-by-8).
///
/// Layout: 8 consecutive tables of 256 entries in one flat array. Table 0 is the classic
/// byte-at-a-time table for the reflected polynomial; table k advances a byte's contribution
/// past k further zero bytes, which is what lets 8 bytes be folded in with independent lookups.
///
/// Thread-safety: a global `static let`, built once on first use (Swift guarantees thread-safe
/// lazy initialisation) and immutable afterwards.
enum CRC32CTables {
    /// Reflected Castagnoli polynomial.
    static let polynomial: UInt32 = 0x82F6_3B78

    /// `8 * 256` entries; entry `k * 256 + b` is table k at byte b.
    static let slicingBy8: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1
            }
            table[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = table[(slice - 1) * 256 + byte]
                table[slice * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        return table
    }()
}
