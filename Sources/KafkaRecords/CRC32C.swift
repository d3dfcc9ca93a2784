internal import CCRC32C

/// CRC-32C (Castagnoli): reflected polynomial `0x82F63B78`, initial value `0xFFFFFFFF`, final
/// XOR `0xFFFFFFFF`. Check value: `checksum("123456789") == 0xE3069283`.
///
/// This is the checksum of RecordBatch v2 (kafka-protocol.md §3.2), computed over bytes
/// `21..<end` of every batch. The default entry points use the SSE4.2 `crc32` instruction (C
/// target `CCRC32C`) when the CPU has it (x86-64 with SSE4.2) and a portable slicing-by-8 table
/// implementation otherwise (aarch64 and every other architecture); both produce identical
/// results. Setting the environment variable `KAFFEE_CRC32C=software` before the process first
/// computes a checksum forces the software path even where the instruction exists, to test or
/// measure it; any other value (or none) means "hardware when available". The choice is made
/// once per process.
///
/// All values passed in and out are *finished* CRCs (already inverted), so streaming is
/// `update(checksum(a), b) == checksum(a + b)` and the empty checksum is `0`.
///
/// Thread-safety: stateless apart from immutable, lazily built tables; safe from any thread.
public enum CRC32C {
    /// Which code computes the default entry points' checksums.
    public enum Implementation: String, Sendable {
        /// The SSE4.2 `crc32` instruction, three streams interleaved (C target `CCRC32C`).
        case hardware
        /// Table-driven slicing-by-8 in Swift; works on every CPU.
        case software
    }

    /// Whether this CPU has the instruction the hardware path needs (SSE4.2 on x86-64; always
    /// false elsewhere). Independent of `KAFFEE_CRC32C`.
    public static let hardwareAvailable: Bool = kaffee_crc32c_hw_available() != 0

    /// What ``checksum(_:)-(UnsafeRawBufferPointer)`` and ``update(_:_:)`` use: hardware when
    /// available unless `KAFFEE_CRC32C=software`. Decided once per process.
    public static let implementation: Implementation = selectImplementation(
        requested: kaffee_crc32c_requested_implementation().map { String(cString: $0) },
        hardwareAvailable: hardwareAvailable)

    /// Whether the default entry points use the hardware instruction.
    public static var hardwareAccelerated: Bool { implementation == .hardware }

    /// The choice behind ``implementation``, apart from the process environment so tests can
    /// cover it: `requested` is the value of `KAFFEE_CRC32C` (nil when unset). Only `software`
    /// changes anything; hardware cannot be forced onto a CPU without the instruction, and an
    /// unknown value falls back to the default rather than failing, since the results are the
    /// same either way.
    package static func selectImplementation(requested: String?, hardwareAvailable: Bool) -> Implementation {
        if requested == "software" { return .software }
        return hardwareAvailable ? .hardware : .software
    }

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
    /// tests and benchmarks. Ignores `KAFFEE_CRC32C`, so both paths can be compared in one process.
    public static func hardwareChecksum(_ buffer: UnsafeRawBufferPointer) -> UInt32? {
        guard hardwareAvailable else { return nil }
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
