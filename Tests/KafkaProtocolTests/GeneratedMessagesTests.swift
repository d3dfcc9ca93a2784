import KafkaProtocol
import Testing

/// Sweeps over every generated message codec at every version it implements: random values
/// round-trip exactly (fields outside the version reset to defaults), every truncation of a valid
/// encoding throws, and garbage or mutated bytes never crash a decoder.
@Suite("Generated messages")
struct GeneratedMessagesTests {
    @Test("Random samples round-trip at every version", arguments: generatedMessageCases)
    func roundTrips(_ message: GeneratedMessageCase) throws {
        var rng = TestRNG(seed: UInt64(message.apiKey.rawValue) &* 1_000_003)
        for version in message.versions {
            for _ in 0..<40 { _ = try message.roundTrip(&rng, version) }
        }
    }

    @Test("Every truncation of a valid encoding throws", arguments: generatedMessageCases)
    func truncations(_ message: GeneratedMessageCase) throws {
        var rng = TestRNG(seed: 77 &+ UInt64(message.apiKey.rawValue))
        for version in message.versions {
            for _ in 0..<4 {
                let bytes = try message.roundTrip(&rng, version)
                for length in 0..<bytes.count {
                    #expect(!message.decode(Array(bytes[0..<length]), version), "\(message) v\(version) decoded \(length) of \(bytes.count) bytes")
                }
            }
        }
    }

    @Test("Garbage and mutated encodings never crash a decoder", arguments: generatedMessageCases)
    func garbage(_ message: GeneratedMessageCase) throws {
        var rng = TestRNG(seed: 4242 &+ UInt64(message.apiKey.rawValue))
        for version in message.versions {
            for _ in 0..<100 { _ = message.decode(rng.garbage(maxCount: 64), version) }
            for _ in 0..<20 {
                var bytes = try message.roundTrip(&rng, version)
                guard !bytes.isEmpty else { continue }
                for _ in 0..<3 { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
                _ = message.decode(bytes, version)
            }
        }
    }

    /// Lengths and counts are checked against the bytes that remain before anything is
    /// allocated, so a huge count at any position fails fast instead of reserving memory.
    @Test("Huge counts at any position fail fast", arguments: generatedMessageCases)
    func hugeCounts(_ message: GeneratedMessageCase) {
        let classic: [UInt8] = [0x7F, 0xFF, 0xFF, 0xF0]
        let compact: [UInt8] = [0xF0, 0xFF, 0xFF, 0xFF, 0x0F]
        let start = ContinuousClock.now
        for version in message.versions {
            for prefix in 0..<12 {
                let filler = [UInt8](repeating: 1, count: prefix)
                _ = message.decode(filler + classic + [0, 1, 2], version)
                _ = message.decode(filler + compact + [0, 1, 2], version)
            }
        }
        #expect(ContinuousClock.now - start < .seconds(2))
    }
}
