import KafkaRecords
import SystemIO
import Testing

@Suite("CRC-32C")
struct CRC32CTests {
    static let vectors: [(name: String, bytes: [UInt8], crc: UInt32)] = [
        ("123456789", Array("123456789".utf8), 0xE306_9283),
        ("32 zero bytes", [UInt8](repeating: 0, count: 32), 0x8A91_36AA),
        ("32 0xFF bytes", [UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
        ("bytes 0...31", (0..<32).map { UInt8($0) }, 0x46DD_794E),
        ("bytes 31...0", (0..<32).reversed().map { UInt8($0) }, 0x113F_DB5C),
        ("empty", [], 0),
    ]

    @Test("known vectors: software", arguments: 0..<vectors.count)
    func softwareVectors(_ index: Int) {
        let vector = Self.vectors[index]
        vector.bytes.withUnsafeBytes { raw in
            #expect(CRC32C.softwareChecksum(raw) == vector.crc, "\(vector.name)")
        }
        #expect(referenceCRC32C(vector.bytes) == vector.crc, "reference \(vector.name)")
    }

    @Test("known vectors: hardware", arguments: 0..<vectors.count)
    func hardwareVectors(_ index: Int) {
        let vector = Self.vectors[index]
        vector.bytes.withUnsafeBytes { raw in
            if CRC32C.hardwareAvailable {
                #expect(CRC32C.hardwareChecksum(raw) == vector.crc, "\(vector.name)")
            } else {
                #expect(CRC32C.hardwareChecksum(raw) == nil)
            }
        }
    }

    @Test("known vectors: default entry points", arguments: 0..<vectors.count)
    func defaultVectors(_ index: Int) {
        let vector = Self.vectors[index]
        #expect(CRC32C.checksum(vector.bytes) == vector.crc)
        #expect(CRC32C.checksum(vector.bytes[...]) == vector.crc)
        let padded = [0xAA] + vector.bytes + [0x55]
        #expect(CRC32C.checksum(padded[1..<(padded.count - 1)]) == vector.crc)
    }

    @Test func hardwareIsAvailableOnX86_64() {
        #if arch(x86_64)
        // Every x86_64 machine this project targets has SSE4.2; if this fails the C detection is broken.
        #expect(CRC32C.hardwareAvailable)
        #else
        // The C target compiles to stubs elsewhere; the software path must be the one in use.
        #expect(!CRC32C.hardwareAvailable)
        #endif
    }

    /// `KAFFEE_CRC32C=software` forces the table-driven path; nothing can force hardware onto a
    /// CPU without it, and an unknown value is the default.
    @Test func implementationChoice() {
        #expect(CRC32C.selectImplementation(requested: nil, hardwareAvailable: true) == .hardware)
        #expect(CRC32C.selectImplementation(requested: nil, hardwareAvailable: false) == .software)
        #expect(CRC32C.selectImplementation(requested: "software", hardwareAvailable: true) == .software)
        #expect(CRC32C.selectImplementation(requested: "software", hardwareAvailable: false) == .software)
        #expect(CRC32C.selectImplementation(requested: "hardware", hardwareAvailable: false) == .software)
        #expect(CRC32C.selectImplementation(requested: "hardware", hardwareAvailable: true) == .hardware)
        #expect(CRC32C.selectImplementation(requested: "", hardwareAvailable: true) == .hardware)
        // The process's own choice follows its environment: run this suite again with
        // KAFFEE_CRC32C=software and every default-entry-point test covers the software path.
        let expected = CRC32C.selectImplementation(requested: Environment.get("KAFFEE_CRC32C"),
                                                   hardwareAvailable: CRC32C.hardwareAvailable)
        #expect(CRC32C.implementation == expected)
        #expect(CRC32C.hardwareAccelerated == (expected == .hardware))
    }

    @Test func streamingUpdateEqualsOneShot() {
        var rng = SplitMix64(seed: 42)
        for length in [0, 1, 7, 8, 9, 100, 4_096, 12_287, 12_288, 12_289, 40_000, 100_000] {
            let data = rng.bytes(length)
            let whole = CRC32C.checksum(data)
            var splits = Set([0, length, length / 2, length / 3, min(length, 12_288)])
            for _ in 0..<8 { splits.insert(length == 0 ? 0 : Int(rng.next() % UInt64(length + 1))) }
            for split in splits {
                data.withUnsafeBytes { raw in
                    let head = UnsafeRawBufferPointer(rebasing: raw[..<split])
                    let tail = UnsafeRawBufferPointer(rebasing: raw[split...])
                    #expect(CRC32C.update(CRC32C.checksum(head), tail) == whole, "length \(length) split \(split)")
                    #expect(CRC32C.softwareUpdate(CRC32C.softwareChecksum(head), tail) == whole)
                }
            }
            // Many small pieces, as a streaming caller would feed them.
            var running: UInt32 = 0
            var start = 0
            while start < length {
                let end = min(length, start + 1 + Int(rng.next() % 5_000))
                running = data.withUnsafeBytes { CRC32C.update(running, UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                start = end
            }
            #expect(running == whole)
        }
    }

    /// Compares hardware, software and (for moderate sizes) the bitwise reference on random data,
    /// covering every length below 300, the 3-way-interleave threshold (3 × 4096) and its
    /// multiples, and all 8 start alignments.
    @Test func hardwareMatchesSoftwareOnRandomData() {
        var rng = SplitMix64(seed: 0xC0FFEE)
        let stripe = 4_096
        var lengths = Array(0..<300)
        for multiple in 1...4 {
            for delta in [-9, -8, -1, 0, 1, 7, 8, 9] { lengths.append(3 * stripe * multiple + delta) }
        }
        lengths += [65_536, 100_003, 1 << 20]
        let pool = rng.bytes((1 << 20) + 16)
        pool.withUnsafeBytes { raw in
            for length in lengths {
                for alignment in 0..<8 {
                    // Different data per (length, alignment): the offset moves through the pool.
                    let start = alignment + Int(rng.next() % 8) * 8
                    guard start + length <= raw.count else { continue }
                    let buffer = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    let software = CRC32C.softwareChecksum(buffer)
                    if let hardware = CRC32C.hardwareChecksum(buffer) {
                        #expect(hardware == software, "length \(length) alignment \(alignment)")
                    }
                    #expect(CRC32C.checksum(buffer) == software)
                    if length <= 40_000 && alignment < 2 {
                        #expect(referenceCRC32C(buffer) == software, "reference length \(length)")
                    }
                }
            }
        }
    }

    /// The hardware path must also continue correctly from a non-initial CRC into its 3-way loop.
    @Test func hardwareContinuesIntoInterleavedPath() {
        var rng = SplitMix64(seed: 7)
        let data = rng.bytes(3 * 12_288 + 77)
        for split in [1, 5, 8, 12_288, 12_289, 24_576 + 3] {
            data.withUnsafeBytes { raw in
                let head = UnsafeRawBufferPointer(rebasing: raw[..<split])
                let tail = UnsafeRawBufferPointer(rebasing: raw[split...])
                let expected = CRC32C.softwareChecksum(raw)
                #expect(CRC32C.update(CRC32C.softwareChecksum(head), tail) == expected)
            }
        }
    }
}
