import Security
import Testing

/// Mutated and truncated messages never trap: every parser answers with a value or a
/// `SaslError`. Deterministic (a fixed-seed generator), a few thousand inputs, well under a second.
@Suite struct RobustnessTests {
    /// SplitMix64, so the inputs are the same on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `count` variants of `seed`: bytes replaced, inserted (often `,` `=` NUL or non-UTF-8), deleted, truncated.
    static func mutations(of seed: [UInt8], count: Int, _ generator: inout SeededGenerator) -> [[UInt8]] {
        let interesting: [UInt8] = [0x2C, 0x3D, 0x00, 0xFF, 0xC3, 0x80, 0x61, 0x6E, 0x72, 0x70, 0x63]
        return (0..<count).map { _ in
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let byte = Bool.random(using: &generator) ? interesting.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...255, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0 where !bytes.isEmpty: bytes[Int.random(in: 0..<bytes.count, using: &generator)] = byte
                case 1: bytes.insert(byte, at: Int.random(in: 0...bytes.count, using: &generator))
                case 2 where !bytes.isEmpty: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &generator))
                default: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
                }
            }
            return bytes
        }
    }

    @Test func scramServerSurvivesMutatedMessages() throws {
        var generator = SeededGenerator(state: 1)
        let credential = try ScramTests.rfcCredential()
        for message in Self.mutations(of: utf8(ScramTests.rfcClientFirst), count: 1500, &generator) {
            var server = ScramTests.server(["user": credential])
            _ = try? server.evaluate(message)
        }
        let awaitingFinal = try ScramTests.serverAfterFirst()  // a value: each copy is a fresh exchange
        for message in Self.mutations(of: utf8(ScramTests.rfcClientFinal), count: 1500, &generator) {
            var server = awaitingFinal
            if (try? server.evaluate(message)) != nil {
                #expect(message == utf8(ScramTests.rfcClientFinal), "only the real proof may succeed")
            }
        }
    }

    @Test func scramClientSurvivesMutatedMessages() throws {
        var generator = SeededGenerator(state: 2)
        var started = ScramClient(mechanism: .sha256, username: "user", password: "pencil", nonce: ScramTests.rfcClientNonce)
        _ = try started.firstMessage()
        let awaitingFirst = started  // a value: each copy is a fresh exchange
        // A mutation that leaves the message valid costs a PBKDF2 run (~30 ms in debug): few inputs.
        for message in Self.mutations(of: utf8(ScramTests.rfcServerFirst), count: 60, &generator) {
            var client = awaitingFirst
            _ = try? client.respond(toServerFirst: message)
        }
        _ = try started.respond(toServerFirst: utf8(ScramTests.rfcServerFirst))
        let awaitingFinal = started
        for message in Self.mutations(of: utf8(ScramTests.rfcServerFinal), count: 1500, &generator) {
            var client = awaitingFinal
            if (try? client.verify(serverFinal: message)) != nil {
                #expect(message == utf8(ScramTests.rfcServerFinal))
            }
        }
    }

    @Test func plainServerAndBase64SurviveMutatedMessages() {
        var generator = SeededGenerator(state: 3)
        for message in Self.mutations(of: PlainServerTests.message("alice", "alice", "wonderland"), count: 2000, &generator) {
            var server = PlainServerTests.server()
            _ = try? server.evaluate(message)
        }
        for text in Self.mutations(of: utf8("Zm9vYmFyYg=="), count: 2000, &generator) {
            if let decoded = Base64.decode(text) {
                #expect(utf8(Base64.encode(decoded)) == text, "decoding is canonical")
            }
        }
    }
}
