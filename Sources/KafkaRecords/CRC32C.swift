internal import CCRC32C

/// CRC-32C (Castagnoli): reflected polynomial `0x82F63B78`, initial value `0xFFFFFFFF`, final
/// XOR `0xFFFFFFFF`. Check value: `checksum("123456789") == 0xE3069283`.
///
/// This is the checksum of RecordBatch v2 (kafka-protocol.md §3.2), computed over bytes
/// `21..<end` of every batch. The default entry points use the SSE4.2 `crc32` instruction (C
/// target `CCRC32C`) when the CPU has it and a portable slicing-by-8 table implementation
/// otherwise; both produce identical results.
///
/// All values passed in and out are *finished* CRCs (already inverted), so streaming is
/// `update(checksum(a), b) == checksum(a + b)` and the empty checksum is `0`.
///
/// Thread-safety: stateless apart from immutable, lazily built tables; safe from any thread.
public enum CRC32C {
    /// Whether ``checksum(_:)-(UnsafeRawBufferPointer)`` uses the hardware instruction.
    /// Decided once per process.
    public static let hardwareAccelerated: Bool = kaffee_crc32c_hw_available() != 0

    /// CRC-32C of `buffer`, using hardware when available.
    public static func checksum(_ buffer: UnsafeRawBufferPointer) -> UInt32 {
        update(0, buffer)
    }

    /// CRC-32C of an array.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// CRC-32C of an array slice (no copy).
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues a checksum: `crc` is the finished CRC of the preceding bytes (start from `0`);
    /// returns the finished CRC of the preceding bytes followed by `buffer`.
    public static func update(_ crc: UInt32, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return crc }
        if hardwareAccelerated {
            // The C function works on the raw register, i.e. without the final inversion.
            return ~kaffee_crc32c_hw_update(~crc, base, buffer.count)
        }
        return softwareUpdate(crc, buffer)
    }

    /// Portable slicing-by-8 CRC-32C of `buffer`; exposed for tests and benchmarks.
    public static func softwareChecksum(_ buffer: UnsafeRawBufferPointer) -> UInt32 {
        softwareUpdate(0, buffer)
    }

    /// Hardware CRC-32C of `buffer`, or `nil` when the CPU lacks the instruction; exposed for
    /// tests and benchmarks.
    public static func hardwareChecksum(_ buffer: UnsafeRawBufferPointer) -> UInt32? {
        guard hardwareAccelerated else { return nil }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return ~kaffee_crc32c_hw_update(0xFFFF_FFFF, base, buffer.count)
    }

    /// Portable streaming update with the same contract as ``update(_:_:)``.
    public static func softwareUpdate(_ crc: UInt32, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
        CRC32CTables.slicingBy8.withUnsafeBufferPointer { table in
            var register = ~crc
            var index = 0
            let count = buffer.count
            // Eight bytes per step: each byte of the (register-XORed) word is looked up in the
            // table that already accounts for the zero bytes that follow it in the block.
            while count - index >= 8 {
                let word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    ^ UInt64(register)
                register = table[7 &* 256 &+ Int(word & 0xFF)]
                    ^ table[6 &* 256 &+ Int((word >> 8) & 0xFF)]
                    ^ table[5 &* 256 &+ Int((word >> 16) & 0xFF)]
                    ^ table[4 &* 256 &+ Int((word >> 24) & 0xFF)]
                    ^ table[3 &* 256 &+ Int((word >> 32) & 0xFF)]
                    ^ table[2 &* 256 &+ Int((word >> 40) & 0xFF)]
                    ^ table[1 &* 256 &+ Int((word >> 48) & 0xFF)]
                    ^ table[Int(word >> 56)]
                index &+= 8
            }
            while index < count {
                let byte = buffer[index]
                register = table[Int((register ^ UInt32(byte)) & 0xFF)] ^ (register >> 8)
                index &+= 1
            }
            return ~register
        }
    }
}
